"""Test data for the dashboard tests: a year of demo figures, and a way to grow it
(more units, metrics and figures) to show that query counts do not grow with it."""

from datetime import date
from decimal import Decimal

from actions import clock
from actions.models import Unit
from indicators.demo import seed_year
from indicators.models import Assignment, Figure, Metric, ReportingMonth, Submission
from indicators.rules.periods import months_of_year
from indicators.rules.workdays import default_deadline, default_lock_date
from indicators.status.refresh import status_refresh
from tests.snapshots import seeded

TODAY = date(2023, 3, 1)  # the whole of 2022 is closed


def demo_year(plan, *, today: date = TODAY):
    """Demo figures for every month whose deadline is before `today` (all of 2022 by
    default; a smaller `today` makes a faster fixture)."""

    def recipe():
        seed_year(plan, today=today)
        # The rows every page reads (in production the seeder's commit refreshes them).
        status_refresh(periods=months_of_year(plan.year), today=today)

    seeded(("demo_year", plan.year, today, clock.today()), recipe)  # drawn once per test process (tests/snapshots.py)
    return plan


def grow(plan, *, n: int = 3) -> None:
    """n more counties and parks reporting every unit-level metric every month, and one
    more metric reported by all of them."""
    first = Metric.objects.filter(plan=plan, scope=Metric.Scope.UNITS, measure=Metric.Measure.COUNT).first()
    extra = Metric.objects.create(
        plan=plan,
        area=first.area,
        indicator=first.indicator,
        code=f"extra_{Metric.objects.count()}",
        name="新增测试指标",
        unit_of_measure="家",
        measure=Metric.Measure.COUNT,
        aggregate=Metric.Aggregate.SUM,
        kind=Metric.Kind.AT_LEAST,
        value=Decimal(10),
        source="测试用",
        sort_order=999,
    )
    metrics = list(Metric.objects.filter(plan=plan, scope=Metric.Scope.UNITS).exclude(measure=Metric.Measure.MILESTONE))
    start = Unit.objects.count()
    figures = []
    for i in range(n):
        kind = Unit.Kind.COUNTY if i % 2 == 0 else Unit.Kind.PARK
        unit = Unit.objects.create(code=f"grown{start + i}", name=f"测试单位{start + i}", kind=kind, sort_order=900 + i)
        for m in metrics:
            Assignment.objects.create(metric=m, unit=unit)
            for period in months_of_year(plan.year):
                f = Figure(unit=unit, metric=m, period=period, source=Figure.Source.DEMO, explanation="测试")
                if m.measure == Metric.Measure.RATIO:
                    f.numerator, f.denominator = Decimal(50), Decimal(100)
                else:
                    f.value, f.cases = Decimal(3), 10
                figures.append(f)
        for period in months_of_year(plan.year):
            Submission.objects.create(unit=unit, period=period, state=Submission.State.ACCEPTED, is_late=bool(i % 2))
    Figure.objects.bulk_create(figures)
    assert extra.assignments.exists()
    for period in months_of_year(plan.year):
        ReportingMonth.objects.get_or_create(
            period=period, defaults={"deadline": default_deadline(period), "lock_date": default_lock_date(period)}
        )
    status_refresh(periods=months_of_year(plan.year), today=TODAY)
