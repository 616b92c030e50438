"""Rankings month by month for the rankings page (reports.rankings scores one span), with
overdue 督办单 deducted month by month by the bulletin's rule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.utils.functional import SimpleLazyObject

from actions import clock
from actions.models import Plan
from indicators.models import ReportingStatus, StatusMonth, Submission
from indicators.months import reporting_month_get, reporting_months_get
from indicators.rules.periods import add_months, months_of_year
from indicators.rules.reporting import Timeliness, is_due, on_time_counts
from indicators.rules.scoring import Ranked, ScoreInput, rank_group
from indicators.selectors import as_of_for
from indicators.status.cache import rows_cached
from indicators.status.read import is_current
from reports.rankings import _inputs, scoring_formula
from reports.selectors.common import all_units, months_to, plan_metrics, statuses_board
from reports.supervision.scoring import Deduction, deduction_for


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


def rankings_deduction(period: date, today: date | None = None) -> Deduction:
    """What overdue 督办单 cost in each month of the year up to `period` (the bulletin's
    rule, reports.supervision.scoring, each month its own span); its `stamp` is part of
    every cache key of the rankings."""
    return deduction_for([[p] for p in months_of_year(period.year) if p <= period], today or clock.today())


def rankings_by_month(*, plan: Plan, period: date, today: date | None = None, deduction: Deduction | None = None) -> Rankings:
    """reports.rankings.rankings for each month of the year up to `period`, sharing the
    boards: the same ranks and movements, overdue 督办单 deducted as there. From the cache
    while the rows of those months and the deduction are unchanged."""
    today = today or clock.today()
    as_of = as_of_for(period, today)
    deduction = deduction or rankings_deduction(period, today)
    # Which months count for timeliness turns at each deadline, not with the judgement date.
    due = [is_due(deadline=m.deadline, today=today) for m in reporting_months_get(months_to(period)).values()]
    return rows_cached(
        "rankings",
        [plan.pk, period, as_of, *due, deduction.stamp],
        rankings_months(period),
        lambda: rankings_by_month_compute(plan, period, today, deduction),
    )


def month_inputs(
    plan: Plan,
    period: date,
    today: date | None = None,
    shared: tuple[list, dict] | None = None,
    deadline: date | None = None,
) -> dict[str, dict[str, ScoreInput]]:
    """Both groups' score inputs for one month (its statuses, the month before's for the
    improvement term, its submissions), kept while those months' rows are unchanged: a
    saved figure recomputes its own month, not the whole year's rankings. `shared`: the
    plan's metrics and the units when the caller has them (else read on a miss);
    `deadline`: the month's on-time deadline when the caller has it (else read)."""
    today = today or clock.today()
    as_of = as_of_for(period, today)
    before = add_months(period, -1)
    deadline = deadline or reporting_month_get(period).deadline
    due = is_due(deadline=deadline, today=today)  # the month counts for timeliness (a key part: it turns at the deadline)

    def compute():
        stored = _stored_inputs(plan, period, today, deadline)
        if stored is not None:
            return stored
        metrics, units = shared or (plan_metrics(plan), all_units())
        boards = {
            p: statuses_board(plan, p, as_of, metrics=metrics, units=units) for p in (before, period) if p.year == plan.year
        }
        submissions = {(s.unit_id, s.period): s for s in Submission.objects.filter(period=period)}
        formula = scoring_formula(plan)
        return _inputs(boards, [period], submissions, formula, deadlines={period: deadline}, today=today)

    return rows_cached("month-inputs", [plan.pk, period, as_of, due], [before, period], compute)


def _stored_inputs(plan: Plan, period: date, today: date, deadline: date) -> dict[str, dict[str, ScoreInput]] | None:
    """The month's score inputs as its refresh stored them in the reporting rows
    (status.compute._score_counts), when the month and the month before are current; None
    otherwise (then they are computed from the statuses)."""
    before = add_months(period, -1)
    wanted = [period] if before.year != plan.year else [period, before]
    months = {sm.period: sm for sm in StatusMonth.objects.filter(period__in=wanted)}
    if not all(is_current(months.get(p), as_of_for(p, today)) for p in wanted):
        return None
    formula = scoring_formula(plan)
    out: dict[str, dict[str, ScoreInput]] = {g.code: {} for g in formula.groups}
    rows = (
        ReportingStatus.objects.filter(Q(scored__gt=0) | Q(expected=True), period=period)
        .order_by("unit__sort_order", "unit__code")
        .values_list(
            "unit__code", "unit__name", "unit__kind", "expected", "timeliness", "scored", "scored_green", "improved", "comparable"
        )
    )
    for code, name, kind, expected, timeliness, scored, green, better, comparable in rows:
        group = formula.group_of(code, kind)
        if group is None:
            continue
        on_time, counted = on_time_counts(timeliness, deadline=deadline, today=today) if expected else (0, 0)
        submitted = int(bool(counted) and timeliness in (Timeliness.ON_TIME, Timeliness.LATE))
        out[group.code][code] = ScoreInput(
            unit=code,
            name=name,
            judged=scored,
            met=green,
            on_time=on_time,
            expected=counted,
            improved=better,
            comparable=comparable,
            submitted=submitted,
        )
    return out


def _ranked(formula, inputs: dict[str, dict[str, ScoreInput]], before: dict | None) -> dict[str, list[Ranked]]:
    """Each group's ranks from a month's score inputs, moving against the month before's."""
    previous = _ranks(formula, before) if before else {}
    return _ranks(formula, inputs, previous)


def _ranks(formula, inputs: dict[str, dict[str, ScoreInput]], previous: dict[str, list[Ranked]] | None = None):
    """Each group's ranks of a month; `previous`: the month before's ranks, for the movements."""
    out = {}
    for g in formula.groups:
        before = {r.unit: r.rank for r in (previous or {}).get(g.code, ())} or None
        out[g.code] = rank_group(list(inputs[g.code].values()), before, formula)
    return out


def month_deduction(period: date, today: date | None = None) -> Deduction:
    """What overdue 督办单 cost in `period` and the month before (month_ranking's spans)."""
    return deduction_for([[add_months(period, -1)], [period]], today or clock.today())


def month_ranking(
    plan: Plan, period: date, today: date | None = None, deduction: Deduction | None = None
) -> tuple[MonthRanking, dict[str, str]]:
    """One month's ranks in every group (the same as reports.rankings.rankings of that
    month), from the per-month score inputs the rankings page keeps; and the groups' names."""
    formula = scoring_formula(plan)
    before = add_months(period, -1)
    shared = SimpleLazyObject(lambda: (plan_metrics(plan), all_units()))  # read once, on the first miss
    deadlines = {p: m.deadline for p, m in reporting_months_get([before, period]).items()}  # one query for both
    deduction = deduction or month_deduction(period, today)  # as the rankings page
    inputs = deduction.apply(month_inputs(plan, period, today, shared, deadlines[period]), [period])
    previous = None
    if before.year == plan.year:
        previous = deduction.apply(month_inputs(plan, before, today, shared, deadlines[before]), [before])
    labels = {g.code: g.name for g in formula.groups}
    return MonthRanking(period, _ranked(formula, inputs, previous), inputs), labels


def rankings_by_month_compute(plan: Plan, period: date, today: date, deduction: Deduction | None = None) -> Rankings:
    formula = scoring_formula(plan)
    deduction = deduction or rankings_deduction(period, today)
    # The plan's own months: January has no month before it to move against (as in
    # reports.rankings.rankings).
    months = [p for p in months_of_year(period.year) if p <= period]
    shared = SimpleLazyObject(lambda: (plan_metrics(plan), all_units()))  # read once, on the first miss
    deadlines = {p: m.deadline for p, m in reporting_months_get(months).items()}
    inputs = {p: deduction.apply(month_inputs(plan, p, today, shared, deadlines[p]), [p]) for p in months}
    out, ranks = [], None
    for p in months:  # each month ranked once; the month before's ranks give the movements
        ranks = _ranks(formula, inputs[p], ranks)
        out.append(MonthRanking(p, ranks, inputs[p]))
    return Rankings(formula.text(), formula.terms(), out, {g.code: g.name for g in formula.groups})
