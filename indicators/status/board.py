"""A month's board computed from the database: the facts a month's judgement reads (its
figures, the year's earlier figures, last year's, the office's baselines, the units
expected to report), judged with indicators.status.compute."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import Q

from actions.models import Plan, Unit
from indicators.baselines import baselines_for_month
from indicators.models import Assignment, Figure, Metric
from indicators.rules import aggregate as agg
from indicators.rules.pace import MONTH_WINDOW
from indicators.rules.periods import add_months, same_month_last_year
from indicators.rules.types import MilestoneState, Reading
from indicators.status.compute import (
    JUDGING_FIELDS,
    _projected,
    board_judge,
    city_reading,
    is_expected,
    plan_expects,
    rules_fingerprint,
)
from indicators.status.rows import StatusBoard


# -- one definition: the units expected to report in a month ----------------------------
def expected_units(period: date) -> list[Unit]:
    """Units expected to report month `period`: assigned at least one metric of that
    year's plan, active that month, and reporting (Unit.reports). One query. Every
    completeness figure (month page, board, API, reminders, dispatch, bulletin) reads
    ReportingStatus.expected, which this sets."""
    units = Unit.objects.filter(_plan_started(period), reports=True, assignments__metric__plan__year=period.year).distinct()
    return sorted((u for u in units if is_expected(u, period)), key=lambda u: (u.sort_order, u.code))


def _plan_started(period: date) -> Q:
    """The plan's calendar (rules.periods.reporting_start) as a filter on the assignments'
    plan: its `reporting_from` is on or before `period`, or, without one, it was issued
    before `period` (issued in May → June on), or it has no date at all."""
    plan = "assignments__metric__plan__"
    return Q(**{f"{plan}reporting_from__lte": period}) | Q(
        Q(**{f"{plan}issued__lt": period}) | Q(**{f"{plan}issued__isnull": True}), **{f"{plan}reporting_from__isnull": True}
    )


def plan_month_expected(period: date) -> bool:
    """plan_expects for the plan of `period`'s year (one query); True without a plan."""
    plan = Plan.objects.filter(year=period.year).only("issued", "reporting_from").first()
    return plan is None or plan_expects(plan, period)


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

    return board_judge(
        plan, period, as_of, metrics, assignments, figures, last_year_readings, baselines, unit_points, city_points
    )


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


def plan_rules_fingerprint(plan: Plan | None) -> str:
    """compute.rules_fingerprint of the plan's metrics as stored now ("" without a plan). One query."""
    if plan is None:
        return ""
    plan_facts = [("plan", repr(plan.scoring), plan.issued, getattr(plan, "reporting_from", None))]
    return rules_fingerprint([*Metric.objects.filter(plan=plan).values_list(*JUDGING_FIELDS), *plan_facts])
