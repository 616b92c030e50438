"""The oracle: for random small plans (two years, targets of many kinds) and random
sequences of writes through the services (file import, entry form, submit, return),
the stored rows after the commits equal a fresh computation by the pure rules, for
every month."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from actions.models import ActionArea, Indicator, Plan, Unit
from indicators.models import Assignment, Metric, ReportingMonth, ReportingStatus, Submission, TargetStatus
from indicators.services.figures import FigureImportError, figures_import
from indicators.services.review import submission_return
from indicators.services.workflow import WorkflowError, entry_save
from indicators.status.board import board_compute
from indicators.status.compute import as_of_for
from indicators.status.write import _reporting_rows

MONTHS = [date(2021, 5, 1), date(2021, 6, 1), date(2022, 5, 1), date(2022, 6, 1)]
M = Metric.Measure
K = Metric.Kind

# kind → (measure, extra fields); values are small so that every kind meets and misses.
KINDS = {
    "at_most_avg": (M.AVERAGE, {"kind": K.AT_MOST, "value": Decimal(5), "tolerance": Decimal(1)}),
    "at_least_ratio": (M.RATIO, {"kind": K.AT_LEAST, "value": Decimal(60), "tolerance": Decimal(5)}),
    "exceed_count": (M.COUNT, {"kind": K.EXCEED, "value": Decimal(40), "aggregate": "sum"}),
    "paced_count": (
        M.COUNT,
        {"kind": K.AT_LEAST, "value": Decimal(120), "aggregate": "sum", "pace": True, "baseline": Decimal(60), "basis": "ytd"},
    ),
    "worst_count": (M.COUNT, {"kind": K.AT_MOST, "value": Decimal(6), "aggregate": "worst"}),
    "range_avg": (M.AVERAGE, {"kind": K.RANGE, "low": Decimal(2), "high": Decimal(8), "tolerance": Decimal(1)}),
    "change": (M.AVERAGE, {"kind": K.CHANGE_VS_LAST_YEAR, "value": Decimal(8), "direction": "lower", "tolerance": Decimal(2)}),
    "improve": (M.COUNT, {"kind": K.IMPROVE, "direction": "higher", "aggregate": "sum"}),
    "year_end": (M.COUNT, {"kind": K.AT_LEAST, "value": Decimal(30), "aggregate": "sum", "year_end_only": True}),
    "milestone": (M.MILESTONE, {"kind": K.MILESTONE, "due": date(2022, 5, 20)}),
    "reference": (M.COUNT, {"kind": K.REFERENCE, "aggregate": "sum"}),
}
STATES = ["not_started", "in_progress", "done"]


def build_plans(kinds: list[str], reporters: list[list[int]], units: list[Unit]) -> None:
    for year in (2021, 2022):
        plan = Plan.objects.create(year=year, title=f"{year}年测试方案")
        area = ActionArea.objects.create(plan=plan, code="a1", number=1, name="测试行动")
        indicator = Indicator.objects.create(plan=plan, code="ind", name="测试指标", lead_unit=units[0])
        made = {}
        for i, key in enumerate(kinds):
            measure, extra = KINDS[key]
            made[key] = Metric.objects.create(
                plan=plan,
                area=area,
                indicator=indicator,
                code=key,
                name=key,
                measure=measure,
                source="测试",
                sort_order=i,
                **extra,
            )
            Assignment.objects.bulk_create([Assignment(metric=made[key], unit=units[u]) for u in reporters[i]])
        base = next((m for k, m in made.items() if KINDS[k][0] == M.RATIO), None)
        if base is not None:  # a relative_to metric compared with the ratio one
            rel = Metric.objects.create(
                plan=plan,
                area=area,
                indicator=indicator,
                code="relative",
                name="relative",
                measure=M.RATIO,
                kind=K.RELATIVE_TO,
                relative_metric=base,
                direction="higher",
                source="测试",
                sort_order=99,
            )
            Assignment.objects.bulk_create([Assignment(metric=rel, unit=u) for u in units])


def values_for(metric: Metric, n: int) -> dict:
    if metric.measure == M.RATIO:
        return {"numerator": Decimal(n % 11), "denominator": Decimal(10)}
    if metric.measure == M.AVERAGE:
        return {"value": Decimal(n % 12) / 2, "cases": 1 + n % 4}
    if metric.measure == M.MILESTONE:
        return {"state": STATES[n % 3]}
    return {"value": Decimal(n % 80)}


def csv_row(unit: Unit, metric: Metric, period: date, n: int) -> dict:
    v = values_for(metric, n)
    row = {"line": 2, "unit": unit.code, "metric": metric.code, "period": f"{period:%Y-%m}"}
    if "state" in v:
        row["value"] = v["state"]
    else:
        row |= {k: str(x) for k, x in v.items()}
    return row


def apply(op, units, office) -> None:
    kind, u, m, p, n = op
    period = MONTHS[p]
    metrics = list(Metric.objects.filter(plan__year=period.year).order_by("sort_order"))
    metric = metrics[m % len(metrics)]
    unit = units[u]
    if not Assignment.objects.filter(metric=metric, unit=unit).exists():
        return
    sub = Submission.objects.filter(unit=unit, period=period).first()
    version = sub.version if sub else 0
    try:
        if kind == "import":
            figures_import(rows=[csv_row(unit, metric, period, n)])
        elif kind in ("entry", "submit"):
            entry_save(
                unit=unit,
                period=period,
                user=office,
                version=version,
                figures={metric.pk: values_for(metric, n)},
                tasks={},
                submit=kind == "submit",
            )
        elif kind == "return":
            submission_return(unit=unit, period=period, user=office, reason="请核实", by_office=True)
    except (WorkflowError, FigureImportError):
        pass  # a step the workflow refuses now (an import into a submitted month) writes nothing


def stored_rows(period):
    return sorted(
        (
            r.metric.code,
            r.unit_id or 0,
            r.status,
            r.grey_reason,
            r.value,
            r.last_year,
            r.other,
            r.compared_with,
        )
        for r in TargetStatus.objects.filter(period=period).select_related("metric")
    )


def stored_precision(value):
    """A number as its column keeps it (6 decimal places; statuses are judged before)."""
    return None if value is None else Decimal(value).quantize(Decimal("0.000001"))


def fresh_rows(period):
    plan = Plan.objects.get(year=period.year)
    board = board_compute(plan, period, as_of_for(period))
    return sorted(
        (
            r.metric.code,
            r.unit.pk if r.unit else 0,
            r.status.value,
            r.grey_reason,
            *map(stored_precision, (r.value, r.last_year, r.other, r.compared_with)),
        )
        for r in board.rows()
    ), board


def reporting(period, board):
    stored = sorted(
        (r.unit_id, r.expected, r.state, r.submitted, r.timeliness, r.filled, r.judged, r.green, r.red)
        for r in ReportingStatus.objects.filter(period=period)
    )
    from django.utils import timezone

    fresh = sorted(
        (r.unit_id, r.expected, r.state, r.submitted, r.timeliness, r.filled, r.judged, r.green, r.red)
        for r in _reporting_rows(board.plan, period, board, timezone.localdate(), timezone.now())
    )
    return stored, fresh


OPS = st.lists(
    st.tuples(
        st.sampled_from(["import", "import", "entry", "submit", "return"]),
        st.integers(0, 2),
        st.integers(0, 12),
        st.integers(0, 3),
        st.integers(0, 200),
    ),
    min_size=1,
    max_size=8,
)
PLANS = st.lists(st.sampled_from(sorted(KINDS)), min_size=2, max_size=6, unique=True).flatmap(
    lambda kinds: st.tuples(
        st.just(kinds), st.lists(st.lists(st.integers(0, 2), min_size=1, max_size=3, unique=True), min_size=6, max_size=6)
    )
)


@pytest.fixture
def office(db):
    from django.contrib.auth.models import User

    return User.objects.create_user(username="oracle_office", password="x")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(plan=PLANS, batches=st.lists(OPS, min_size=1, max_size=3))
def test_stored_rows_equal_a_fresh_computation_after_any_writes(office, django_capture_on_commit_callbacks, plan, batches):
    kinds, reporters = plan
    with transaction.atomic():
        units = [
            Unit.objects.create(code=f"o{i}", name=f"单位{i}", kind=Unit.Kind.COUNTY, reports=i != 2, sort_order=i)
            for i in range(3)
        ]
        build_plans(kinds, reporters, units)
        for p in MONTHS:  # open for entry whatever today is
            ReportingMonth.objects.create(period=p, deadline=date(p.year, p.month + 1, 5), lock_date=date(2099, 1, 1))
        for batch in batches:  # each batch: one or more writes, then their commits' refreshes
            with django_capture_on_commit_callbacks(execute=True):
                for op in batch:
                    apply(op, units, office)
            for period in MONTHS:
                if not TargetStatus.objects.filter(period=period).exists():
                    continue  # never written: read by computing (status_board), nothing stored
                expected, board = fresh_rows(period)
                assert stored_rows(period) == expected, period
                stored, fresh = reporting(period, board)
                assert stored == fresh, period
        transaction.set_rollback(True)
