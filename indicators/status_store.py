"""Statuses and completeness as stored rows, and the one service that writes them.

figure → `status_refresh` (the pure rules of indicators.rules, judged in `judge_row`)
→ TargetStatus (metric × unit × month, unit empty for the city), ReportingStatus (unit ×
month) and StatusMonth (the month's judgement date, time computed, dirty marker)
→ every page, API answer and report (`indicators.selectors.status_board`).

Every write path calls `status_refresh_on_commit` with the months it touched; the
refresh runs once, after the commit, for the union of those months (in the saving
request, or on Celery when settings.STATUS_REFRESH_ASYNC)."""

from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from actions import clock
from actions.models import Plan, Unit
from indicators.baselines import BaselineBook, baselines_for_month
from indicators.models import (
    Assignment,
    Figure,
    Metric,
    ReportingMonth,
    ReportingStatus,
    StatusMonth,
    Submission,
    TargetStatus,
)
from indicators.rules import aggregate as agg
from indicators.rules.pace import MONTH_WINDOW, year_end_outlook
from indicators.rules.periods import add_months, same_month_last_year
from indicators.rules.reporting import is_asked, submission_timeliness
from indicators.rules.scoring import Formula, Tally, scored_targets
from indicators.rules.status import city_judgement, comparison_value, is_judged, judge
from indicators.rules.types import MilestoneState, Reading, Status
from indicators.rules.workdays import month_end

log = logging.getLogger(__name__)

CITY = "city"
GreyReason = TargetStatus.GreyReason


# -- what pages read -------------------------------------------------------------------
class MonthFigures:
    """A month's figures, read in one query the first time a row asks for its figure (the
    pages that show explanations); pages that show only statuses never read them."""

    def __init__(self, plan: Plan, period: date):
        self.plan_id, self.period, self._by_key = plan.pk, period, None

    def get(self, metric_id: int, unit_id: int) -> Figure | None:
        if self._by_key is None:
            figures = Figure.objects.filter(metric__plan_id=self.plan_id, period=self.period)
            self._by_key = {(f.metric_id, f.unit_id): f for f in figures}
        return self._by_key.get((metric_id, unit_id))


@dataclass
class StatusRow:
    """One metric for one reporting unit (or the city, unit=None) in one month."""

    metric: Metric
    unit: Unit | None
    _figure: Figure | None
    reading: Reading
    value: Decimal | None
    last_year: Decimal | None
    other: Decimal | None
    status: Status
    grey_reason: str = ""
    compared_with: Decimal | None = None
    _figures: MonthFigures | None = field(default=None, repr=False, compare=False)

    @property
    def figure(self) -> Figure | None:
        """The unit's figure (explanation, measures, history), None for the city."""
        if self._figures is not None:
            self._figure, self._figures = self._figures.get(self.metric.pk, self.unit.pk), None
        return self._figure

    @figure.setter
    def figure(self, figure: Figure | None) -> None:
        self._figure, self._figures = figure, None

    def __getstate__(self) -> dict:  # kept in the cache with its figure, not the loader
        self.figure  # noqa: B018 (loads it)
        return self.__dict__.copy()

    @property
    def unit_code(self) -> str:
        return self.unit.code if self.unit else CITY

    @property
    def display_value(self):
        if self.metric.measure == Metric.Measure.MILESTONE:
            return self.reading.state.value if self.reading.state else None
        return self.value

    @property
    def grey_reason_label(self) -> str:
        return GreyReason(self.grey_reason).label if self.grey_reason else ""


@dataclass
class StatusBoard:
    plan: Plan
    period: date
    metrics: list[Metric]
    unit_rows: list[StatusRow]
    city_rows: dict[int, StatusRow]  # metric id → city row
    computed_at: datetime | None = None  # None: computed for this request, not stored
    pending: bool = False  # a write awaits a refresh (STATUS_REFRESH_ASYNC)

    def coverage(self, metric_id: int) -> agg.Coverage:
        """How complete the metric's city value is ("x/y 单位已报"): the units it counts
        that reported, of those expected; the same rule the city row was judged by."""
        if getattr(self, "_coverage", None) is None:
            flags = defaultdict(list)
            for r in self.unit_rows:
                if r.unit.counts_in_city:
                    no_business = r.grey_reason == GreyReason.NO_BUSINESS
                    flags[r.metric.pk].append(agg.has_reported(r.metric.measure, r.reading, no_business=no_business))
            quorum = {m.pk: m.city_quorum for m in self.metrics}
            self._coverage = {pk: agg.coverage(f, quorum=quorum.get(pk)) for pk, f in flags.items()}
        return self._coverage.get(metric_id) or agg.coverage([])

    def rows(self) -> list[StatusRow]:
        """Every unit row of a metric, then its city row; metrics in plan order."""
        by_metric = defaultdict(list)
        for row in self.unit_rows:
            by_metric[row.metric.pk].append(row)
        out = []
        for m in self.metrics:
            out += by_metric[m.pk]
            out.append(self.city_rows[m.pk])
        return out


def as_of_for(period: date, today: date | None = None) -> date:
    """The date a month is judged at: its last day once closed, today while it runs."""
    today = today or clock.today()
    return min(today, month_end(period))


def city_reading(metric: Metric, readings: list[Reading]) -> Reading:
    return agg.combine(metric.measure, readings, aggregate=metric.aggregate or None, direction=metric.target.better_direction)


# -- one definition: the units expected to report in a month ----------------------------
def expected_units(period: date) -> list[Unit]:
    """Units expected to report month `period`: assigned at least one metric of that
    year's plan, active that month, and reporting (Unit.reports). One query. Every
    completeness figure (month page, board, API, reminders, dispatch, bulletin) reads
    ReportingStatus.expected, which this sets."""
    units = Unit.objects.filter(reports=True, assignments__metric__plan__year=period.year).distinct()
    return sorted((u for u in units if is_expected(u, period)), key=lambda u: (u.sort_order, u.code))


def is_expected(unit: Unit, period: date) -> bool:
    """The rule of `expected_units` for one unit that has an assignment in the year's plan."""
    return unit.reports and unit.is_active_in(period)


def board_expected_units(board: StatusBoard) -> dict[int, Unit]:
    """`expected_units` of the board's month, from the board's own rows (no query): its
    units are the assigned ones active that month."""
    return {r.unit.pk: r.unit for r in board.unit_rows if is_expected(r.unit, board.period)}


# -- the one call to the rules -------------------------------------------------------------
def judge_row(
    metric: Metric,
    reading: Reading,
    *,
    as_of: date,
    period: date,
    last_year: Decimal | None,
    other: Decimal | None,
    no_business: bool = False,
    projected_meets: bool | None = None,
) -> tuple[Status, str]:
    """The status of one reading and, when grey, why (TargetStatus.GreyReason): the
    rules' own judgement (indicators.rules.status.judge), nothing added here."""
    j = judge(
        metric.target, metric.measure, reading, as_of=as_of, period=period, last_year=last_year, other=other,
        no_business=no_business, projected_meets=projected_meets,
    )  # fmt: skip
    return j.status, (j.grey_reason.value if j.grey_reason else "")


# -- computing a month with the pure rules ----------------------------------------------------
def board_compute(plan: Plan, period: date, as_of: date) -> StatusBoard:
    """Statuses of every metric × assigned active unit and of the city for one month, from
    the figures. Six queries: metrics, assignments, this month's figures, the year's
    earlier figures (for the year-end outlook), last year's figures, the office's
    baselines."""
    metrics = list(
        Metric.objects.filter(plan=plan).select_related("area", "indicator", "indicator__lead_unit", "relative_metric", "task")
    )
    # Read as tuples, each unit built once: a province has 23,000 assignments of 600 units.
    assignments = defaultdict(list)
    assigned = defaultdict(list)  # active or not this month: earlier months of the year may count them
    units: dict[int, Unit] = {}
    unit_fields = [f.attname for f in Unit._meta.concrete_fields]
    rows = Assignment.objects.filter(metric__plan=plan).order_by("unit__sort_order", "unit__code")
    for metric_id, *values in rows.values_list("metric_id", *(f"unit__{name}" for name in unit_fields)):
        unit = units.get(values[0])
        if unit is None:
            unit = units[values[0]] = Unit.from_db("default", unit_fields, values)
        assigned[metric_id].append(unit)
        if unit.is_active_in(period):
            assignments[metric_id].append(unit)
    figures = {(f.metric_id, f.unit_id): f for f in Figure.objects.filter(metric__plan=plan, period=period)}
    # Last year's figures belong to last year's plan: matched by metric code.
    last_year_readings: dict[tuple[str, int], Reading] = {}
    last_year = Figure.objects.filter(metric__plan__year=plan.year - 1, period=same_month_last_year(period))
    for code, unit_id, value, numerator, denominator, cases, state in last_year.values_list(
        "metric__code", "unit_id", "value", "numerator", "denominator", "cases", "state"
    ):
        state = MilestoneState(state) if state else None
        last_year_readings[(code, unit_id)] = Reading(
            value=value, numerator=numerator, denominator=denominator, cases=cases, state=state
        )
    baselines = baselines_for_month(plan=plan, period=period)
    unit_points, city_points = _year_so_far(metrics, assigned, period)

    city_values: dict[int, Decimal | None] = {}
    city_readings: dict[int, Reading] = {}
    unit_values: dict[tuple[int, int], Decimal | None] = {}
    for m in metrics:
        readings = []
        for unit in assignments[m.pk]:
            f = figures.get((m.pk, unit.pk))
            reading = f.reading if f else Reading()
            if unit.counts_in_city:  # a park whose cases are in its county's figure: counted once
                readings.append(reading)
            unit_values[(m.pk, unit.pk)] = agg.reading_value(m.measure, reading)
        city_readings[m.pk] = city_reading(m, readings)
        city_values[m.pk] = agg.reading_value(m.measure, city_readings[m.pk])

    unit_rows, city_rows = [], {}
    for m in metrics:
        other_id = m.relative_metric_id
        compared = comparison_value(m.target, period)
        sole = len(assignments[m.pk]) == 1
        reported = []  # of the units the city value counts: has each reported (rules.aggregate.coverage)
        for unit in assignments[m.pk]:
            f = figures.get((m.pk, unit.pk))
            reading = f.reading if f else Reading()
            ly = _unit_last_year(m, unit, last_year_readings, baselines, sole=sole)
            other = unit_values.get((other_id, unit.pk)) if other_id else None
            if other_id and other is None and sole:
                other = city_values.get(other_id)  # a city-level comparison reported by one unit
            no_business = bool(getattr(f, "no_business", False))
            meets = _outlook(m, unit_points.get((m.pk, unit.pk), []), period, unit_values[(m.pk, unit.pk)])
            status, why = judge_row(
                m, reading, as_of=as_of, period=period, last_year=ly, other=other, no_business=no_business,
                projected_meets=meets,
            )  # fmt: skip
            unit_rows.append(StatusRow(m, unit, f, reading, unit_values[(m.pk, unit.pk)], ly, other, status, why, compared))
            if unit.counts_in_city:
                reported.append(agg.has_reported(m.measure, reading, no_business=no_business))
        ly_city = _city_last_year(m, assignments[m.pk], last_year_readings, baselines)
        other_city = city_values.get(other_id) if other_id else None
        reading = city_readings[m.pk]
        meets = _outlook(m, city_points.get(m.pk, []), period, city_values[m.pk])
        status, why = judge_row(
            m, reading, as_of=as_of, period=period, last_year=ly_city, other=other_city, projected_meets=meets
        )
        status, why = city_judgement(status, why, agg.coverage(reported, quorum=m.city_quorum))  # judged once complete
        city_rows[m.pk] = StatusRow(m, None, None, reading, city_values[m.pk], ly_city, other_city, status, why, compared)
    return StatusBoard(plan, period, metrics, unit_rows, city_rows)


def _projected(metric: Metric) -> bool:
    """Whether a metric's months carry a year-end outlook (rules.pace.year_end_outlook):
    a figure that accumulates or runs month by month; a modelled annual figure already is
    the year, and a milestone has none."""
    return metric.measure != Metric.Measure.MILESTONE and metric.basis in (Metric.Basis.MONTH, Metric.Basis.YTD)


def _year_so_far(metrics: list[Metric], assigned: dict, period: date) -> tuple[dict, dict]:
    """The values of the plan year's months before `period`, per metric × unit and per
    metric for the city (each month's units, as that month's board counts them). One
    query; none in January (no earlier month) or December (no outlook: `_outlook`)."""
    unit_points: dict[tuple[int, int], list] = defaultdict(list)
    city_points: dict[int, list] = defaultdict(list)
    wanted = {m.pk: m for m in metrics if _projected(m)}
    if period.month in (1, 12) or not wanted:
        return unit_points, city_points
    # A month's own figure looks back over the last quarter only; a year-to-date one over the year.
    window = add_months(period, 1 - MONTH_WINDOW)
    monthly = [pk for pk, m in wanted.items() if m.basis == Metric.Basis.MONTH]
    ytd = [pk for pk, m in wanted.items() if m.basis != Metric.Basis.MONTH]
    rows = Figure.objects.filter(
        Q(metric_id__in=monthly, period__gte=max(window, period.replace(month=1))) | Q(metric_id__in=ytd),
        period__gte=period.replace(month=1),
        period__lt=period,
    )
    month_readings: dict[tuple[int, date], dict[int, Reading]] = defaultdict(dict)
    for metric_id, unit_id, month, value, numerator, denominator, cases, state, no_business in rows.values_list(
        "metric_id", "unit_id", "period", "value", "numerator", "denominator", "cases", "state", "no_business"
    ).order_by("period"):
        state = MilestoneState(state) if state else None
        reading = Reading(
            value=value, numerator=numerator, denominator=denominator, cases=cases, state=state, no_business=no_business
        )
        month_readings[(metric_id, month)][unit_id] = reading
        value = agg.reading_value(wanted[metric_id].measure, reading)
        if value is not None:
            unit_points[(metric_id, unit_id)].append((month.month, value))
    for (metric_id, month), readings in sorted(month_readings.items(), key=lambda item: item[0][1]):
        metric = wanted[metric_id]
        counted = [readings[u.pk] for u in assigned[metric_id] if u.pk in readings and u.counts_in_city and u.is_active_in(month)]
        value = agg.reading_value(metric.measure, city_reading(metric, counted))
        if value is not None:
            city_points[metric_id].append((month.month, value))
    return unit_points, city_points


def _outlook(metric: Metric, earlier: list, period: date, value: Decimal | None) -> bool | None:
    """Whether the year, heading as its months so far say, meets the target (None: the
    outlook cannot say, or the month has no value to judge). December has no outlook:
    its figure is the year's."""
    if value is None or period.month == 12 or not _projected(metric):
        return None
    return year_end_outlook(metric.target, metric.measure, metric.basis, [*earlier, (period.month, value)])[1]


def _unit_last_year(
    metric: Metric, unit: Unit, last_year_readings: dict, baselines: BaselineBook, *, sole: bool = False
) -> Decimal | None:
    """Last year's value for one unit: its figure of last year in the system, else the
    office's baseline for it (indicators.baselines; never typed by the unit). The sole
    reporter of a metric reports the city's figure: it falls back to the city's
    last-year value, so that one figure has one status in both rows."""
    previous = last_year_readings.get((metric.code, unit.pk))
    if previous is not None:
        value = agg.reading_value(metric.measure, previous)
        if value is not None:
            return value
    value = baselines.get(metric, unit.pk)
    if value is None and sole:
        value = _city_baseline(metric, baselines)
    return value


def _city_baseline(metric: Metric, baselines: BaselineBook) -> Decimal | None:
    """The office's city baseline of the month, else the plan's."""
    city = baselines.get(metric, None)
    return city if city is not None else metric.baseline


def _city_last_year(metric, units, last_year_readings, baselines: BaselineBook) -> Decimal | None:
    """Last year's city value: from last year's figures of the units the city counts,
    where the system has them; else the office's city baseline; else the plan's. With a
    sole reporter, exactly what that unit's row compares with."""
    if len(units) == 1:
        return _unit_last_year(metric, units[0], last_year_readings, baselines, sole=True)
    previous = [
        last_year_readings[(metric.code, u.pk)] for u in units if (metric.code, u.pk) in last_year_readings and u.counts_in_city
    ]
    if previous:
        value = agg.reading_value(metric.measure, city_reading(metric, previous))
        if value is not None:
            return value
    return _city_baseline(metric, baselines)


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


# -- writing ---------------------------------------------------------------------------------------
def status_refresh(*, periods: Iterable[date], today: date | None = None, progress: Callable[[date], None] | None = None) -> int:
    """Recompute the stored rows of `periods` with the pure rules: all of a month's rows
    are replaced in one transaction. Months without a plan lose their rows. Returns the
    number of TargetStatus rows written."""
    written = 0
    periods = {p.replace(day=1) for p in periods}
    plans = {p.year: p for p in Plan.objects.filter(year__in={p.year for p in periods})} if periods else {}
    for period in sorted(periods):
        written += _refresh_month(period, plans.get(period.year), today)
        if progress:
            progress(period)
    # Inside a transaction this refresh has seen its writes: its months need no refresh at commit.
    state = getattr(transaction.get_connection(), _STATE_ATTR, None)
    if state is not None and not state["done"]:
        state["periods"] -= periods
        state["reporting"] -= periods
    return written


def _refresh_month(period: date, plan: Plan | None, today: date | None) -> int:
    """Read and judge the month outside any transaction, then replace its rows in one
    short one: on SQLite a transaction holds the whole database's write lock, and every
    save in the city would wait for the judging. A refresh that began reading before the
    one whose rows are stored writes nothing (those rows are newer)."""
    started = timezone.now()
    today = today or clock.today()
    as_of = as_of_for(period, today)
    rows, reporting = [], []
    if plan is not None:
        board = board_compute(plan, period, as_of)
        now = timezone.now()
        rows = [_stored(r, period, now) for r in board.unit_rows] + [_stored(r, period, now) for r in board.city_rows.values()]
        reporting = _reporting_rows(plan, period, board, today, now)
    with transaction.atomic():
        # Serialise the writes of one month (the update takes SQLite's write lock first).
        sm, _ = StatusMonth.objects.get_or_create(period=period)
        StatusMonth.objects.filter(pk=sm.pk).update(period=period)
        sm = StatusMonth.objects.select_for_update().get(pk=sm.pk)
        if sm.read_at is not None and sm.read_at > started:
            return 0  # a refresh that read after this one has written already
        if plan is None:
            TargetStatus.objects.filter(period=period).delete()
            ReportingStatus.objects.filter(period=period).delete()
            sm.delete()
            return 0
        now = timezone.now()
        _rows_write(TargetStatus, period, rows, key=lambda r: (r.metric_id, r.unit_id), now=now)
        _rows_write(ReportingStatus, period, reporting, key=lambda r: r.unit_id, now=now)
        sm.as_of, sm.computed_at, sm.read_at = as_of, now, started
        # A write that marked the month while this refresh read it keeps its mark: its own refresh follows.
        if sm.pending_since is not None and sm.pending_since <= started:
            sm.pending_since = None
        sm.save()
    return len(rows)


def _rows_write(model, period: date, rows: list, *, key, now) -> None:
    """Make `rows` the month's rows of `model`, writing only what changed: a save changes
    a handful of a month's thousands of rows, and the write lock is held for those."""
    fields = [f.attname for f in model._meta.concrete_fields if f.attname not in ("id", "computed_at")]
    stored = {key(r): r for r in model.objects.filter(period=period)}
    create, update = [], []
    for r in rows:
        old = stored.pop(key(r), None)
        r.computed_at = now
        if old is None:
            create.append(r)
        elif any(getattr(old, f) != getattr(r, f) for f in fields):
            r.pk = old.pk
            update.append(r)
    if stored:
        model.objects.filter(pk__in=[r.pk for r in stored.values()]).delete()
    model.objects.bulk_update(update, [*fields, "computed_at"], batch_size=500)
    model.objects.bulk_create(create, batch_size=2000)


def _stored(row: StatusRow, period: date, now) -> TargetStatus:
    r = row.reading
    return TargetStatus(
        metric_id=row.metric.pk,
        unit_id=row.unit.pk if row.unit else None,
        period=period,
        value=row.value,  # as judged: None for an average over no cases
        numerator=r.numerator,
        denominator=r.denominator,
        cases=r.cases,
        state=r.state.value if r.state else "",
        compared_with=row.compared_with,
        last_year=row.last_year,
        other=row.other,
        status=row.status.value,
        grey_reason=row.grey_reason,
        computed_at=now,
    )


def timeliness(submission: Submission | None, *, deadline: date, today: date) -> str:
    """The stored ReportingStatus.timeliness: the one rule, rules.reporting.submission_timeliness."""
    return str(submission_timeliness(submission, deadline=deadline, today=today))


def _reporting_rows(plan: Plan, period: date, board: StatusBoard, today: date, now) -> list[ReportingStatus]:
    expected = {u.pk for u in expected_units(period)}
    from indicators.selectors import reporting_month_get  # here: selectors imports this module

    deadline = reporting_month_get(period).deadline
    subs = {s.unit_id: s for s in Submission.objects.filter(period=period)}
    units: dict[int, Unit] = {}
    counts: dict[int, dict] = defaultdict(lambda: dict.fromkeys(["assigned", "filled", "judged", *Status], 0))
    for row in board.unit_rows:
        units[row.unit.pk] = row.unit
        c = counts[row.unit.pk]
        filled = row.reading.no_business or not agg.is_empty(row.metric.measure, row.reading)
        if is_asked(year_end_only=row.metric.year_end_only, period=period) or filled:  # rules.reporting.is_asked
            c["assigned"] += 1
            c["filled"] += filled
        if is_judged(row.metric.target):
            c["judged"] += 1
            c[row.status] += 1
    scores, leads = _score_counts(board, _statuses_before(period), Formula.from_dict(plan.scoring))
    for pk, unit in leads.items():  # a lead department scored on a city value it does not report
        units.setdefault(pk, unit)
    out = []
    for pk, unit in units.items():
        s, c, sc = subs.get(pk), counts[pk], scores[pk]
        out.append(
            ReportingStatus(
                unit=unit,
                period=period,
                expected=pk in expected,
                state=s.state if s else "",
                submitted=bool(s and s.counts_as_submitted),
                submitted_at=s.submitted_at if s else None,
                timeliness=timeliness(s, deadline=deadline, today=today),
                assigned=c["assigned"],
                filled=c["filled"],
                judged=c["judged"],
                green=c[Status.GREEN],
                yellow=c[Status.YELLOW],
                red=c[Status.RED],
                grey=c[Status.GREY],
                scored=sc["scored"],
                scored_green=sc["scored_green"],
                comparable=sc["comparable"],
                improved=sc["improved"],
                computed_at=now,
            )
        )
    return out


def _statuses_before(period: date) -> dict[tuple[int | None, int], str]:
    """The stored statuses of the month before within the plan year, by (unit, metric);
    the unit is None for the city. January compares with nothing (a new plan)."""
    before = add_months(period, -1)
    if before.year != period.year:
        return {}
    rows = TargetStatus.objects.filter(period=before).values_list("unit_id", "metric_id", "status")
    return {(unit_id, metric_id): status for unit_id, metric_id, status in rows}


def _score_counts(board: StatusBoard, before: dict, formula: Formula) -> tuple[dict[int, dict], dict[int, Unit]]:
    """Per unit, what the published score counts of the month (reports.rankings): the one
    definition, rules.scoring.scored_targets and Tally. Also the lead departments scored
    on a city value they do not report."""
    tallies: dict[int, Tally] = defaultdict(Tally)
    leads: dict[int, Unit] = {}
    targets = scored_targets(
        board.metrics, board.unit_rows, board.city_rows, judged=lambda m: is_judged(m.target), leads_scored=formula.leads_scored
    )
    for unit, metric, row, city in targets:
        tallies[unit.pk].add(row.status, before.get((None if city else unit.pk, metric.pk)))
        if city:
            leads[unit.pk] = unit
    out: dict[int, dict] = defaultdict(lambda: dict.fromkeys(["scored", "scored_green", "comparable", "improved"], 0))
    for pk, t in tallies.items():
        out[pk].update(scored=t.judged, scored_green=t.met, comparable=t.comparable, improved=t.improved)
    return out, leads


def months_touched(periods: Iterable[date]) -> set[date]:
    """The months whose rows a write to `periods`' figures changes: those months, and
    the same months next year (this year's figure is next year's last-year value).
    Relative_to and city values depend only on their own month."""
    out = set()
    for p in periods:
        p = p.replace(day=1)
        out |= {p, add_months(p, 12)}
    return out


def months_after_in_use(periods: Iterable[date]) -> set[date]:
    """The later months of the same plan year that have stored rows: their year-end
    outlook (a 预警 of a green month) reads the months before them. One query."""
    firsts: dict[int, date] = {}
    for p in periods:
        p = p.replace(day=1)
        firsts[p.year] = min(p, firsts.get(p.year, p))
    if not firsts:
        return set()
    later = Q()
    for year, first in firsts.items():
        later |= Q(period__gt=first, period__year=year)
    return set(StatusMonth.objects.filter(later).values_list("period", flat=True))


def months_of_year_in_use(year: int) -> set[date]:
    """Months of `year` that have figures, submissions or stored rows (a plan change
    refreshes these, and the same months of the next year)."""
    months = set(Figure.objects.filter(period__year=year).values_list("period", flat=True).distinct())
    months |= set(Submission.objects.filter(period__year=year).values_list("period", flat=True).distinct())
    months |= set(StatusMonth.objects.filter(period__year=year).values_list("period", flat=True))
    return months


def months_in_use() -> set[date]:
    months = set(Figure.objects.values_list("period", flat=True).distinct())
    months |= set(Submission.objects.values_list("period", flat=True).distinct())
    return months | set(StatusMonth.objects.values_list("period", flat=True))


def status_refresh_on_commit(periods: Iterable[date], *, next_year: bool = True) -> None:
    """Refresh `periods` (and, with next_year, the same months next year) once the
    current transaction commits: one refresh per transaction for the union of months
    registered in it. The months are marked pending at once, so that a read before the
    refresh computes afresh (or, with STATUS_REFRESH_ASYNC, says that an update is
    pending)."""
    periods = [p.replace(day=1) for p in periods]
    wanted = months_touched(periods) if next_year else set(periods)
    if not wanted:
        return
    wanted |= months_after_in_use(periods)
    state = _transaction_state()
    if state is None:  # autocommit: the write is already committed
        _mark_pending(wanted)
        _run_refresh(wanted)
        return
    new = wanted - state["periods"]
    if new:
        _mark_pending(new)
        state["periods"] |= new
    _register(state)


def reporting_refresh_on_commit(periods: Iterable[date]) -> None:
    """A submission changed state (submit, approve, accept, return, a reopened
    correction): only the months' ReportingStatus rows follow, on commit, in the saving
    request (a province month takes some 50 ms). Statuses are untouched."""
    wanted = {p.replace(day=1) for p in periods}
    state = _transaction_state()
    if state is None:
        reporting_refresh(periods=wanted)
        return
    state["reporting"] |= wanted
    _register(state)


def reporting_refresh(*, periods: Iterable[date], today: date | None = None) -> int:
    """Bring the submission state and timeliness of the months' ReportingStatus rows up to
    date (the counts come from the status rows, which a submission leaves as they are).
    A month without rows gets a full refresh. Returns the number of rows changed."""
    from indicators.selectors import reporting_month_get  # here: selectors imports this module

    today = today or clock.today()
    changed, missing = 0, set()
    for period in sorted({p.replace(day=1) for p in periods}):
        with transaction.atomic():
            sm = StatusMonth.objects.select_for_update().filter(period=period).first()
            if sm is None or sm.computed_at is None:
                missing.add(period)
                continue
            deadline = reporting_month_get(period).deadline
            subs = {s.unit_id: s for s in Submission.objects.filter(period=period)}
            rows = []
            for r in ReportingStatus.objects.filter(period=period):
                s = subs.get(r.unit_id)
                new = {
                    "state": s.state if s else "",
                    "submitted": bool(s and s.counts_as_submitted),
                    "submitted_at": s.submitted_at if s else None,
                    "timeliness": timeliness(s, deadline=deadline, today=today),
                }
                if any(getattr(r, k) != v for k, v in new.items()):
                    for k, v in new.items():
                        setattr(r, k, v)
                    rows.append(r)
            if rows:
                now = timezone.now()
                for r in rows:
                    r.computed_at = now
                fields = ["state", "submitted", "submitted_at", "timeliness", "computed_at"]
                ReportingStatus.objects.bulk_update(rows, fields, batch_size=1000)
                # Results cached from this month (scores read timeliness) are keyed by this time.
                StatusMonth.objects.filter(pk=sm.pk).update(computed_at=now)
            changed += len(rows)
    if missing:
        status_refresh(periods=missing, today=today)
    return changed


def status_refresh_years_on_commit(years: set[int] | None) -> None:
    """Refresh every month in use of `years` (None: of every year) on commit: for
    changes to the plan's structure, units and assignments. Each year is looked up once
    per transaction."""
    state = _transaction_state()
    if state is not None:
        if state["all_years"] or (years is not None and years <= state["years"]):
            return
        state["all_years"] = years is None
        state["years"] |= years or set()
    months = months_in_use() if years is None else set().union(*(months_of_year_in_use(y) for y in years))
    status_refresh_on_commit(months, next_year=False)


_STATE_ATTR = "_status_refresh_pending"


def _transaction_state() -> dict | None:
    """The months registered for refresh in the current transaction (None outside one)."""
    conn = transaction.get_connection()
    if not conn.in_atomic_block:
        return None
    state = getattr(conn, _STATE_ATTR, None)
    # Fresh after a refresh ran, or when a rolled-back savepoint dropped every callback.
    if state is None or state["done"] or not any(getattr(e[1], "state", None) is state for e in conn.run_on_commit):
        state = {"periods": set(), "reporting": set(), "years": set(), "all_years": False, "done": False}
        setattr(conn, _STATE_ATTR, state)
    return state


def _register(state: dict) -> None:
    """One on_commit callback per call (a rolled-back savepoint drops only its own); the
    first to run refreshes the union of the transaction's months, the others do nothing."""

    def callback():
        if state["done"]:
            return
        state["done"] = True
        _run_refresh(state["periods"])
        if state["reporting"] - state["periods"]:
            try:
                reporting_refresh(periods=state["reporting"] - state["periods"])
            except Exception:  # the write is committed; the daily job and the next write catch up
                log.exception("reporting refresh of %s failed", sorted(state["reporting"]))

    callback.state = state
    transaction.on_commit(callback)


def _mark_pending(periods: set[date]) -> None:
    StatusMonth.objects.filter(period__in=periods).update(pending_since=timezone.now())


def _run_refresh(periods: set[date]) -> None:
    if not periods:
        return
    if settings.STATUS_REFRESH_ASYNC:
        from indicators.tasks import status_refresh_task  # here: tasks imports this module

        try:
            status_refresh_task.delay([p.isoformat() for p in sorted(periods)])
            return
        except Exception:  # the broker is down: refresh here rather than leave the months pending
            log.exception("could not queue the status refresh of %s; refreshing now", sorted(periods))
    try:
        status_refresh(periods=periods)
    except Exception:  # the write is committed: its months stay marked and are computed on read
        log.exception("status refresh of %s failed; the months stay pending", sorted(periods))


def status_refresh_open(*, today: date | None = None) -> list[date]:
    """The daily job: refresh the months whose judgement moves with the calendar — the
    running month (its judgement date is today), the month before (its deadline passes
    in this month), any month whose deadline has just passed, and any month whose rows
    were judged before its end and before today."""
    today = today or clock.today()
    this = today.replace(day=1)
    months = {this, add_months(this, -1)}
    # A month whose deadline the office moved later: its late units become missing today.
    passed = ReportingMonth.objects.filter(deadline__gte=today - timedelta(days=2), deadline__lt=today)
    months |= set(passed.values_list("period", flat=True))
    for period, as_of in StatusMonth.objects.values_list("period", "as_of"):
        if as_of is None or as_of != as_of_for(period, today):
            months.add(period)
    months = {p for p in months if Plan.objects.filter(year=p.year).exists()}
    status_refresh(periods=months, today=today)
    return sorted(months)


# -- Django's cache, keyed by the rows' last refresh -------------------------------------------
def rows_key(name: str, parts: Iterable, periods: Iterable[date]) -> str | None:
    """A cache key for a result drawn from the stored rows of `periods`: it changes with
    every refresh of those months. None (do not cache) when a month has no current rows
    or the result cache is off. One query."""
    if not settings.RESULT_CACHE:
        return None
    periods = sorted(set(periods))
    months = StatusMonth.objects.filter(period__in=periods).values_list("period", "computed_at", "pending_since")
    found = {p: (c, s) for p, c, s in months}
    if any(p in found and (found[p][0] is None or found[p][1] is not None) for p in periods):
        return None
    absent = {p for p in periods if p not in found}
    # A month of a year without a plan has no rows and nothing to change (the December
    # before a plan's first month); any other month without rows is computed each time.
    if absent and Plan.objects.filter(year__in={p.year for p in absent}).exists():
        return None
    database = connection.settings_dict["NAME"]
    stamps = [f"{p}={found[p][0].isoformat() if p in found else '-'}" for p in periods]
    raw = "|".join([str(database), name, *map(str, parts), *stamps])
    return f"rows:{name}:{hashlib.sha256(raw.encode()).hexdigest()}"


_MISSING = object()


def rows_cached(name: str, parts: Iterable, periods: Iterable[date], compute: Callable[[], object]):
    """compute(), or its result from the cache while the rows of `periods` are unchanged."""
    key = rows_key(name, parts, periods)
    if key is None:
        return compute()
    value = cache_get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache_put(key, value)
    return value


# The cache only saves time: when its server (Redis) is down or slow, a read is a miss and
# a write is skipped, logged, and the page is computed as if there were no cache.
def cache_get(key: str, default=None):
    try:
        return cache.get(key, default)
    except Exception as exc:  # any backend failure (connection refused, timeout…)
        log.warning("result cache unavailable, computing instead: %s", exc)
        return default


def cache_put(key: str, value) -> None:
    try:
        cache.set(key, value, settings.RESULT_CACHE_SECONDS)
    except Exception as exc:
        log.warning("result cache unavailable, result not kept: %s", exc)
