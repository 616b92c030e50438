"""Reads of the plan and figures: the status of every metric for a month, at unit and
city level, in a fixed number of queries whatever the number of units and metrics."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone

from actions.models import Plan, Unit
from indicators import cache
from indicators.baselines import baselines_for_month
from indicators.models import Assignment, Figure, Metric
from indicators.rules import aggregate as agg
from indicators.rules.periods import same_month_last_year
from indicators.rules.scoring import Formula
from indicators.rules.status import target_status
from indicators.rules.types import Direction, MilestoneState, Reading, Status
from indicators.rules.workdays import month_end

CITY = "city"


@dataclass
class StatusRow:
    """One metric for one reporting unit (or the city, unit=None) in one month."""

    metric: Metric
    unit: Unit | None
    figure: Figure | None
    reading: Reading
    value: Decimal | None
    last_year: Decimal | None
    other: Decimal | None
    status: Status

    @property
    def unit_code(self) -> str:
        return self.unit.code if self.unit else CITY

    @property
    def display_value(self):
        if self.metric.measure == Metric.Measure.MILESTONE:
            return self.reading.state.value if self.reading.state else None
        return self.value


@dataclass
class StatusBoard:
    plan: Plan
    period: date
    metrics: list[Metric]
    unit_rows: list[StatusRow]
    city_rows: dict[int, StatusRow]  # metric id → city row

    # Kept in the cache as plain tuples: pickling 12,000 rows of model instances (a
    # province month) took 0.8 s and loading them 0.35 s; tuples take a fraction of that.
    def __getstate__(self) -> dict:
        units = {r.unit.pk: r.unit for r in self.unit_rows}
        figure_fields = _figure_fields()

        def pack(r: StatusRow) -> tuple:
            figure = tuple(getattr(r.figure, name) for name in figure_fields) if r.figure else None
            reading = r.reading
            state = reading.state.value if reading.state else None
            return (
                r.metric.pk,
                r.unit.pk if r.unit else None,
                figure,
                (reading.value, reading.numerator, reading.denominator, reading.cases, state),
                r.value,
                r.last_year,
                r.other,
                r.status.value,
            )

        return {
            "plan": self.plan,
            "period": self.period,
            "metrics": self.metrics,
            "units": list(units.values()),
            "figure_fields": figure_fields,
            "unit_rows": [pack(r) for r in self.unit_rows],
            "city_rows": [pack(r) for r in self.city_rows.values()],
        }

    def __setstate__(self, state: dict) -> None:
        metrics = {m.pk: m for m in state["metrics"]}
        units = {u.pk: u for u in state["units"]}
        fields = state["figure_fields"]

        def unpack(t: tuple) -> StatusRow:
            metric_id, unit_id, figure, (value, numerator, denominator, cases, milestone), *rest = t
            reading = Reading(value, numerator, denominator, cases, MilestoneState(milestone) if milestone else None)
            figure = Figure.from_db("default", fields, figure) if figure else None
            value, last_year, other, status = rest
            return StatusRow(metrics[metric_id], units.get(unit_id), figure, reading, value, last_year, other, Status(status))

        self.plan, self.period, self.metrics = state["plan"], state["period"], state["metrics"]
        self.unit_rows = [unpack(t) for t in state["unit_rows"]]
        self.city_rows = {row.metric.pk: row for row in map(unpack, state["city_rows"])}

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


def _figure_fields() -> list[str]:
    return [f.attname for f in Figure._meta.concrete_fields]


def plan_for_year(year: int) -> Plan | None:
    return Plan.objects.filter(year=year).first()


def as_of_for(period: date, today: date | None = None) -> date:
    """The date a month is judged at: its last day once closed, today while it runs."""
    today = today or timezone.localdate()
    return min(today, month_end(period))


def _direction(metric: Metric) -> Direction | None:
    return metric.target.better_direction


def city_reading(metric: Metric, readings: list[Reading]) -> Reading:
    return agg.combine(metric.measure, readings, aggregate=metric.aggregate or None, direction=_direction(metric))


def status_board(*, plan: Plan, period: date, today: date | None = None) -> StatusBoard:
    """Statuses of every metric × reporting unit and of the city for one month.

    From the cache when neither the plan nor this month's or last year's same month's
    figures changed since it was computed (one query); else computed in four more
    queries: metrics, assignments, this month's figures, last year's figures."""
    as_of = as_of_for(period, today)
    keys = [cache.month_key(period), cache.month_key(same_month_last_year(period))]
    return cache.cached("board", [plan.pk, period, as_of], keys, lambda: _status_board(plan, period, as_of))


def _status_board(plan: Plan, period: date, as_of: date) -> StatusBoard:
    metrics = list(
        Metric.objects.filter(plan=plan).select_related("area", "indicator", "indicator__lead_unit", "relative_metric", "task")
    )
    # Read as tuples, each unit built once: a province has 23,000 assignments of 600 units.
    assignments = defaultdict(list)
    units: dict[int, Unit] = {}
    unit_fields = [f.attname for f in Unit._meta.concrete_fields]
    rows = Assignment.objects.filter(metric__plan=plan).order_by("unit__sort_order", "unit__code")
    for metric_id, *values in rows.values_list("metric_id", *(f"unit__{name}" for name in unit_fields)):
        unit = units.get(values[0])
        if unit is None:
            unit = units[values[0]] = Unit.from_db("default", unit_fields, values)
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

    city_values: dict[int, Decimal | None] = {}
    city_readings: dict[int, Reading] = {}
    unit_values: dict[tuple[int, int], Decimal | None] = {}
    for m in metrics:
        readings = []
        for unit in assignments[m.pk]:
            f = figures.get((m.pk, unit.pk))
            reading = f.reading if f else Reading()
            if unit.counts_in_city:  # a park whose cases are in its county's figure: once
                readings.append(reading)
            unit_values[(m.pk, unit.pk)] = agg.reading_value(m.measure, reading)
        city_readings[m.pk] = city_reading(m, readings)
        city_values[m.pk] = agg.reading_value(m.measure, city_readings[m.pk])

    def judge(m, reading, last_year, other):
        return target_status(m.target, m.measure, reading, as_of=as_of, period=period, last_year=last_year, other=other)

    unit_rows, city_rows = [], {}
    for m in metrics:
        other_id = m.relative_metric_id
        for unit in assignments[m.pk]:
            f = figures.get((m.pk, unit.pk))
            reading = f.reading if f else Reading()
            ly = _unit_last_year(m, last_year_readings.get((m.code, unit.pk)), baselines.get(m, unit.pk))
            other = unit_values.get((other_id, unit.pk)) if other_id else None
            if other_id and other is None and len(assignments[m.pk]) == 1:
                other = city_values.get(other_id)  # a city-level comparison reported by one unit
            unit_rows.append(
                StatusRow(m, unit, f, reading, unit_values[(m.pk, unit.pk)], ly, other, judge(m, reading, ly, other))
            )
        ly_city = _city_last_year(m, assignments[m.pk], last_year_readings, baselines)
        other_city = city_values.get(other_id) if other_id else None
        reading = city_readings[m.pk]
        city_rows[m.pk] = StatusRow(
            m, None, None, reading, city_values[m.pk], ly_city, other_city, judge(m, reading, ly_city, other_city)
        )
    return StatusBoard(plan, period, metrics, unit_rows, city_rows)


def _unit_last_year(metric: Metric, previous: Reading | None, baseline: Decimal | None) -> Decimal | None:
    """Last year's value of a unit: its figure of last year where the system has one,
    else the office's baseline (indicators.baselines); never typed by the unit."""
    if previous is not None:
        value = agg.reading_value(metric.measure, previous)
        if value is not None:
            return value
    return baseline


def _city_last_year(metric, units, last_year_readings, baselines) -> Decimal | None:
    """Last year's city value: from last year's figures where the system has them;
    else the office's city baseline; else the single reporter's baseline; else the
    plan's baseline."""
    previous = [
        last_year_readings[(metric.code, u.pk)] for u in units if (metric.code, u.pk) in last_year_readings and u.counts_in_city
    ]
    if previous:
        value = agg.reading_value(metric.measure, city_reading(metric, previous))
        if value is not None:
            return value
    city = baselines.get(metric, None)
    if city is not None:
        return city
    if len(units) == 1:
        value = baselines.get(metric, units[0].pk)
        if value is not None:
            return value
    return metric.baseline


def _number(value):
    """Decimals as JSON numbers: integers stay integers, the rest floats."""
    if value is None:
        return None
    value = Decimal(value).normalize()
    return int(value) if value == value.to_integral_value() else float(value)


def target_export(metric: Metric) -> dict:
    target: dict = {"kind": metric.kind}
    kind = Metric.Kind
    if metric.kind in (kind.AT_MOST, kind.AT_LEAST, kind.EXCEED, kind.EXACTLY, kind.CHANGE_VS_LAST_YEAR, kind.RANK):
        target["value"] = _number(metric.value)
    if metric.kind == kind.RANGE:
        target["low"], target["high"] = _number(metric.low), _number(metric.high)
    if metric.direction:
        target["direction"] = metric.direction
    if metric.kind == kind.RELATIVE_TO:
        target["metric"] = metric.relative_metric.code
    if metric.kind == kind.MILESTONE:
        target["due"] = metric.due.isoformat()
    if metric.pace:
        target["pace"] = True
    if metric.year_end_only:
        target["year_end_only"] = True
    target["tolerance"] = _number(metric.tolerance)
    return target


def plan_export(plan: Plan) -> dict:
    """The plan in the documented JSON shape (README, "export_plan")."""
    metrics = list(
        Metric.objects.filter(plan=plan)
        .select_related("area", "relative_metric")
        .prefetch_related("assignments__unit", "benchmarks")
    )
    areas = []
    for area in plan.areas.prefetch_related("tasks__lead_indicator").order_by("number"):
        areas.append(
            {
                "code": area.code,
                "name": area.name,
                "tasks": [{"code": t.code, "title": t.title, "lead_indicator": t.lead_indicator.code} for t in area.tasks.all()],
                "metrics": [
                    {
                        "code": m.code,
                        "name": m.name,
                        "unit": m.unit_of_measure,
                        "measure": m.measure,
                        "scope": m.scope,
                        "reporters": [
                            a.unit.code for a in sorted(m.assignments.all(), key=lambda a: (a.unit.sort_order, a.unit.code))
                        ],
                        "target": target_export(m),
                        "source": m.source,
                        **_plan_extras(m),
                    }
                    for m in metrics
                    if m.area_id == area.pk
                ],
            }
        )
    return {
        "year": plan.year,
        "title": plan.title,
        "issued": plan.issued.isoformat() if plan.issued else None,
        "indicators": [
            {"code": i.code, "name": i.name, "lead_unit": i.lead_unit.code} for i in plan.indicators.select_related("lead_unit")
        ],
        "units": [
            {"code": u.code, "name": u.name, "kind": u.kind}
            | ({"cases_in_county": u.cases_in_county.code} if u.cases_in_county_id else {})
            for u in Unit.objects.select_related("cases_in_county")
        ],
        "scoring": Formula.from_dict(plan.scoring).to_dict(),
        "areas": areas,
    }


def _plan_extras(metric: Metric) -> dict:
    """The 双对标 values and the 待核定 marks of a metric, when it has them."""
    out = {}
    benchmarks = sorted(metric.benchmarks.all(), key=lambda b: b.pk)
    if benchmarks:
        out["benchmarks"] = [{"kind": b.kind, "name": b.name, "value": _number(b.value)} for b in benchmarks]
    if metric.pending:
        out["pending"] = list(metric.pending)
    return out


def status_export(*, plan: Plan, period: date, today: date | None = None) -> list[dict]:
    board = status_board(plan=plan, period=period, today=today)
    return [
        {
            "metric": row.metric.code,
            "unit": row.unit_code,
            "value": row.display_value if row.metric.measure == Metric.Measure.MILESTONE else _number(row.value),
            "target": row.metric.target_text(),
            "status": row.status.value,
        }
        for row in board.rows()
    ]


# -- the monthly entry sheet of one unit ---------------------------------------------


@dataclass
class EntryRow:
    """One metric the unit reports, with this month's figure and the references shown
    beside the inputs."""

    metric: Metric
    figure: Figure | None
    last_month: Figure | None
    last_year_value: Decimal | None  # last year's figure in the system, else the office's baseline
    other_value: Decimal | None  # relative_to: the unit's figure of the compared metric


@dataclass
class EntrySheet:
    unit: Unit
    period: date
    plan: Plan | None
    month: object  # ReportingMonth
    submission: object  # Submission (unsaved when the unit has not started the month)
    rows: list[EntryRow]
    tasks: list  # [(Task, TaskReport | None)]


def reporting_month_get(period: date):
    """The month's two dates, created on demand from the official calendar."""
    from indicators.models import ReportingMonth
    from indicators.rules.workdays import default_deadline, default_lock_date

    month, _ = ReportingMonth.objects.get_or_create(
        period=period, defaults={"deadline": default_deadline(period), "lock_date": default_lock_date(period)}
    )
    return month


def tasks_of_unit(plan: Plan, unit: Unit):
    """The tasks a unit reports progress on: those its indicators lead; counties and
    parks carry every task "by duty"."""
    from actions.models import Task

    qs = Task.objects.filter(plan=plan).select_related("area", "lead_indicator")
    if unit.kind == Unit.Kind.DEPARTMENT:
        qs = qs.filter(lead_indicator__lead_unit=unit)
    return qs.order_by("area__number", "number")


def entry_sheet(*, unit: Unit, period: date) -> EntrySheet:
    """Everything the entry page shows, in a fixed number of queries whatever the
    number of metrics and tasks (asserted in the view's test)."""
    from actions.models import TaskReport
    from indicators.models import Submission
    from indicators.rules.periods import add_months

    month = reporting_month_get(period)
    submission = Submission.objects.filter(unit=unit, period=period).first() or Submission(unit=unit, period=period, version=0)
    plan = plan_for_year(period.year)
    if plan is None:
        return EntrySheet(unit, period, None, month, submission, [], [])
    metrics = [
        a.metric
        for a in Assignment.objects.filter(unit=unit, metric__plan=plan)
        .select_related("metric__area", "metric__indicator", "metric__relative_metric", "metric__task")
        .order_by("metric__area__number", "metric__sort_order")
    ]
    figures = {f.metric_id: f for f in Figure.objects.filter(unit=unit, period=period, metric__plan=plan)}
    previous, last_year = add_months(period, -1), same_month_last_year(period)
    earlier = Figure.objects.filter(unit=unit, period__in=[previous, last_year]).select_related("metric")
    last_month, last_year_figures = {}, {}
    for f in earlier:
        (last_month if f.period == previous else last_year_figures)[f.metric.code] = f
    baselines = baselines_for_month(plan=plan, period=period)
    rows = []
    for m in metrics:
        ly = last_year_figures.get(m.code)
        other = figures.get(m.relative_metric_id) if m.relative_metric_id else None
        rows.append(
            EntryRow(
                metric=m,
                figure=figures.get(m.pk),
                last_month=last_month.get(m.code),
                last_year_value=agg.reading_value(m.measure, ly.reading) if ly else baselines.get(m, unit.pk),
                other_value=agg.reading_value(m.relative_metric.measure, other.reading) if other else None,
            )
        )
    tasks = list(tasks_of_unit(plan, unit))
    reports = {r.task_id: r for r in TaskReport.objects.filter(unit=unit, period=period, task__plan=plan)}
    return EntrySheet(unit, period, plan, month, submission, rows, [(t, reports.get(t.pk)) for t in tasks])


# -- the office's view of a month: who submitted, who is late, who is missing -----------


@dataclass
class UnitMonthRow:
    unit: Unit
    expected: int  # metrics assigned
    filled: int  # of which with a figure
    submission: object | None

    @property
    def complete(self) -> bool:
        return self.filled >= self.expected

    @property
    def counts(self) -> bool:
        """Counted as reported: submitted (a file import that completes the month submits
        it, so imported figures count the same as typed ones)."""
        return bool(self.submission and self.submission.counts_as_submitted)

    @property
    def state_label(self) -> str:
        if self.submission and self.submission.state != "draft":
            return self.submission.get_state_display()
        if self.complete:
            return "数据已齐全(尚未提交)"
        return "填报中" if self.filled else "未报送"

    @property
    def is_late(self) -> bool:
        return bool(self.submission and self.submission.is_late)


@dataclass
class MonthOverview:
    period: date
    month: object
    rows: list[UnitMonthRow]

    @property
    def expected(self) -> int:
        return len(self.rows)

    @property
    def reported(self) -> int:
        return sum(1 for r in self.rows if r.counts)

    @property
    def late(self) -> int:
        return sum(1 for r in self.rows if r.is_late)

    @property
    def missing(self) -> int:
        return self.expected - self.reported

    @property
    def rate(self) -> Decimal:
        """报送率 = reported ÷ expected, in percent; never above 100."""
        if not self.expected:
            return Decimal(0)
        return min(Decimal(100), Decimal(self.reported * 100) / self.expected).quantize(Decimal("0.1"))


def month_overview(*, period: date) -> MonthOverview:
    """Every unit expected to report in `period` (assigned and active), with its
    submission and how many of its figures are in. Four queries."""
    from django.db.models import Count, F, Q

    from indicators.models import Submission

    month = reporting_month_get(period)
    plan = plan_for_year(period.year)
    if plan is None:
        return MonthOverview(period, month, [])
    expected: dict[int, int] = defaultdict(int)
    units: dict[int, Unit] = {}
    for a in Assignment.objects.filter(metric__plan=plan).select_related("unit"):
        if a.unit.is_active_in(period):
            expected[a.unit_id] += 1
            units[a.unit_id] = a.unit
    present = Q(value__isnull=False) | Q(numerator__isnull=False, denominator__isnull=False) | ~Q(state="")
    filled = dict(
        Figure.objects.filter(present, metric__plan=plan, period=period, metric__assignments__unit_id=F("unit_id"))
        .values_list("unit_id")
        .annotate(n=Count("pk"))
    )
    subs = {s.unit_id: s for s in Submission.objects.filter(period=period).select_related("submitted_by", "accepted_by")}
    rows = [
        UnitMonthRow(u, expected[u.pk], min(filled.get(u.pk, 0), expected[u.pk]), subs.get(u.pk))
        for u in sorted(units.values(), key=lambda u: (u.sort_order, u.code))
    ]
    return MonthOverview(period, month, rows)
