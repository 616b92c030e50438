"""Reads of the plan and figures: the status of every metric for a month, at unit and
city level (indicators.status's stored rows), in a fixed number of queries
whatever the number of units and metrics."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from actions.models import Plan, Task, TaskReport, Unit
from indicators.baselines import baselines_for_month
from indicators.ledger.selectors import deliverables_export
from indicators.models import Assignment, Figure, Metric, Submission
from indicators.months import reporting_month_get
from indicators.rules import aggregate as agg
from indicators.rules.periods import add_months, reporting_start, same_month_last_year
from indicators.rules.reporting import ReportState, report_state
from indicators.rules.scoring import Formula, completeness
from indicators.status.board import expected_units  # noqa: F401 (the board's types, read by every page)
from indicators.status.compute import as_of_for, city_reading  # noqa: F401
from indicators.status.read import reporting_rows, status_board
from indicators.status.rows import CITY, StatusBoard, StatusRow  # noqa: F401


def plan_for_year(year: int) -> Plan | None:
    return Plan.objects.filter(year=year).first()


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
    if metric.stretch is not None:
        target["stretch"] = _number(metric.stretch)
    if metric.pace and metric.pace_profile != Metric.PaceProfile.LINEAR:
        target["pace_profile"] = metric.pace_profile
    if metric.batch_months:
        target["batch_months"] = list(metric.batch_months)
    if metric.pace_from is not None:
        target["pace_from"] = _number(metric.pace_from)
    if metric.checkpoints:
        target["checkpoints"] = [{"name": c["name"], "due": c["due"]} for c in metric.checkpoints]
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
                        "basis": m.basis,
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
        # the plan's calendar: the first month units report (earlier months are not expected)
        "reporting_from": _month_text(reporting_start(plan.issued, plan.reporting_from)),
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
        "deliverables": deliverables_export(plan),  # the task ledger (任务台账)
    }


def _plan_extras(metric: Metric) -> dict:
    """The 双对标 values and the 待核定 marks of a metric, when it has them."""
    out = {}
    benchmarks = sorted(metric.benchmarks.all(), key=lambda b: b.pk)
    if benchmarks:
        out["benchmarks"] = [{"kind": b.kind, "name": b.name, "value": _number(b.value)} for b in benchmarks]
    if metric.pending:
        out["pending"] = list(metric.pending)
    if metric.confirmed:  # the office's confirmations of those values (核定暂定值)
        out["confirmed"] = dict(metric.confirmed)
    if metric.city_quorum is not None:
        out["city_quorum"] = metric.city_quorum
    return out


def _month_text(period: date | None) -> str | None:
    return None if period is None else f"{period:%Y-%m}"


def status_rows_export(rows: Iterable[StatusRow]) -> list[dict]:
    """Rows as export_status writes them (README, "export_status JSON"); the status API
    writes the same. Each metric's target described once, not once per unit."""
    targets: dict[int, str] = {}
    out = []
    for row in rows:
        target = targets.get(row.metric.pk)
        if target is None:
            target = targets[row.metric.pk] = row.metric.target_text()
        out.append(_status_row_export(row, target))
    return out


def _status_row_export(row: StatusRow, target: str) -> dict:
    return {
        "metric": row.metric.code,
        "unit": row.unit_code,
        "value": row.display_value if row.metric.measure == Metric.Measure.MILESTONE else _number(row.value),
        "target": target,
        "status": row.status.value,
        "grey_reason": row.grey_reason or None,
    }


def status_export(*, plan: Plan, period: date, today: date | None = None) -> list[dict]:
    board = status_board(plan=plan, period=period, today=today)
    return status_rows_export(board.rows())


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


def tasks_of_unit(plan: Plan, unit: Unit):
    """The tasks a unit reports progress on: those its indicators lead; counties and
    parks carry every task "by duty"."""
    qs = Task.objects.filter(plan=plan).select_related("area", "lead_indicator")
    if unit.kind == Unit.Kind.DEPARTMENT:
        qs = qs.filter(lead_indicator__lead_unit=unit)
    return qs.order_by("area__number", "number")


def entry_sheet(*, unit: Unit, period: date) -> EntrySheet:
    """Everything the entry page shows, in a fixed number of queries whatever the
    number of metrics and tasks (asserted in the view's test)."""
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
    expected_month: bool = True  # the plan's calendar: a month before reporting starts is never late

    @property
    def complete(self) -> bool:
        return self.filled >= self.expected

    @property
    def counts(self) -> bool:
        """Counted as reported: submitted (a file import that completes the month submits
        it, so imported figures count the same as typed ones)."""
        return bool(self.submission and self.submission.counts_as_submitted)

    def report_state(self, *, deadline: date, today: date) -> ReportState:
        """In the words of every page (indicators.rules.reporting)."""
        s = self.submission
        return report_state(
            s.state if s else None,
            is_late=bool(s and s.is_late),
            deadline=deadline,
            today=today,
            expected_month=self.expected_month,
        )

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
        """报送率 = reported ÷ expected, in percent; never above 100 (rules.scoring: the same
        rounding as 报送进度, where 26 of 32 is 81.3%, not 81.2%)."""
        return completeness(self.reported, self.expected)


def month_overview(*, period: date) -> MonthOverview:
    """Every unit expected to report in `period` (status.board.expected_units, as stored
    in its ReportingStatus rows), with its submission and how many of its figures are
    in. Four queries."""
    month = reporting_month_get(period)
    rows = reporting_rows(period=period)
    subs = {s.unit_id: s for s in Submission.objects.filter(period=period).select_related("submitted_by", "accepted_by")}
    return MonthOverview(
        period,
        month,
        # A stored row is expected only in a month the plan's calendar expects (status.board.expected_units).
        [UnitMonthRow(r.unit, r.assigned, min(r.filled, r.assigned), subs.get(r.unit_id), r.expected) for r in rows],
    )


# -- the workflow timeline of one unit-month ------------------------------------------


@dataclass
class TimelineEvent:
    when: object  # datetime
    what: str
    who: str
    note: str = ""


@dataclass
class TimelineSection:
    """One round of the workflow; every round after the first opens with the approved
    correction that reopened the month."""

    events: list
    correction: TimelineEvent | None = None


STEP_WORDS = {"submitted": "提交", "approved": "单位审核通过", "accepted": "采纳", "returned": "退回"}
_ROUTINE = {"提交", "重新提交", "单位审核通过", "市优化办采纳", "保存草稿", "保存修改"}


def _who(user) -> str:
    return (user.first_name or user.username) if user else "系统"


def _steps_from_fields(record) -> list[TimelineEvent]:
    """The steps a submission row carries in its own fields, for rows written without
    history (demo data, bulk imports) or before their history starts."""
    steps = [
        (record.submitted_at, "提交", record.submitted_by, ""),
        (record.approved_at, "单位审核通过", record.approved_by, ""),
        (record.returned_at, "退回", record.returned_by, record.returned_reason),
        (record.accepted_at, "采纳", record.accepted_by, ""),
    ]
    if record.last_submitted_at and record.last_submitted_at != record.submitted_at:
        steps.append((record.last_submitted_at, "重新提交", record.submitted_by, ""))
    return sorted((TimelineEvent(when, what, _who(user), note) for when, what, user, note in steps if when), key=lambda e: e.when)


def submission_timeline(submission) -> list[TimelineSection]:
    """The workflow steps of a unit-month in the order they happened, read from the
    submission's history (three queries whatever its length). An approved correction
    starts a new section, so that the current round reads on its own."""
    if submission.pk is None:
        return []
    records = list(
        submission.history.select_related("history_user", "submitted_by", "approved_by", "accepted_by", "returned_by").order_by(
            "history_date", "history_id"
        )
    )
    if not records:
        return [TimelineSection(_steps_from_fields(submission))]
    sections = [TimelineSection([])]
    previous = None
    for i, h in enumerate(records):
        reason = h.history_change_reason or ""
        if reason.startswith("批准更正"):
            sections.append(TimelineSection([], TimelineEvent(h.history_date, "批准更正", _who(h.history_user), reason[5:])))
        elif i == 0 and h.state != "draft":
            sections[-1].events += _steps_from_fields(h)  # a row created already past draft
        elif h.state != previous or reason == "重新提交":
            what = STEP_WORDS.get(h.state)
            if what:
                if reason == "重新提交":
                    what = reason
                note = h.returned_reason if h.state == "returned" else ("" if reason in _ROUTINE else reason)
                sections[-1].events.append(TimelineEvent(h.history_date, what, _who(h.history_user), note))
        previous = h.state
    return sections
