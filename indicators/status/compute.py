"""Pure: facts in, status out. The one call to the rules for a row (`judge_row`), the
year-end outlook, last year's values, timeliness and the score's counts. No query here;
indicators.status.board reads the facts a month needs."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from pathlib import Path

from actions import clock
from actions.models import Plan, Unit
from indicators.baselines import BaselineBook
from indicators.models import Figure, Metric, Submission
from indicators.rules import aggregate as agg
from indicators.rules.pace import year_end_outlook
from indicators.rules.periods import is_reporting_month, reporting_start
from indicators.rules.reporting import submission_timeliness
from indicators.rules.scoring import Formula, Tally, scored_targets
from indicators.rules.status import city_judgement, comparison_value, is_judged, judge
from indicators.rules.types import Reading, Status
from indicators.rules.workdays import month_end
from indicators.status.rows import StatusBoard, StatusRow


def as_of_for(period: date, today: date | None = None) -> date:
    """The date a month is judged at: its last day once closed, today while it runs."""
    today = today or clock.today()
    return min(today, month_end(period))


def city_reading(metric: Metric, readings: list[Reading]) -> Reading:
    return agg.combine(metric.measure, readings, aggregate=metric.aggregate or None, direction=metric.target.better_direction)


def is_expected(unit: Unit, period: date) -> bool:
    """The rule of `expected_units` for one unit that has an assignment in the year's plan."""
    return unit.reports and unit.is_active_in(period)


def plan_expects(plan: Plan, period: date) -> bool:
    """Whether units report month `period` under `plan` at all (the plan's calendar)."""
    return is_reporting_month(period, reporting_start(plan.issued, plan.reporting_from))


def board_expected_units(board: StatusBoard) -> dict[int, Unit]:
    """`expected_units` of the board's month, from the board's own rows (no query): its
    units are the assigned ones active that month."""
    if not plan_expects(board.plan, board.period):
        return {}  # before the plan's first reported month
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


# -- judging a month's facts --------------------------------------------------------------------
def board_judge(
    plan: Plan,
    period: date,
    as_of: date,
    metrics: list[Metric],
    assignments: dict[int, list[Unit]],
    figures: dict[tuple[int, int], Figure],
    last_year_readings: dict[tuple[str, int], Reading],
    baselines: BaselineBook,
    unit_points: dict,
    city_points: dict,
) -> StatusBoard:
    """The statuses of a month from its facts, as indicators.status.board.board_compute
    reads them: the metrics, the units assigned and active (in plan order), this month's
    figures by (metric, unit), last year's readings by (metric code, unit), the office's
    baselines, and the year's earlier values (board._year_so_far). No query."""
    city_values: dict[int, Decimal | None] = {}
    city_readings: dict[int, Reading] = {}
    unit_values: dict[tuple[int, int], Decimal | None] = {}
    targets = {m.pk: m.target for m in metrics}
    for m in metrics:
        readings = []
        for unit in assignments[m.pk]:
            f = figures.get((m.pk, unit.pk))
            reading = f.reading_for(targets[m.pk]) if f else Reading()
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
            reading = f.reading_for(targets[m.pk]) if f else Reading()
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


def timeliness(submission: Submission | None, *, deadline: date, today: date, expected_month: bool = True) -> str:
    """The stored ReportingStatus.timeliness: the one rule, rules.reporting.submission_timeliness
    (a month before the plan's first reported month is never late nor missing)."""
    return str(submission_timeliness(submission, deadline=deadline, today=today, expected_month=expected_month))


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


# -- what a month's judgement depends on besides the figures -------------------------------------
# A Metric's fields that change a stored row (its target, how it is measured and counted, whom
# its score goes to): a change of any of them makes the plan's months stale. Read by
# indicators.status.board.plan_rules_fingerprint; the names are Django lookups.
JUDGING_FIELDS = (
    "id", "code", "indicator__lead_unit_id", "relative_metric_id", "measure", "aggregate", "basis", "scope",
    "unit_of_measure", "kind", "value", "low", "high", "direction", "due", "tolerance", "pace", "year_end_only",
    "baseline", "stretch", "pace_profile", "batch_months", "pace_from", "checkpoints", "pending", "confirmed", "city_quorum",
)  # fmt: skip


def _rules_code() -> bytes:
    """The source of the judging rules themselves (indicators/rules/*.py and this module):
    a release that changes how a month is judged makes every stored month stale, and the
    start's `refresh_status --stale` judges them again, with nobody having to remember to."""
    here = Path(__file__).resolve()
    files = [*sorted((here.parent.parent / "rules").glob("*.py")), here]
    return b"".join(f.read_bytes() for f in files)


RULES_CODE = hashlib.sha256(_rules_code()).hexdigest()


def rules_fingerprint(rows: Iterable[tuple], *, code: str | None = None) -> str:
    """A digest of the plan's judging data (JUDGING_FIELDS of every metric) and of the
    rules' code (RULES_CODE), stored with a month's rows (StatusMonth.rules):
    `refresh_status --stale` recomputes a month whose plan or rules have changed since,
    however they were changed."""
    data = repr(sorted(map(repr, rows))) + (RULES_CODE if code is None else code)
    return hashlib.sha256(data.encode()).hexdigest()
