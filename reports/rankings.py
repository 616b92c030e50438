"""Scores and rankings of units over one or more months (a month for the dashboards, a
quarter for the bulletin), by the published formula in indicators.rules.scoring.

Counties and parks are scored on their own figures; lead departments on the city values
of the indicators they lead. Queries are fixed: four per month plus one."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from actions.models import Plan, Unit
from indicators.models import Submission
from indicators.rules.periods import add_months
from indicators.rules.scoring import Ranked, ScoreInput, improved, rank_units
from indicators.rules.status import is_judged
from indicators.rules.types import Status
from indicators.selectors import StatusBoard, status_board

GROUPS = {
    "areas": ("县市区和园区", {Unit.Kind.COUNTY, Unit.Kind.PARK}),
    "departments": ("指标牵头部门", {Unit.Kind.DEPARTMENT}),
}


@dataclass
class Ranking:
    group: str
    label: str
    periods: list[date]
    rows: list[Ranked]
    inputs: dict[str, ScoreInput]


def _unit_rows(board: StatusBoard, group: str):
    """(unit, metric code, status) of every judged target the group is scored on."""
    if group == "areas":
        for row in board.unit_rows:
            if row.unit.kind in GROUPS["areas"][1] and is_judged(row.metric.target):
                yield row.unit, row.metric.code, row.status
    else:
        for m in board.metrics:
            if is_judged(m.target):
                yield m.indicator.lead_unit, m.code, board.city_rows[m.pk].status


def rankings(*, plan: Plan, periods: list[date], today: date | None = None) -> dict[str, Ranking]:
    """Rankings of both groups over `periods` (consecutive months), with movement
    against the same span just before."""
    span = len(periods)
    previous_periods = [add_months(p, -span) for p in periods]
    # The month before the previous span too: its first month's improvement term needs
    # it, else the previous ranks (and so the movement arrows) miss 15 points of score.
    boards = {
        p: status_board(plan=plan, period=p, today=today)
        for p in sorted({*periods, *previous_periods, add_months(previous_periods[0], -1)})
    }
    submissions = {(s.unit_id, s.period): s for s in Submission.objects.filter(period__in=[*periods, *previous_periods])}
    out = {}
    for group, (label, _kinds) in GROUPS.items():
        current = _inputs(boards, periods, submissions, group)
        before = _inputs(boards, previous_periods, submissions, group) if all(p in boards for p in previous_periods) else {}
        previous_rank = {r.unit: r.rank for r in rank_units(list(before.values()))} if before else None
        out[group] = Ranking(group, label, periods, rank_units(list(current.values()), previous_rank), current)
    return out


def _inputs(boards, periods, submissions, group) -> dict[str, ScoreInput]:
    counts = defaultdict(lambda: {"judged": 0, "met": 0, "on_time": 0, "expected": 0, "improved": 0, "comparable": 0})
    units = {}
    for period in periods:
        board = boards[period]
        prev_board = boards.get(add_months(period, -1))
        prev = {(u.pk, code): st for u, code, st in _unit_rows(prev_board, group)} if prev_board else {}
        expected_units = set()
        for unit, code, status in _unit_rows(board, group):
            units[unit.pk] = unit
            c = counts[unit.pk]
            c["judged"] += 1
            c["met"] += status == Status.GREEN
            better = improved(prev.get((unit.pk, code)), status)
            if better is not None:
                c["comparable"] += 1
                c["improved"] += better
            expected_units.add(unit.pk)
        for unit_id in expected_units:
            c = counts[unit_id]
            c["expected"] += 1
            s = submissions.get((unit_id, period))
            c["on_time"] += bool(s and s.counts_as_submitted and not s.is_late)
    return {units[uid].code: ScoreInput(unit=units[uid].code, name=units[uid].name, **c) for uid, c in counts.items()}
