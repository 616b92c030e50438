"""Last year's values (上年基数) as the office's data: read for the status board, loaded
from a file all or nothing, edited one at a time (indicators.services.baselines). Reporters
never type them.

A value is for a metric of this year's plan, a unit (or the city: no unit) and one month
of last year (or last year as a whole: no month). The status board asks `BaselineBook`
for the same month last year, falling back to the whole year, except for a change
against the same period last year, which is meaningless against a yearly value."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from actions.models import Plan, Unit
from indicators.models import Baseline, Metric
from indicators.rules.inputs import parse_number, plausible_value
from indicators.rules.periods import months_of_year, same_month_last_year

CITY_CODES = {"", "city", "全市"}
BASELINE_COLUMNS = ["metric", "unit", "period", "value", "note"]


@dataclass
class BaselineBook:
    """Every baseline of a plan that a month can use, loaded in one query."""

    monthly: dict[tuple[int, int | None], Decimal]
    yearly: dict[tuple[int, int | None], Decimal]

    def get(self, metric: Metric, unit_id: int | None) -> Decimal | None:
        key = (metric.pk, unit_id)
        if key in self.monthly:
            return self.monthly[key]
        if metric.kind == Metric.Kind.CHANGE_VS_LAST_YEAR:
            return None  # a same-period comparison needs the same period
        return self.yearly.get(key)


def baselines_for_month(*, plan: Plan, period: date) -> BaselineBook:
    """The baselines `period` of `plan` is judged against (one query)."""
    last = same_month_last_year(period)
    monthly, yearly = {}, {}
    rows = Baseline.objects.filter(metric__plan=plan, period__in=[last]) | Baseline.objects.filter(
        metric__plan=plan, period__isnull=True
    )
    for metric_id, unit_id, when, value in rows.values_list("metric_id", "unit_id", "period", "value"):
        (monthly if when else yearly)[(metric_id, unit_id)] = value
    return BaselineBook(monthly, yearly)


def baselines_for_year(*, metric: Metric, year: int) -> dict[date, BaselineBook]:
    """The baselines of one metric for each month of `year` (one query): a metric's page
    draws its whole year at once."""
    monthly: dict[date, dict] = defaultdict(dict)
    yearly: dict = {}
    for unit_id, when, value in Baseline.objects.filter(metric=metric).values_list("unit_id", "period", "value"):
        if when is None:
            yearly[(metric.pk, unit_id)] = value
        elif when.year == year - 1:
            monthly[date(year, when.month, 1)][(metric.pk, unit_id)] = value
    return {p: BaselineBook(monthly[p], yearly) for p in months_of_year(year)}


def baseline_for(metric: Metric, unit: Unit | None, period: date) -> Decimal | None:
    """Last year's value of `metric` for `unit` (None: the city) behind month `period`."""
    book = baselines_for_month(plan=metric.plan, period=period)
    return book.get(metric, unit.pk if unit else None)


# -- writes -------------------------------------------------------------------------------


def baseline_value(metric: Metric, raw) -> Decimal:
    """Last year's value of `metric` as typed on the baselines page or written in a
    baselines file: read like every other number (rules.inputs.parse_number: "1,234"
    and full-width digits yes, "3,2" and "1_000" no) and checked against what the
    metric measures (a ratio's value is a percentage, 0–100). ValueError (Chinese)."""
    number = parse_number(raw)
    if number is None:
        raise ValueError("请填写上年值")
    problem = plausible_value(
        metric.measure, number, unit_of_measure=metric.unit_of_measure,
        allow_negative=metric.allows_negative, percent=metric.is_percent,
    )  # fmt: skip
    if problem:
        raise ValueError(problem)
    return number
