"""What overdue 督办单 cost in the units' scores: the office's points per order
(SupervisionSettings), only once confirmed, for each order that was 逾期 on some day of
the scored span (judged from its history, so a bulletin built again later agrees). The
bulletin's quarter and the rankings page's months go through the same `Deduction`."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from indicators.rules.periods import add_months
from indicators.rules.scoring import ScoreInput
from reports.supervision.models import SupervisionOrder, SupervisionSettings
from reports.supervision.rules import overdue_between, overdue_deduction
from reports.supervision.selectors import history_prefetch, order_history

Inputs = dict[str, dict[str, ScoreInput]]  # group code → unit code → score input


def _span_end(periods: list[date], today: date) -> date:
    """The last day a span is judged on: its last month's last day, or today."""
    return min(add_months(periods[-1], 1) - timedelta(days=1), today)


def _counts(orders, start: date, end: date) -> Counter:
    return Counter(o.unit.code for o in orders if overdue_between(order_history(o), o.due, start, end))


def _orders(due_before: date):
    return SupervisionOrder.objects.filter(due__lt=due_before).select_related("unit").prefetch_related(history_prefetch())


def overdue_counts(*, start: date, end: date) -> Counter:
    """Unit code → orders that were 逾期 on some day from `start` to `end`."""
    return _counts(_orders(end), start, end)


@dataclass(frozen=True)
class Deduction:
    """What overdue orders cost over some spans (consecutive months), read once: the
    office's points per order (None while 待核定 or none: nothing is deducted) and, for
    each span, unit code → its orders 逾期 in it."""

    points: Decimal | None
    counts: dict[tuple[date, ...], Counter]
    text: str = ""  # the office's setting as the pages say it (SupervisionSettings.scoring_text)

    @property
    def stamp(self) -> str:
        """What a cached score depends on: it changes whenever a deduction would."""
        if self.points is None:
            return ""
        spans = ";".join(f"{span[0]}-{span[-1]}:{sorted(c.items())}" for span, c in sorted(self.counts.items()) if c)
        return f"overdue {self.points}/{spans}"

    def apply(self, inputs: Inputs, periods: list[date]) -> Inputs:
        """`inputs` (scored over `periods`, one of the spans read) with each unit's
        deduction for its overdue orders; unchanged while nothing is deducted."""
        counts = self.counts.get(tuple(periods)) if self.points is not None else None
        if not counts:
            return inputs
        return {
            group: {
                code: replace(inp, deducted_tenths=int(overdue_deduction(counts[code], self.points, True) * 10))
                if counts[code]
                else inp
                for code, inp in rows.items()
            }
            for group, rows in inputs.items()
        }


def deduction_for(spans: list[list[date]], today: date) -> Deduction:
    """The deduction over each span of `spans` (each up to `today`): the settings read
    once, the orders and their history read once for every span (three queries, one
    while nothing is deducted)."""
    settings = SupervisionSettings.current()
    spans = [list(s) for s in spans if s]
    if not spans or not settings.overdue_points_confirmed or not settings.overdue_points:
        return Deduction(None, {}, settings.scoring_text)
    ends = {tuple(s): _span_end(s, today) for s in spans}
    orders = list(_orders(max(ends.values())))
    counts = {span: _counts(orders, span[0], end) for span, end in ends.items()}
    return Deduction(settings.overdue_points, counts, settings.scoring_text)


def overdue_deducted(inputs: Inputs, periods: list[date], today: date) -> Inputs:
    """The groups' score inputs with each unit's deduction for its overdue orders in
    `periods` (up to `today`); unchanged while the points are 待核定 or none."""
    return deduction_for([periods], today).apply(inputs, periods)
