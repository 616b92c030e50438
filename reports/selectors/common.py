"""What every dashboard page, table and the API share: a figure as text, a Decimal as a
JSON number, the months with figures and the month a dashboard opens on, the unit order,
a month's share of green targets and the cache keys drawn from the stored status rows
(indicators.status.cache: results are kept under the time their months' rows were last
refreshed, so a saved figure makes only what reads its months be computed again)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import connection

from actions.models import Plan, Unit
from indicators.models import Figure, Metric, TargetStatus
from indicators.months import collecting_month
from indicators.rules.periods import months_of_year
from indicators.rules.scoring import counts_in_score
from indicators.rules.status import is_judged
from indicators.rules.types import MilestoneState, Status, format_figure
from indicators.selectors import StatusBoard, StatusRow, as_of_for, status_board, status_rows_export
from indicators.status.cache import rows_cached, rows_key
from indicators.status.read import is_current, status_month

STATUS_ORDER = {Status.RED: 0, Status.YELLOW: 1, Status.GREY: 2, Status.GREEN: 3}


def number(value) -> int | float | None:
    """A Decimal as a JSON number: integers stay integers (as export_status writes them)."""
    if value is None:
        return None
    value = Decimal(value).normalize()
    return int(value) if value == value.to_integral_value() else float(value)


def value_text(metric: Metric, value, state: MilestoneState | None = None) -> str:
    """A figure as people read it: "92.35%", "0.5 个工作日", "已完成"; "—" when missing."""
    # Web pages only: documents use reports.builders.common.figure_text (GB/T 15835: no space, 第N名).
    return value_formatter(metric)(value, state)


def value_formatter(metric: Metric) -> Callable[..., str]:
    """value_text(metric, …) for many figures of one metric (a matrix row has hundreds):
    its target's thresholds and its unit read once."""
    if metric.measure == Metric.Measure.MILESTONE:
        return lambda value, state=None: state.label if state else "—"
    thresholds = tuple(Decimal(t) for t in metric.target.thresholds if t is not None)
    unit = "%" if metric.is_percent else metric.unit_of_measure
    joint = "" if unit in ("", "%", "‰") else " "

    def text(value, state=None) -> str:
        return "—" if value is None else f"{format_figure(value, thresholds)}{joint}{unit}"

    return text


def row_value_text(row: StatusRow) -> str:
    return value_text(row.metric, row.value, row.reading.state)


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


KIND_ORDER = {Unit.Kind.COUNTY: 0, Unit.Kind.PARK: 1, Unit.Kind.DEPARTMENT: 2}


def html_key(name: str, parts: list, periods: list[date]) -> str | None:
    """Cache key of a page's HTML drawn from the stored rows of `periods` (a template's
    {% cached %}): it changes with every refresh of those months."""
    return rows_key(f"{name}-html", parts, periods)


def board_cached(name: str, plan: Plan, period: date, parts: list, compute, today: date | None = None):
    """compute(), drawn from one month's board, kept while that month's rows are unchanged."""
    return rows_cached(name, [plan.pk, period, as_of_for(period, today), *parts], [period], compute)


def status_rows_json(rows: list[StatusRow]) -> list[dict]:
    """Rows as export_status writes them (README "export_status JSON")."""
    return status_rows_export(rows)


def share_green(rows: list[StatusRow]) -> tuple[int, int, Decimal | None]:
    """达标率: green of the judged targets; grey of any reason leaves the denominator."""
    judged = [r for r in rows if is_judged(r.metric.target) and counts_in_score(r.status)]
    green = sum(1 for r in judged if r.status == Status.GREEN)
    return green_share(green, len(judged))


def green_share(green: int, judged: int) -> tuple[int, int, Decimal | None]:
    """(green, judged, share of green in percent to one place), None with nothing judged."""
    return green, judged, (Decimal(green * 100) / judged).quantize(Decimal("0.1")) if judged else None


def months_to(period: date) -> list[date]:
    return [p for p in months_of_year(period.year) if p <= period]


@dataclass
class Judged:
    """A row of a statuses-only board (statuses_board): all that scores and shares read."""

    metric: Metric
    unit: Unit | None
    status: Status


def plan_metrics(plan: Plan) -> list[Metric]:
    """The plan's metrics in plan order, with what scores read of them. One query."""
    return list(Metric.objects.filter(plan=plan).select_related("area", "indicator", "indicator__lead_unit"))


def all_units() -> dict[int, Unit]:
    return {u.pk: u for u in Unit.objects.all()}


def statuses_board(plan: Plan, period: date, today: date | None, *, metrics: list[Metric], units: dict[int, Unit]) -> StatusBoard:
    """A month's board with statuses only (no values, readings or figures), for scores
    and shares: the stored statuses in two queries (the month, its statuses) given the
    plan's metrics and the units, several times cheaper to read than status_board at
    province size. A month without current rows is status_board's."""
    sm = status_month(period)
    if not is_current(sm, as_of_for(period, today)):
        return status_board(plan=plan, period=period, today=today)
    by_id = {m.pk: m for m in metrics}
    place = {m.pk: i for i, m in enumerate(metrics)}
    unit_rows, city_rows = [], {}
    stored = TargetStatus.objects.filter(period=period, metric__plan=plan).values_list("metric_id", "unit_id", "status")
    for metric_id, unit_id, status in stored:
        m = by_id.get(metric_id)
        if m is None or (unit_id is not None and unit_id not in units):  # added since
            return status_board(plan=plan, period=period, today=today)
        if unit_id is None:
            city_rows[metric_id] = Judged(m, None, Status(status))
        else:
            unit_rows.append(Judged(m, units[unit_id], Status(status)))
    if len(city_rows) < len(metrics):  # a metric added since the refresh
        return status_board(plan=plan, period=period, today=today)
    unit_rows.sort(key=lambda r: (place[r.metric.pk], r.unit.sort_order, r.unit.code))
    return StatusBoard(plan, period, metrics, unit_rows, city_rows, sm.computed_at, sm.pending)
