"""A unit's scorecard: its targets this month, the indicators it leads, its share of
green month by month, its timeliness and its peers."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.functional import SimpleLazyObject

from actions.models import Plan, Unit
from indicators.models import ReportingStatus, Submission
from indicators.months import reporting_months_get
from indicators.rules.periods import format_month, months_of_year
from indicators.rules.reporting import Timeliness, submission_timeliness
from indicators.rules.types import Status
from indicators.selectors import StatusRow, as_of_for
from indicators.status.cache import rows_cached
from indicators.status.compute import plan_expects
from indicators.status.read import is_current, status_month, unit_board
from reports.selectors.common import (
    all_units,
    green_share,
    months_to,
    number,
    plan_metrics,
    share_green,
    statuses_board,
)


@dataclass
class Scorecard:
    unit: Unit
    period: date
    rows: list[StatusRow]  # the unit's own targets this month
    led: list[StatusRow]  # city rows of the indicators the unit leads
    trend: list[tuple[date, int, int, Decimal | None]]  # month, green, judged, share
    timeliness: list[dict]
    explanations: list[StatusRow]
    peers: list[dict]

    @property
    def share_chart(self) -> dict:
        """The share-green trend as the unit page's chart reads it."""
        return {"months": [format_month(p) for p, *_ in self.trend], "share": [number(s) for *_, s in self.trend]}


def unit_scorecard(*, plan: Plan, unit: Unit, period: date, today: date | None = None) -> Scorecard:
    """unit_scorecard_compute, from the cache while the rows of the year's months up to
    `period` are unchanged (submissions refresh their month's rows too)."""
    as_of = as_of_for(period, today)
    return rows_cached(
        "scorecard",
        [plan.pk, unit.pk, period, as_of],
        months_to(period),
        lambda: unit_scorecard_compute(plan, unit, period, as_of),
    )


def month_shares(
    plan: Plan, period: date, today: date | None = None, shared: tuple[list, dict] | None = None
) -> dict[int, tuple[int, int, Decimal | None]]:
    """Each unit's (green, judged, share) in one month, kept while that month's rows are
    unchanged: a saved figure recomputes its own month, not the year's trend. `shared`:
    the plan's metrics and the units when the caller has them (else read on a miss)."""
    as_of = as_of_for(period, today)

    def compute():
        sm = status_month(period)
        if is_current(sm, as_of):  # the month's reporting rows count each unit's green and judged targets
            counts = ReportingStatus.objects.filter(period=period).values_list("unit_id", "green", "judged", "grey")
            # grey of any reason leaves the denominator (rules.scoring.counts_in_score)
            return {unit_id: green_share(green, judged - grey) for unit_id, green, judged, grey in counts}
        metrics, units = shared or (plan_metrics(plan), all_units())
        by_unit = defaultdict(list)
        for r in statuses_board(plan, period, as_of, metrics=metrics, units=units).unit_rows:
            by_unit[r.unit.pk].append(r)
        return {pk: share_green(rows) for pk, rows in by_unit.items()}

    return rows_cached("month-shares", [plan.pk, period, as_of], [period], compute)


def unit_scorecard_compute(plan: Plan, unit: Unit, period: date, today: date) -> Scorecard:
    board, peer_units = unit_board(plan=plan, period=period, unit=unit, today=today)
    months = [p for p in months_of_year(period.year) if p <= period]
    shared = SimpleLazyObject(lambda: (board.metrics, all_units()))  # read once, on the first miss
    shares = {p: month_shares(plan, p, today, shared) for p in months}
    rows = [r for r in board.unit_rows if r.unit.pk == unit.pk]
    led = [board.city_rows[m.pk] for m in board.metrics if m.indicator.lead_unit_id == unit.pk]
    trend = [(p, *shares[p].get(unit.pk, (0, 0, None))) for p in months]
    deadlines = {p: rm.deadline for p, rm in reporting_months_get(months).items()}
    subs = {s.period: s for s in Submission.objects.filter(unit=unit, period__year=period.year, period__lte=period)}
    timeliness = []
    for p in months:
        # not expected to report that month: not assigned, or before the plan's first
        # reported month (the plan's calendar: back-filled, never late)
        if unit.pk not in shares[p] or not plan_expects(plan, p):
            continue
        s = subs.get(p)
        t = submission_timeliness(s, deadline=deadlines[p], today=today)  # the one rule (rules.reporting)
        timeliness.append(
            {
                "period": p,
                "deadline": deadlines[p],
                "submission": s,
                "on_time": t == Timeliness.ON_TIME,
                "label": _timeliness_label(s, t),
            }
        )
    explanations = [r for r in rows if r.status in (Status.RED, Status.YELLOW)]
    peers = []
    for peer in peer_units:
        g, j, share = shares[period][peer.pk]
        peers.append({"unit": peer, "green": g, "judged": j, "share": share, "self": peer.pk == unit.pk})
    peers.sort(key=lambda p: (-(p["share"] or 0), p["unit"].sort_order, p["unit"].code))
    return Scorecard(unit, period, rows, led, trend, timeliness, explanations, peers)


def _timeliness_label(s: Submission | None, t: Timeliness) -> str:
    if t in (Timeliness.ON_TIME, Timeliness.LATE):
        return t.label
    if s is None:
        return "未报送"
    return s.get_state_display()
