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
from indicators.months import reporting_months_get
from indicators.rules.periods import add_months, months_of_year
from indicators.rules.reporting import Timeliness, is_due, on_time_counts
from indicators.rules.scoring import Ranked, ScoreInput, rank_group
from indicators.selectors import as_of_for
from indicators.status.cache import cache_get_many, cache_put, rows_cached, rows_keys
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


def months_inputs(
    plan: Plan, months: list[date], today: date, shared: tuple[list, dict] | None, deadlines: dict[date, date]
) -> dict[date, dict[str, dict[str, ScoreInput]]]:
    """Both groups' score inputs for each of `months` (its statuses, the month before's for
    the improvement term, its submissions), kept while those months' rows are unchanged:
    a saved figure recomputes its own month, not the whole year's rankings. Those kept in
    the cache come in one query and one round trip, the others are read together from
    their stored reporting rows (two queries), or computed from the statuses when a
    month's rows are not current. `shared`: the plan's metrics and the units when the
    caller has them (else read on a miss); `deadlines`: each month's on-time deadline."""
    # Which months count for timeliness turns at each deadline: a part of each key.
    wanted = {
        p: ([plan.pk, p, as_of_for(p, today), is_due(deadline=deadlines[p], today=today)], [add_months(p, -1), p]) for p in months
    }
    keys = rows_keys("month-inputs", wanted)
    kept = cache_get_many(k for k in keys.values() if k)
    out = {p: kept[keys[p]] for p in months if keys[p] in kept}
    missing = [p for p in months if p not in out]
    stored = _stored_inputs(plan, missing, today, deadlines) if missing else {}
    for p in missing:
        value = stored.get(p)
        if value is None:
            value = _computed_inputs(plan, p, today, shared, deadlines[p])
        if keys[p]:
            cache_put(keys[p], value)
        out[p] = value
    return {p: out[p] for p in months}


def _computed_inputs(plan: Plan, period: date, today: date, shared, deadline: date) -> dict[str, dict[str, ScoreInput]]:
    """A month's score inputs from its statuses and the month before's (rows not current)."""
    as_of = as_of_for(period, today)
    metrics, units = shared or (plan_metrics(plan), all_units())
    before = add_months(period, -1)
    boards = {p: statuses_board(plan, p, as_of, metrics=metrics, units=units) for p in (before, period) if p.year == plan.year}
    submissions = {(s.unit_id, s.period): s for s in Submission.objects.filter(period=period)}
    formula = scoring_formula(plan)
    return _inputs(boards, [period], submissions, formula, deadlines={period: deadline}, today=today)


def _stored_inputs(
    plan: Plan, months: list[date], today: date, deadlines: dict[date, date]
) -> dict[date, dict[str, dict[str, ScoreInput]]]:
    """The score inputs of each of `months` whose rows and the month before's are current,
    as their refresh stored them in the reporting rows (status.compute._score_counts); the
    others are left out (then they are computed from the statuses). Two queries."""
    wanted = {p: [p] if add_months(p, -1).year != plan.year else [p, add_months(p, -1)] for p in months}
    stored = {sm.period: sm for sm in StatusMonth.objects.filter(period__in={m for ms in wanted.values() for m in ms})}
    current = [p for p, ms in wanted.items() if all(is_current(stored.get(m), as_of_for(m, today)) for m in ms)]
    if not current:
        return {}
    formula = scoring_formula(plan)
    out: dict[date, dict[str, dict[str, ScoreInput]]] = {p: {g.code: {} for g in formula.groups} for p in current}
    rows = (
        ReportingStatus.objects.filter(Q(scored__gt=0) | Q(expected=True), period__in=current)
        .order_by("period", "unit__sort_order", "unit__code")
        .values_list(
            "period",
            "unit__code",
            "unit__name",
            "unit__kind",
            "expected",
            "timeliness",
            "scored",
            "scored_green",
            "improved",
            "comparable",
        )
    )
    for period, code, name, kind, expected, timeliness, scored, green, better, comparable in rows:
        group = formula.group_of(code, kind)
        if group is None:
            continue
        on_time, counted = on_time_counts(timeliness, deadline=deadlines[period], today=today) if expected else (0, 0)
        submitted = int(bool(counted) and timeliness in (Timeliness.ON_TIME, Timeliness.LATE))
        out[period][group.code][code] = ScoreInput(
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
    months = [before, period] if before.year == plan.year else [period]
    found = months_inputs(plan, months, today or clock.today(), shared, deadlines)  # both months together
    inputs = {p: deduction.apply(found[p], [p]) for p in months}
    labels = {g.code: g.name for g in formula.groups}
    return MonthRanking(period, _ranked(formula, inputs[period], inputs.get(before)), inputs[period]), labels


def rankings_by_month_compute(plan: Plan, period: date, today: date, deduction: Deduction | None = None) -> Rankings:
    formula = scoring_formula(plan)
    deduction = deduction or rankings_deduction(period, today)
    # The plan's own months: January has no month before it to move against (as in
    # reports.rankings.rankings).
    months = [p for p in months_of_year(period.year) if p <= period]
    shared = SimpleLazyObject(lambda: (plan_metrics(plan), all_units()))  # read once, on the first miss
    deadlines = {p: m.deadline for p, m in reporting_months_get(months).items()}
    inputs = {p: deduction.apply(found, [p]) for p, found in months_inputs(plan, months, today, shared, deadlines).items()}
    out, ranks = [], None
    for p in months:  # each month ranked once; the month before's ranks give the movements
        ranks = _ranks(formula, inputs[p], ranks)
        out.append(MonthRanking(p, ranks, inputs[p]))
    return Rankings(formula.text(), formula.terms(), out, {g.code: g.name for g in formula.groups})
