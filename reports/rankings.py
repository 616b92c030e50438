"""Scores and rankings of units over one or more months (a month for the dashboards, a
quarter for the bulletin), by the plan's published formula (its file's `scoring:`
section; indicators.rules.scoring), in the groups the office sets there.

Each unit is scored only on the duties it has: its own figures, the city values of the
metrics it leads but does not report itself, and timeliness in the months it was
expected to report. A lead department that reports nothing has no 按时报送率 at all
(never 0%). Queries are fixed: six per month plus one."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import date

from actions import clock
from actions.models import Plan
from indicators.models import Submission
from indicators.months import reporting_months_get
from indicators.rules.periods import add_months
from indicators.rules.reporting import Timeliness, on_time_counts, submission_timeliness
from indicators.rules.scoring import Formula, Group, Ranked, ScoreInput, Tally, rank_group, scored_targets
from indicators.rules.status import is_judged
from indicators.selectors import StatusBoard, status_board
from indicators.status.compute import board_expected_units
from reports.supervision.scoring import overdue_deducted


def scoring_formula(plan: Plan) -> Formula:
    """The plan's scoring method: parts, weights, groups and 红黑榜 size."""
    return Formula.from_dict(plan.scoring)


def scoring_formula_text(plan: Plan) -> tuple[str, str]:
    """The formula as the bulletin and the rankings page print it: (formula, terms)."""
    formula = scoring_formula(plan)
    return formula.text(), formula.terms()


def scoring_groups(plan: Plan) -> list[Group]:
    """The groups ranked separately, in the plan file's order."""
    return list(scoring_formula(plan).groups)


@dataclass
class Ranking:
    group: str
    label: str
    periods: list[date]
    rows: list[Ranked]
    inputs: dict[str, ScoreInput]


def _group_rows(board: StatusBoard, formula: Formula) -> dict[str, list[tuple]]:
    """(unit, metric code, status, city) of every target each group's units are scored on
    (rules.scoring.scored_targets), by group code. One pass over the board, each unit's
    group found once."""
    groups: dict[int, str | None] = {}

    def group_of(unit) -> str | None:
        if unit.pk not in groups:
            found = formula.group_of(unit.code, unit.kind)
            groups[unit.pk] = found.code if found is not None else None
        return groups[unit.pk]

    out: dict[str, list[tuple]] = defaultdict(list)
    targets = scored_targets(
        board.metrics, board.unit_rows, board.city_rows, judged=lambda m: is_judged(m.target), leads_scored=formula.leads_scored
    )
    for unit, metric, row, _city in targets:
        if (code := group_of(unit)) is not None:
            out[code].append((unit, metric.code, row.status))
    return out


def _group_expected(board: StatusBoard, formula: Formula) -> dict[str, dict]:
    """Each group's units expected to report that month (status.board.expected_units): the
    duty that the 按时报送率 measures."""
    out: dict[str, dict] = defaultdict(dict)
    for pk, unit in board_expected_units(board).items():
        found = formula.group_of(unit.code, unit.kind)
        if found is not None:
            out[found.code][pk] = unit
    return out


def rankings(
    *, plan: Plan, periods: list[date], today: date | None = None, previous: list[date] | None = None
) -> dict[str, Ranking]:
    """Rankings of every group of the plan's formula over `periods` (consecutive
    months), keyed by group code in the plan's order, with movement against the ranking
    over `previous` (by default the same span just before; the year-end bulletin ranks
    the year against the third quarter)."""
    formula = scoring_formula(plan)
    span = len(periods)
    if previous is None:
        previous = [add_months(p, -span) for p in periods]
    # The plan's own months only: the months before January belong to no plan of this
    # year (no movement is shown for the first span of a year).
    previous_periods = [q for q in previous if q.year == plan.year]
    # The month before the previous span too: its first month's improvement term needs
    # it, else the previous ranks (and so the movement arrows) miss 15 points of score.
    wanted = {*periods, *previous_periods}
    if previous_periods:
        wanted.add(add_months(previous_periods[0], -1))
    boards = {p: status_board(plan=plan, period=p, today=today) for p in sorted(q for q in wanted if q.year == plan.year)}
    submissions = {(s.unit_id, s.period): s for s in Submission.objects.filter(period__in=[*periods, *previous_periods])}
    out = {}
    today = today or clock.today()
    deadlines = {p: rm.deadline for p, rm in reporting_months_get([*periods, *previous_periods]).items()}
    current_all = _inputs(boards, periods, submissions, formula, deadlines=deadlines, today=today)
    before_all = _inputs(boards, previous_periods, submissions, formula, deadlines=deadlines, today=today)
    # Overdue 督办单 cost the office's points once it has confirmed them.
    current_all = overdue_deducted(current_all, periods, today)
    before_all = overdue_deducted(before_all, previous_periods, today)
    for group in formula.groups:
        current, before = current_all[group.code], before_all[group.code]
        previous_rank = {r.unit: r.rank for r in rank_group(list(before.values()), formula=formula)} if before else None
        out[group.code] = Ranking(
            group.code, group.name, periods, rank_group(list(current.values()), previous_rank, formula), current
        )
    return out


def _inputs(
    boards, periods, submissions, formula: Formula, *, deadlines: dict[date, date], today: date
) -> dict[str, dict[str, ScoreInput]]:
    """Every group's score inputs over `periods`, by group code (each board read once). A
    month counts for timeliness only once its deadline (`deadlines`) has passed by `today`
    (rules.reporting.on_time_counts)."""
    rows = {p: _group_rows(b, formula) for p, b in boards.items()}
    expected = {p: _group_expected(boards[p], formula) for p in periods}
    out = {}
    for group in formula.groups:
        counts = defaultdict(lambda: {"on_time": 0, "expected": 0, "submitted": 0})
        tallies: dict[int, Tally] = defaultdict(Tally)
        units = {}
        for period in periods:
            before = add_months(period, -1)
            prev = {(u.pk, code): st for u, code, st in rows[before][group.code]} if before in rows else {}
            for unit, code, status in rows[period][group.code]:
                units[unit.pk] = unit
                tallies[unit.pk].add(status, prev.get((unit.pk, code)))
                _ = counts[unit.pk]  # a scored unit is listed even with no month due for timeliness
            for unit_id, unit in expected[period][group.code].items():
                units[unit_id] = unit
                c = counts[unit_id]
                value = submission_timeliness(submissions.get((unit_id, period)), deadline=deadlines[period], today=today)
                on_time, counted = on_time_counts(value, deadline=deadlines[period], today=today)
                c["on_time"] += on_time
                c["expected"] += counted
                c["submitted"] += counted and value in (Timeliness.ON_TIME, Timeliness.LATE)
        out[group.code] = {
            units[uid].code: ScoreInput(unit=units[uid].code, name=units[uid].name, **asdict(tallies[uid]), **c)
            for uid, c in counts.items()
        }
    return out
