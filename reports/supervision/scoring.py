"""What overdue 督办单 cost in the units' scores: the office's points per order
(SupervisionSettings), only once confirmed, for each order that was 逾期 on some day of
the scored span (judged from its history, so a bulletin built again later agrees)."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date, timedelta

from indicators.rules.periods import add_months
from indicators.rules.scoring import ScoreInput
from reports.supervision.models import SupervisionOrder, SupervisionSettings
from reports.supervision.rules import overdue_between, overdue_deduction
from reports.supervision.selectors import history_prefetch, order_history


def overdue_counts(*, start: date, end: date) -> Counter:
    """Unit code → orders that were 逾期 on some day from `start` to `end`."""
    orders = SupervisionOrder.objects.filter(due__lt=end).select_related("unit").prefetch_related(history_prefetch())
    return Counter(o.unit.code for o in orders if overdue_between(order_history(o), o.due, start, end))


def overdue_deducted(
    inputs: dict[str, dict[str, ScoreInput]], periods: list[date], today: date
) -> dict[str, dict[str, ScoreInput]]:
    """The groups' score inputs with each unit's deduction for its overdue orders in
    `periods` (up to `today`); unchanged while the points are 待核定 or none."""
    settings = SupervisionSettings.current()
    if not periods or not settings.overdue_points_confirmed or not settings.overdue_points:
        return inputs
    end = min(add_months(periods[-1], 1) - timedelta(days=1), today)
    counts = overdue_counts(start=periods[0], end=end)
    return {
        group: {
            code: replace(inp, deducted_tenths=int(overdue_deduction(counts[code], settings.overdue_points, True) * 10))
            if counts[code]
            else inp
            for code, inp in rows.items()
        }
        for group, rows in inputs.items()
    }
