"""Reads behind the red/green dashboards: the month overview, a metric's year, a unit's
scorecard, rankings month by month and the completeness board.

Every function runs a fixed number of queries whatever the number of units, metrics and
months of figures: statuses and completeness are the stored rows of
indicators.status_store (status_board: four queries a month; a metric's year: one query).
Results drawn from several months are kept in Django's cache under the time those months'
rows were last refreshed (status_store.rows_cached), so a saved figure makes only what
reads its months be computed again."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.utils import timezone

from actions import access
from actions.models import Plan, Unit
from indicators.models import Benchmark, Figure, Metric, Submission
from indicators.months import collecting_month
from indicators.rules.pace import pace_start, pace_value, project_year_end, projection_meets
from indicators.rules.periods import add_months, format_month, months_of_year
from indicators.rules.reporting import ReportState
from indicators.rules.reporting import report_state as state_of
from indicators.rules.scoring import Ranked, ScoreInput, completeness, rank_units
from indicators.rules.status import comparison_value, is_judged
from indicators.rules.types import MilestoneState, Status, format_number
from indicators.selectors import (
    StatusBoard,
    StatusRow,
    as_of_for,
    reporting_month_get,
    reporting_months_get,
    status_board,
    status_row_export,
)
from indicators.status_store import metric_rows, reporting_rows, rows_cached, rows_key
from reports.rankings import _inputs, scoring_formula

STATUS_ORDER = {Status.RED: 0, Status.YELLOW: 1, Status.GREY: 2, Status.GREEN: 3}
_HUNDREDTH = Decimal("0.01")


# -- formatting shared by pages, tables and the API ------------------------------------
def number(value) -> int | float | None:
    """A Decimal as a JSON number: integers stay integers (as export_status writes them)."""
    if value is None:
        return None
    value = Decimal(value).normalize()
    return int(value) if value == value.to_integral_value() else float(value)


def value_text(metric: Metric, value, state: MilestoneState | None = None) -> str:
    """A figure as people read it: "92.35%", "0.5 个工作日", "已完成"; "—" when missing."""
    # Web pages only: documents use reports.builders.common.figure_text (GB/T 15835: no space, 第N名).
    if metric.measure == Metric.Measure.MILESTONE:
        return state.label if state else "—"
    if value is None:
        return "—"
    shown = format_number(Decimal(value).quantize(_HUNDREDTH, rounding=ROUND_HALF_UP))
    unit = "%" if metric.is_percent else metric.unit_of_measure
    if unit in ("", "%", "‰"):
        return shown + unit
    return f"{shown} {unit}"


def row_value_text(row: StatusRow) -> str:
    return value_text(row.metric, row.value, row.reading.state)


# -- months ------------------------------------------------------------------------------
def months_with_figures() -> list[date]:
    """Every month that has figures, newest first (the month picker). One query that
    hops from month to month down the figures' period index (a "loose index scan"), so
    it costs one index probe a month, not a read of every figure."""
    table = Figure._meta.db_table
    sql = (
        f"WITH RECURSIVE months(p) AS (SELECT max(period) FROM {table} "  # noqa: S608 (our own table name)
        f"UNION ALL SELECT (SELECT max(period) FROM {table} WHERE period < months.p) FROM months WHERE months.p IS NOT NULL) "
        "SELECT p FROM months WHERE p IS NOT NULL"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [p if isinstance(p, date) else date.fromisoformat(p) for (p,) in cursor.fetchall()]


def dashboard_month(*, today: date | None = None) -> date | None:
    """The month a dashboard opens on: the latest month with figures, up to the month
    being collected (indicators.months says whether it is final); None when there are
    no figures."""
    latest = collecting_month(today=today)
    return next((p for p in months_with_figures() if p <= latest), None)


# -- overview -----------------------------------------------------------------------------
@dataclass
class AreaCount:
    area: object
    counts: dict[Status, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class MatrixRow:
    metric: Metric
    city: StatusRow
    cells: list[StatusRow | None]  # aligned with Overview.columns; None: not reported by / hidden from


@dataclass
class Overview:
    plan: Plan
    period: date
    board: StatusBoard
    area_counts: list[AreaCount]
    totals: dict[Status, int]
    columns: list[Unit]
    rows: list[MatrixRow]
    visible_rows: list[StatusRow] = field(default_factory=list)  # flat: units then city, filters applied


def _status_wanted(status_filter: str | None, status: Status) -> bool:
    if not status_filter:
        return True
    if status_filter == "red_yellow":
        return status in (Status.RED, Status.YELLOW)
    return status == status_filter


def city_counts(board: StatusBoard) -> tuple[list[AreaCount], dict[Status, int]]:
    """Green / yellow / red / grey targets at city level, per action area and in all
    (reference metrics are shown but never counted)."""
    areas: dict[int, AreaCount] = {}
    totals = dict.fromkeys(Status, 0)
    for m in board.metrics:
        if not is_judged(m.target):
            continue
        entry = areas.setdefault(m.area_id, AreaCount(m.area, dict.fromkeys(Status, 0)))
        status = board.city_rows[m.pk].status
        entry.counts[status] += 1
        totals[status] += 1
    return sorted(areas.values(), key=lambda a: a.area.number), totals


def overview(
    *,
    plan: Plan,
    period: date,
    user,
    area=None,
    indicator=None,
    unit_kind: str | None = None,
    status: str | None = None,
    today: date | None = None,
) -> Overview:
    """The month's city counts and the metrics × units matrix, cut to what `user` may
    see and to the filters. Four queries (status_board)."""
    board = status_board(plan=plan, period=period, today=today)
    area_counts, totals = city_counts(board)
    cells: dict[int, list[StatusRow]] = defaultdict(list)  # metric id → visible unit rows
    units: dict[int, Unit] = {}
    for row in board.unit_rows:
        if unit_kind and row.unit.kind != unit_kind:
            continue
        if not access.can_view_metric_of_unit(user, row.metric, row.unit):
            continue
        cells[row.metric.pk].append(row)
        units[row.unit.pk] = row.unit
    metrics = [
        m
        for m in board.metrics
        if (area is None or m.area_id == area.pk) and (indicator is None or m.indicator_id == indicator.pk)
    ]
    rows, flat = [], []
    used_units: set[int] = set()
    for m in metrics:
        city = board.city_rows[m.pk]
        mine = cells[m.pk]
        matching = [r for r in mine if _status_wanted(status, r.status)]
        # A unit-kind filter is about units: the city row then stays out of the list.
        city_matches = _status_wanted(status, city.status) and not unit_kind
        shown = matching if status else mine
        if (status or unit_kind) and not shown and not city_matches:
            continue
        used_units.update(r.unit.pk for r in shown)
        rows.append(MatrixRow(m, city, shown))
        flat += shown
        if city_matches:
            flat.append(city)
    columns = sorted((units[pk] for pk in used_units), key=lambda u: (_KIND_ORDER[u.kind], u.sort_order, u.code))
    for r in rows:
        by_unit = {c.unit.pk: c for c in r.cells}
        r.cells = [by_unit.get(u.pk) for u in columns]
    return Overview(plan, period, board, area_counts, totals, columns, rows, flat)


_KIND_ORDER = {Unit.Kind.COUNTY: 0, Unit.Kind.PARK: 1, Unit.Kind.DEPARTMENT: 2}


def html_key(name: str, parts: list, periods: list[date]) -> str | None:
    """Cache key of a page's HTML drawn from the stored rows of `periods` (a template's
    {% cached %}): it changes with every refresh of those months."""
    return rows_key(f"{name}-html", parts, periods)


def board_cached(name: str, plan: Plan, period: date, parts: list, compute, today: date | None = None):
    """compute(), drawn from one month's board, kept while that month's rows are unchanged."""
    return rows_cached(name, [plan.pk, period, as_of_for(period, today), *parts], [period], compute)


def status_rows_json(rows: list[StatusRow]) -> list[dict]:
    """Rows as export_status writes them (README "export_status JSON")."""
    return [status_row_export(r) for r in rows]


# -- one figure ---------------------------------------------------------------------------
def figure_detail(*, metric: Metric, unit: Unit, period: date, today: date | None = None) -> dict:
    """A cell of the matrix: the unit's row of the month and the figure's history."""
    board = status_board(plan=metric.plan, period=period, today=today)
    row = next((r for r in board.unit_rows if r.metric.pk == metric.pk and r.unit.pk == unit.pk), None)
    history = []
    if row and row.figure:
        history = list(row.figure.history.select_related("history_user").order_by("-history_date"))
    return {"row": row, "history": history}


# -- a metric over its year -----------------------------------------------------------------
@dataclass
class SeriesPoint:
    period: date
    value: Decimal | None
    status: Status
    target: Decimal | None  # the number the month is judged against (the pace when paced)
    pace: Decimal | None
    reported: int
    expected: int
    state: MilestoneState | None = None  # a milestone's city state (the least advanced unit)

    @property
    def text(self) -> str:
        return self.state.label if self.state else ("—" if self.value is None else format_number(self.value))


@dataclass
class UnitValue:
    unit: Unit
    row: StatusRow


@dataclass
class MetricSeries:
    metric: Metric
    year: int
    points: list[SeriesPoint]
    period: date | None  # the latest month with a figure (the bars' month)
    units: list[UnitValue]
    benchmarks: list[Benchmark]
    projection: Decimal | None
    meets: bool | None
    method: str

    @property
    def band(self) -> tuple[Decimal | None, Decimal | None]:
        m = self.metric
        return (m.low, m.high) if m.kind == Metric.Kind.RANGE else (None, None)


def _projection_method(metric: Metric, with_baseline: bool) -> str:
    if metric.basis == Metric.Basis.YEAR_END:
        return "报送值即全年数(测算或公布的年度值):取最近一次报送值作为年底预计值。"
    if metric.basis == Metric.Basis.YTD:
        start = ""
        if with_baseline:
            start = "以0为起点(0月,每年重新累计)," if metric.pace_from == 0 else "以上年基数为起点(0月),"
        return f"{start}对各月累计值作最小二乘直线拟合,推算到12月;只有一个月数据时按该月均匀增长推算。"
    return "当月值不累计:取最近三个已报月份的平均值作为年底预计值。"


def metric_series(*, metric: Metric, year: int | None = None, today: date | None = None) -> MetricSeries:
    """metric_series_compute, from the cache while the year's rows are unchanged."""
    year = year or metric.plan.year
    as_of = as_of_for(date(year, 12, 1), today)
    return rows_cached(
        "metric-series", [metric.pk, year, as_of], months_of_year(year), lambda: metric_series_compute(metric, year, as_of)
    )


def metric_series_compute(metric: Metric, year: int, today: date) -> MetricSeries:
    """The city value and status of `metric` for every month of its plan year (its
    stored rows), each unit's value in the latest month, benchmarks and the year-end
    projection. Four queries: the months, the metric's rows of the year, benchmarks, the
    latest month's figures (the units' explanations)."""
    months = months_of_year(year)
    by_month = metric_rows(metric, months, today)
    benchmarks = list(Benchmark.objects.filter(metric=metric).order_by("name"))
    target = metric.target
    points = []
    for period in months:
        city, units = by_month[period]
        pace = pace_value(target, period.month) if metric.pace else None
        reported = sum(1 for r in units if r.grey_reason != "not_reported")
        points.append(
            SeriesPoint(
                period,
                city.value,
                city.status,
                comparison_value(target, period),
                pace,
                reported,
                len(units),
                city.reading.state,
            )
        )

    latest = max((p.period for p in points if p.reported), default=None)
    unit_values: list[UnitValue] = []
    if latest is not None:
        rows = by_month[latest][1]
        figures = {f.unit_id: f for f in Figure.objects.filter(metric=metric, period=latest)}  # the units' explanations
        for r in rows:
            r.figure = figures.get(r.unit.pk)
        lower_better = target.better_direction is not None and target.better_direction.value == "lower"
        present = sorted((r for r in rows if r.value is not None), key=lambda r: r.value if lower_better else -r.value)
        unit_values = [UnitValue(r.unit, r) for r in present + [r for r in rows if r.value is None]]

    start = pace_start(target) if metric.pace and metric.basis == Metric.Basis.YTD else None
    with_baseline = start is not None
    projected, meets = None, None
    if metric.measure != Metric.Measure.MILESTONE:
        known = [(p.period.month, p.value) for p in points if p.value is not None]
        projected = project_year_end(known, basis=metric.basis, baseline=start)
        meets = projection_meets(target, metric.measure, projected)
    return MetricSeries(
        metric, year, points, latest, unit_values, benchmarks, projected, meets, _projection_method(metric, with_baseline)
    )


def series_json(series: MetricSeries) -> dict:
    m = series.metric
    low, high = series.band
    return {
        "metric": m.code,
        "name": m.name,
        "unit": "%" if m.is_percent else m.unit_of_measure,
        "target": m.target_text(),
        "year": series.year,
        "months": [format_month(p.period) for p in series.points],
        "city": [number(p.value) for p in series.points],
        "status": [p.status.value for p in series.points],
        "target_line": [number(p.target) for p in series.points] if not m.pace else [number(m.value)] * len(series.points),
        "pace": [number(p.pace) for p in series.points] if m.pace else None,
        "low": number(low),
        "high": number(high),
        "period": format_month(series.period) if series.period else None,
        "units": [
            {
                "unit": uv.unit.code,
                "name": uv.unit.name,
                "value": number(uv.row.value) if m.measure != Metric.Measure.MILESTONE else uv.row.display_value,
                "status": uv.row.status.value,
            }
            for uv in series.units
        ],
        "benchmarks": [{"name": b.name, "kind": b.kind, "value": number(b.value)} for b in series.benchmarks],
        "projection": {"value": number(series.projection), "meets": series.meets, "method": series.method},
    }


# -- boards of a year, for scorecards and rankings ----------------------------------------
def share_green(rows: list[StatusRow]) -> tuple[int, int, Decimal | None]:
    judged = [r for r in rows if is_judged(r.metric.target)]
    green = sum(1 for r in judged if r.status == Status.GREEN)
    return green, len(judged), (Decimal(green * 100) / len(judged)).quantize(Decimal("0.1")) if judged else None


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


def months_to(period: date) -> list[date]:
    return [p for p in months_of_year(period.year) if p <= period]


def month_shares(plan: Plan, period: date, today: date | None = None) -> dict[int, tuple[int, int, Decimal | None]]:
    """Each unit's (green, judged, share) in one month, kept while that month's rows are
    unchanged: a saved figure recomputes its own month, not the year's trend."""
    as_of = as_of_for(period, today)

    def compute():
        by_unit = defaultdict(list)
        for r in status_board(plan=plan, period=period, today=as_of).unit_rows:
            by_unit[r.unit.pk].append(r)
        return {pk: share_green(rows) for pk, rows in by_unit.items()}

    return rows_cached("month-shares", [plan.pk, period, as_of], [period], compute)


def unit_scorecard_compute(plan: Plan, unit: Unit, period: date, today: date) -> Scorecard:
    board = status_board(plan=plan, period=period, today=today)
    months = [p for p in months_of_year(period.year) if p <= period]
    shares = {p: month_shares(plan, p, today) for p in months}
    rows = [r for r in board.unit_rows if r.unit.pk == unit.pk]
    led = [board.city_rows[m.pk] for m in board.metrics if m.indicator.lead_unit_id == unit.pk]
    trend = [(p, *shares[p].get(unit.pk, (0, 0, None))) for p in months]
    deadlines = {p: rm.deadline for p, rm in reporting_months_get(months).items()}
    subs = {s.period: s for s in Submission.objects.filter(unit=unit, period__year=period.year, period__lte=period)}
    timeliness = []
    for p in months:
        if unit.pk not in shares[p]:  # not expected to report that month
            continue
        s = subs.get(p)
        timeliness.append(
            {
                "period": p,
                "deadline": deadlines[p],
                "submission": s,
                "on_time": bool(s and s.counts_as_submitted and not s.is_late),
                "label": _timeliness_label(s),
            }
        )
    explanations = [r for r in rows if r.status in (Status.RED, Status.YELLOW)]
    peer_units = {r.unit.pk: r.unit for r in board.unit_rows if r.unit.kind == unit.kind}
    peers = []
    for pk, peer in peer_units.items():
        g, j, share = shares[period][pk]
        peers.append({"unit": peer, "green": g, "judged": j, "share": share, "self": pk == unit.pk})
    peers.sort(key=lambda p: (-(p["share"] or 0), p["unit"].sort_order, p["unit"].code))
    return Scorecard(unit, period, rows, led, trend, timeliness, explanations, peers)


def _timeliness_label(s: Submission | None) -> str:
    if s is None:
        return "未报送"
    if not s.counts_as_submitted:
        return s.get_state_display()
    return "逾期报送" if s.is_late else "按时报送"


# -- rankings month by month -----------------------------------------------------------------
@dataclass
class MonthRanking:
    period: date
    groups: dict[str, list[Ranked]]
    inputs: dict[str, dict]


@dataclass
class Rankings:
    formula: str
    terms: str
    months: list[MonthRanking]
    labels: dict[str, str]

    @property
    def current(self) -> MonthRanking:
        return self.months[-1]

    def history(self, group: str) -> list[dict]:
        """Each unit's rank month by month, ordered as in the latest month."""
        ranks = {m.period: {r.unit: r for r in m.groups[group]} for m in self.months}
        out = []
        for r in self.current.groups[group]:
            out.append({"ranked": r, "months": [ranks[m.period].get(r.unit) for m in self.months]})
        return out


def rankings_months(period: date) -> list[date]:
    """What the year's rankings up to `period` read: every month from the December
    before (each month's improvement term) to `period`. A figure saved in a later month
    leaves them as they are."""
    months = months_to(period)
    return [add_months(months[0], -1), *months]


def rankings_by_month(*, plan: Plan, period: date, today: date | None = None) -> Rankings:
    """reports.rankings.rankings for each month of the year up to `period`, sharing the
    boards: the same ranks and movements. From the cache while the rows of those months
    are unchanged."""
    as_of = as_of_for(period, today)
    return rows_cached(
        "rankings", [plan.pk, period, as_of], rankings_months(period), lambda: rankings_by_month_compute(plan, period, as_of)
    )


def month_inputs(plan: Plan, period: date, today: date | None = None) -> dict[str, dict[str, ScoreInput]]:
    """Both groups' score inputs for one month (its board, the month before's for the
    improvement term, its submissions), kept while those months' rows are unchanged: a
    saved figure recomputes its own month, not the whole year's rankings."""
    as_of = as_of_for(period, today)
    before = add_months(period, -1)

    def compute():
        boards = {p: status_board(plan=plan, period=p, today=as_of) for p in (before, period) if p.year == plan.year}
        submissions = {(s.unit_id, s.period): s for s in Submission.objects.filter(period=period)}
        formula = scoring_formula(plan)
        return {g.code: _inputs(boards, [period], submissions, g, formula) for g in formula.groups}

    return rows_cached("month-inputs", [plan.pk, period, as_of], [before, period], compute)


def rankings_by_month_compute(plan: Plan, period: date, today: date) -> Rankings:
    formula = scoring_formula(plan)
    # The plan's own months: January has no month before it to move against (as in
    # reports.rankings.rankings).
    months = [p for p in months_of_year(period.year) if p <= period]
    inputs = {p: month_inputs(plan, p, today) for p in months}
    out = []
    for p in months:
        groups = {}
        for g in formula.groups:
            before = inputs.get(add_months(p, -1), {}).get(g.code)
            previous_rank = {r.unit: r.rank for r in rank_units(list(before.values()), formula=formula)} if before else None
            groups[g.code] = rank_units(list(inputs[p][g.code].values()), previous_rank, formula)
        out.append(MonthRanking(p, groups, {g.code: inputs[p][g.code] for g in formula.groups}))
    return Rankings(formula.text(), formula.terms(), out, {g.code: g.name for g in formula.groups})


# -- completeness ----------------------------------------------------------------------------
def report_state(submission: Submission | None, *, deadline: date, today: date) -> ReportState:
    """A unit's state for a month from its submission (if any) and the deadline, in the
    one vocabulary (indicators.rules.reporting)."""
    if submission is None:
        return state_of(None, is_late=False, deadline=deadline, today=today)
    return state_of(submission.state, is_late=submission.is_late, deadline=deadline, today=today)


@dataclass
class CompletenessRow:
    unit: Unit
    state: ReportState
    submission: Submission | None
    days: int  # positive: days before the deadline; negative: days past it

    @property
    def days_text(self) -> str:
        done = self.submission is not None and self.submission.counts_as_submitted
        if self.days == 0:
            return "截止日当天提交" if done else "今天截止"
        if done:
            return f"提前 {self.days} 天提交" if self.days > 0 else f"逾期 {-self.days} 天提交"
        return f"距截止还有 {self.days} 天" if self.days > 0 else f"已逾期 {-self.days} 天"


@dataclass
class Completeness:
    period: date
    deadline: date
    lock_date: date
    rows: list[CompletenessRow]

    @property
    def expected(self) -> int:
        return len(self.rows)

    @property
    def submitted(self) -> int:
        return sum(1 for r in self.rows if r.submission and r.submission.counts_as_submitted)

    @property
    def rate(self) -> Decimal:
        return completeness(self.submitted, self.expected)

    def counts(self) -> list[tuple[ReportState, int]]:
        return [(s, sum(1 for r in self.rows if r.state == s)) for s in ReportState]


def completeness_board(*, period: date, today: date | None = None) -> Completeness:
    """Every unit expected to report for `period` (its stored ReportingStatus rows:
    status_store.expected_units) and its state. Four queries."""
    today = today or timezone.localdate()
    rm = reporting_month_get(period)
    rows = reporting_rows(period=period, today=today)
    subs = {s.unit_id: s for s in Submission.objects.filter(period=period)}
    out = []
    for r in sorted(rows, key=lambda r: (_KIND_ORDER[r.unit.kind], r.unit.sort_order, r.unit.code)):
        s = subs.get(r.unit_id)
        if s and s.counts_as_submitted and s.submitted_at:
            ref = timezone.localtime(s.submitted_at).date()
        else:
            ref = today
        out.append(CompletenessRow(r.unit, report_state(s, deadline=rm.deadline, today=today), s, (rm.deadline - ref).days))
    return Completeness(period, rm.deadline, rm.lock_date, out)


def completeness_json(board: Completeness) -> dict:
    return {
        "period": format_month(board.period),
        "deadline": board.deadline.isoformat(),
        "lock_date": board.lock_date.isoformat(),
        "expected": board.expected,
        "submitted": board.submitted,
        "rate": number(board.rate),
        "units": [
            {
                "unit": r.unit.code,
                "name": r.unit.name,
                "kind": r.unit.kind,
                "state": r.state.value,
                "label": r.state.label,
                "days": r.days,
            }
            for r in board.rows
        ],
    }
