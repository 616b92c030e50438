"""Every page's and document's one way in to a month's status: the stored rows when they
are current, else the month computed for this request (a read never writes)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date

from django.conf import settings
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


def board_read(plan: Plan, period: date, sm: StatusMonth) -> StatusBoard:
    """A month's board from its stored rows. Two queries (metrics, rows with their
    units), and one more for the figures when a row's figure is first asked for."""
    metrics = list(
        Metric.objects.filter(plan=plan).select_related("area", "indicator", "indicator__lead_unit", "relative_metric", "task")
    )
    by_id = {m.pk: m for m in metrics}
    place = {m.pk: i for i, m in enumerate(metrics)}
    unit_fields = [f.attname for f in Unit._meta.concrete_fields]
    row_fields = [
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
    ]
    n = len(unit_fields)
    units: dict[int, Unit] = {}
    unit_rows, city_rows = [], {}
    figures = MonthFigures(plan, period)
    rows = TargetStatus.objects.filter(period=period, metric__plan=plan)
    for metric_id, *values in rows.values_list("metric_id", *(f"unit__{f}" for f in unit_fields), *row_fields):
        unit_values, (value, numerator, denominator, cases, state, ly, other, status, why, compared) = values[:n], values[n:]
        m = by_id[metric_id]
        reading = Reading(
            value=value if numerator is None and m.measure != Metric.Measure.RATIO else None,
            numerator=numerator,
            denominator=denominator,
            cases=cases,
            state=MilestoneState(state) if state else None,
            no_business=why == GreyReason.NO_BUSINESS,
        )
        if unit_values[0] is None:
            city_rows[metric_id] = StatusRow(m, None, None, reading, value, ly, other, Status(status), why, compared)
            continue
        unit = units.get(unit_values[0])
        if unit is None:
            unit = units[unit_values[0]] = Unit.from_db("default", unit_fields, unit_values)
        unit_rows.append(StatusRow(m, unit, None, reading, value, ly, other, Status(status), why, compared, figures))
    unit_rows.sort(key=lambda r: (place[r.metric.pk], r.unit.sort_order, r.unit.code))
    missing = [m for m in metrics if m.pk not in city_rows]
    if missing:  # a metric added since the refresh, before its own refresh ran
        computed = board_compute(plan, period, sm.as_of)
        return computed
    return StatusBoard(plan, period, metrics, unit_rows, city_rows, sm.computed_at, sm.pending)


def freshness(period: date | None) -> StatusMonth | None:
    """When refreshes are queued (STATUS_REFRESH_ASYNC), what pages say about the month's
    rows: 数据更新于 HH:MM, and whether a saved change is still being applied. None
    otherwise (the rows are refreshed before the saving request answers)."""
    if not settings.STATUS_REFRESH_ASYNC or period is None:
        return None
    return StatusMonth.objects.filter(period=period, computed_at__isnull=False).first()


def status_board(*, plan: Plan, period: date, today: date | None = None) -> StatusBoard:
    """Statuses of every metric × reporting unit and of the city for one month: the
    stored rows (three queries, four with the figures). A month never refreshed, judged at another date than
    its rows (a test's `today`, or the open month before the daily refresh), or written
    since (refreshing in the request) is computed for this request and not stored:
    a read never writes, and never shows an out-of-date status without saying so."""
    as_of = as_of_for(period, today)
    sm = status_month(period)
    if is_current(sm, as_of):
        return board_read(plan, period, sm)
    log.info("status rows of %s not current for %s: computed for this request", f"{period:%Y-%m}", as_of)
    return board_compute(plan, period, as_of)


def metric_rows(
    metric: Metric, periods: Iterable[date], today: date | None = None
) -> dict[date, tuple[StatusRow, list[StatusRow]]]:
    """One metric's city row and unit rows for each of `periods`: the stored rows of the
    current months in one query (two with the months), a month without current rows
    computed for this request."""
    periods = sorted(set(periods))
    months = {sm.period: sm for sm in StatusMonth.objects.filter(period__in=periods)}
    current = [p for p in periods if is_current(months.get(p), as_of_for(p, today))]
    out: dict[date, tuple[StatusRow | None, list[StatusRow]]] = {p: (None, []) for p in current}
    stored = TargetStatus.objects.filter(metric=metric, period__in=current).select_related("unit")
    for ts in stored.order_by("period", "unit__sort_order", "unit__code"):
        reading = Reading(
            value=ts.value if ts.numerator is None and metric.measure != Metric.Measure.RATIO else None,
            numerator=ts.numerator,
            denominator=ts.denominator,
            cases=ts.cases,
            state=MilestoneState(ts.state) if ts.state else None,
            no_business=ts.grey_reason == GreyReason.NO_BUSINESS,
        )
        row = StatusRow(
            metric, ts.unit, None, reading, ts.value, ts.last_year, ts.other, Status(ts.status), ts.grey_reason, ts.compared_with
        )
        units = out[ts.period][1]
        if ts.unit_id is None:
            out[ts.period] = (row, units)
        else:
            units.append(row)
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
        board = board_compute(plan, period, as_of_for(period, today))
        rows = [r for r in _reporting_rows(plan, period, board, today, timezone.now()) if r.expected]
    return sorted(rows, key=lambda r: (r.unit.sort_order, r.unit.code))
