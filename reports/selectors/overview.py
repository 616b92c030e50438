"""The month overview (city counts and the metrics × units matrix) and one cell of it.
Four queries a month (status_board)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.core.paginator import Page, Paginator

from actions import access
from actions.models import Plan, Unit
from indicators.models import Metric
from indicators.rules.aggregate import Coverage
from indicators.rules.status import is_judged
from indicators.rules.types import Status
from indicators.selectors import (
    StatusBoard,
    StatusRow,
    status_board,
)
from reports.selectors.common import KIND_ORDER


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
    coverage: Coverage | None = None  # how complete the city value is ("x/y 单位已报")


# Unit columns per page of the matrix: a city's units fit on one (the 2022 plan's demo: 39);
# a province's 600 would make a page of 27,000 cells and 2.3 MB that no one reads across.
MATRIX_UNITS = 50


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

    def columns_page(self, number) -> Page:
        """The page `number` of the matrix's unit columns (the first for a missing or
        malformed number, the last past the end), MATRIX_UNITS to a page."""
        return Paginator(self.columns, MATRIX_UNITS).get_page(number)


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
    may_view = access.metric_of_unit_viewer(user)
    for row in board.unit_rows:
        if unit_kind and row.unit.kind != unit_kind:
            continue
        if not may_view(row.metric, row.unit):
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
    # A lead unit sees the indicators it leads: the plan's other metrics would be rows
    # with no cell it may see.
    leads_only = access.role_of(user) == access.Role.LEAD
    for m in metrics:
        city = board.city_rows[m.pk]
        mine = cells[m.pk]
        if leads_only and not mine and not access.can_view_metric(user, m):
            continue
        matching = [r for r in mine if _status_wanted(status, r.status)]
        # A unit-kind filter is about units: the city row then stays out of the list.
        city_matches = _status_wanted(status, city.status) and not unit_kind
        shown = matching if status else mine
        if (status or unit_kind) and not shown and not city_matches:
            continue
        used_units.update(r.unit.pk for r in shown)
        rows.append(MatrixRow(m, city, shown, board.coverage(m.pk)))
        flat += shown
        if city_matches:
            flat.append(city)
    columns = sorted((units[pk] for pk in used_units), key=lambda u: (KIND_ORDER[u.kind], u.sort_order, u.code))
    for r in rows:
        by_unit = {c.unit.pk: c for c in r.cells}
        r.cells = [by_unit.get(u.pk) for u in columns]
    return Overview(plan, period, board, area_counts, totals, columns, rows, flat)


def figure_detail(*, metric: Metric, unit: Unit, period: date, today: date | None = None) -> dict:
    """A cell of the matrix: the unit's row of the month and the figure's history."""
    board = status_board(plan=metric.plan, period=period, today=today, unit=unit)
    row = next((r for r in board.unit_rows if r.metric.pk == metric.pk), None)
    history = []
    if row and row.figure:
        history = list(row.figure.history.select_related("history_user").order_by("-history_date"))
    return {"row": row, "history": history}
