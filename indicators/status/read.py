"""Every page's and document's one way in to a month's status: the stored rows when they
are current, else the month computed for this request (a read never writes)."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from actions import clock
from actions.models import Plan, Unit
from indicators.models import Metric, ReportingStatus, StatusMonth, TargetStatus
from indicators.rules.types import MilestoneState, Reading, Status
from indicators.status.board import board_compute
from indicators.status.compute import as_of_for
from indicators.status.rows import GreyReason, MonthFigures, StatusBoard, StatusRow
from indicators.status.write import _reporting_rows

log = logging.getLogger(__name__)


# -- reading a month's stored rows ---------------------------------------------------------------
def status_month(period: date) -> StatusMonth | None:
    return StatusMonth.objects.filter(period=period).first()


def is_current(sm: StatusMonth | None, as_of: date) -> bool:
    """Whether a month's stored rows answer for judgement date `as_of`: refreshed for that
    date, and (unless refreshes are queued, when pages say an update is pending) no write
    since."""
    if sm is None or sm.computed_at is None or sm.as_of != as_of:
        return False
    return not sm.pending or settings.STATUS_REFRESH_ASYNC


# The stored row's fields a StatusRow is made of, read as values (a model instance per row
# costs more than the row itself at province size: 8,000 rows a month).
_ROW_FIELDS = (
    "value",
    "numerator",
    "denominator",
    "cases",
    "state",
    "last_year",
    "other",
    "status",
    "grey_reason",
    "compared_with",
)


def _stored_rows(
    rows, by_id: dict[int, Metric], units: dict[int, Unit], figures: MonthFigures | None = None, *, with_period=False
):
    """(period, StatusRow) for each stored row of the queryset `rows`, in its order, with
    its unit from `units` (read apart: joined, the units' columns cost a province month
    more than the rows themselves). One query."""
    head = ("period", "metric_id", "unit_id") if with_period else ("metric_id", "unit_id")
    for values in rows.values_list(*head, *_ROW_FIELDS):
        period, metric_id, unit_id = values[:3] if with_period else (None, *values[:2])
        value, numerator, denominator, cases, state, ly, other, status, why, compared = values[len(head) :]
        m = by_id[metric_id]
        reading = Reading(
            value=value if numerator is None and m.measure != Metric.Measure.RATIO else None,
            numerator=numerator,
            denominator=denominator,
            cases=cases,
            state=MilestoneState(state) if state else None,
            no_business=why == GreyReason.NO_BUSINESS,
        )
        if unit_id is None:
            yield period, StatusRow(m, None, None, reading, value, ly, other, Status(status), why, compared)
        else:
            yield period, StatusRow(m, units[unit_id], None, reading, value, ly, other, Status(status), why, compared, figures)


def board_read(plan: Plan, period: date, sm: StatusMonth, unit: Unit | None = None) -> StatusBoard:
    """A month's board from its stored rows. Three queries (metrics, units, rows), and
    one more for the figures when a row's figure is first asked for. `unit`: only that
    unit's rows (and every city row), for a page about one unit (two queries)."""
    metrics = list(
        Metric.objects.filter(plan=plan).select_related("area", "indicator", "indicator__lead_unit", "relative_metric", "task")
    )
    by_id = {m.pk: m for m in metrics}
    place = {m.pk: i for i, m in enumerate(metrics)}
    unit_rows, city_rows = [], {}
    figures = MonthFigures(plan, period, unit=unit)
    rows = TargetStatus.objects.filter(period=period, metric__plan=plan)
    if unit is not None:
        rows, units = rows.filter(Q(unit=unit) | Q(unit__isnull=True)), {unit.pk: unit}
    else:
        units = {u.pk: u for u in Unit.objects.order_by("sort_order", "code")}
    for _, row in _stored_rows(rows, by_id, units, figures):
        if row.unit is None:
            city_rows[row.metric.pk] = row
        else:
            unit_rows.append(row)
    unit_place = {pk: i for i, pk in enumerate(units)}  # the units' order (sort_order, code)
    unit_rows.sort(key=lambda r: (place[r.metric.pk], unit_place[r.unit.pk]))
    missing = [m for m in metrics if m.pk not in city_rows]
    if missing:  # a metric added since the refresh, before its own refresh ran
        return _only(board_compute(plan, period, sm.as_of), unit)
    return StatusBoard(plan, period, metrics, unit_rows, city_rows, sm.computed_at, sm.pending)


def _only(board: StatusBoard, unit: Unit | None) -> StatusBoard:
    """A computed board cut to `unit`'s rows (and every city row), as board_read reads them."""
    if unit is not None:
        board.unit_rows = [r for r in board.unit_rows if r.unit.pk == unit.pk]
    return board


def freshness(period: date | None) -> StatusMonth | None:
    """When refreshes are queued (STATUS_REFRESH_ASYNC), what pages say about the month's
    rows: 数据更新于 HH:MM, and whether a saved change is still being applied. None
    otherwise (the rows are refreshed before the saving request answers)."""
    if not settings.STATUS_REFRESH_ASYNC or period is None:
        return None
    return StatusMonth.objects.filter(period=period, computed_at__isnull=False).first()


_kept_boards: ContextVar[dict | None] = ContextVar("kept_boards", default=None)


@contextmanager
def boards_kept() -> Iterator[None]:
    """Inside the block, status_board answers a month it has answered before with the
    same board: a document's build asks for the same months again and again (its body,
    annexes, rankings, red streaks, what it prints), and each asking read or computed
    the month anew. Only for reading: nothing inside may change the figures."""
    token = _kept_boards.set({}) if _kept_boards.get() is None else None
    try:
        yield
    finally:
        if token is not None:
            _kept_boards.reset(token)


def status_board(*, plan: Plan, period: date, today: date | None = None, unit: Unit | None = None) -> StatusBoard:
    kept = _kept_boards.get()
    if kept is None:
        return _status_board(plan=plan, period=period, today=today, unit=unit)
    key = (plan.pk, period, as_of_for(period, today), unit.pk if unit is not None else None)
    if key not in kept:
        kept[key] = _status_board(plan=plan, period=period, today=today, unit=unit)
    return kept[key]


def _status_board(*, plan: Plan, period: date, today: date | None = None, unit: Unit | None = None) -> StatusBoard:
    """Statuses of every metric × reporting unit and of the city for one month: the
    stored rows (four queries with the month, five with the figures). A month never
    refreshed, judged at another date than its rows (a test's `today`, or the open
    month before the daily refresh), or written
    since (refreshing in the request) is computed for this request and not stored:
    a read never writes, and never shows an out-of-date status without saying so.
    `unit`: only that unit's rows and the city's (a page about one unit or one figure
    reads its 45 rows, not the month's thousands; the board's coverage is then not the
    city's)."""
    as_of = as_of_for(period, today)
    sm = status_month(period)
    if is_current(sm, as_of):
        return board_read(plan, period, sm, unit)
    log.info("status rows of %s not current for %s: computed for this request", f"{period:%Y-%m}", as_of)
    return _only(board_compute(plan, period, as_of), unit)


def unit_board(*, plan: Plan, period: date, unit: Unit, today: date | None = None) -> tuple[StatusBoard, list[Unit]]:
    """status_board cut to `unit`'s rows and the city's (a unit's page reads its 45 rows,
    not the month's thousands; the board's coverage is then not the city's), and the
    units of its kind with rows that month (its peers). Four queries from stored rows
    (the month, metrics, rows, peers)."""
    as_of = as_of_for(period, today)
    sm = status_month(period)
    if is_current(sm, as_of):
        on_board = TargetStatus.objects.filter(period=period, metric__plan=plan, unit__isnull=False).values("unit_id")
        return board_read(plan, period, sm, unit), list(Unit.objects.filter(kind=unit.kind, pk__in=on_board))
    board = board_compute(plan, period, as_of)
    peers = {r.unit.pk: r.unit for r in board.unit_rows if r.unit.kind == unit.kind}
    return _only(board, unit), list(peers.values())


def metric_rows(
    metric: Metric, periods: Iterable[date], today: date | None = None
) -> dict[date, tuple[StatusRow, list[StatusRow]]]:
    """One metric's city row and unit rows for each of `periods`: the stored rows of the
    current months in two queries (the rows, the units; three with the months), a month
    without current rows computed for this request."""
    periods = sorted(set(periods))
    months = {sm.period: sm for sm in StatusMonth.objects.filter(period__in=periods)}
    current = [p for p in periods if is_current(months.get(p), as_of_for(p, today))]
    out: dict[date, tuple[StatusRow | None, list[StatusRow]]] = {p: (None, []) for p in current}
    stored = TargetStatus.objects.filter(metric=metric, period__in=current).order_by("period", "unit__sort_order", "unit__code")
    units = {u.pk: u for u in Unit.objects.all()} if current else {}
    for period, row in _stored_rows(stored, {metric.pk: metric}, units, with_period=True):
        unit_rows = out[period][1]
        if row.unit is None:
            out[period] = (row, unit_rows)
        else:
            unit_rows.append(row)
    for p in periods:
        if p in out and out[p][0] is not None:
            continue
        board = board_compute(metric.plan, p, as_of_for(p, today))
        out[p] = (board.city_rows[metric.pk], [r for r in board.unit_rows if r.metric.pk == metric.pk])
    return out


def reporting_rows(*, period: date, today: date | None = None) -> list[ReportingStatus]:
    """The units expected to report month `period`, one row each with its unit, in the
    units' order: the stored rows when current (two queries), else computed for this
    request and not stored. Every completeness figure reads this."""
    today = today or clock.today()
    sm = status_month(period)
    if is_current(sm, as_of_for(period, today)):
        rows = list(ReportingStatus.objects.filter(period=period, expected=True).select_related("unit"))
    else:
        plan = Plan.objects.filter(year=period.year).first()
        if plan is None:
            return []
        board = status_board(plan=plan, period=period, today=today)  # computed (kept within a build)
        rows = [r for r in _reporting_rows(plan, period, board, today, timezone.now()) if r.expected]
    return sorted(rows, key=lambda r: (r.unit.sort_order, r.unit.code))
