"""Reads and wording shared by the dispatch and the bulletin: flagged targets in words,
who reported, and the plan of a year."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from actions.models import Plan
from indicators.models import Metric, ReportingMonth, Submission
from indicators.rules.status import gap
from indicators.rules.types import Kind, MilestoneState, Status, with_unit
from indicators.rules.workdays import default_deadline
from indicators.selectors import StatusBoard, StatusRow
from indicators.status_store import reporting_rows
from reports.builders.blocks import num

ISSUER = "衡阳市优化营商环境协调事务中心"


class BuildError(Exception):
    """A report that cannot be built from the data; the message is for users."""


def plan_of(year: int) -> Plan:
    plan = Plan.objects.filter(year=year).first()
    if plan is None:
        raise BuildError(f"系统中没有 {year} 年度的行动方案，无法生成该期报告。请先载入方案。")
    return plan


def value_text(row: StatusRow) -> str:
    m = row.metric
    if m.measure == Metric.Measure.MILESTONE:
        return MilestoneState(row.reading.state).label if row.reading.state else "—"
    if row.value is None:
        return "—"
    return with_unit(num(row.value), m.unit_of_measure)


def gap_text(row: StatusRow, period: date) -> str:
    m = row.metric
    if m.measure == Metric.Measure.MILESTONE:
        return "逾期未完成" if row.status == Status.RED else "—"
    g = gap(m.target, m.measure, row.reading, last_year=row.last_year, other=row.other, period=period)
    if g is None:
        return "—"
    points = m.measure == Metric.Measure.RATIO or m.kind == Kind.CHANGE_VS_LAST_YEAR
    unit = "个百分点" if points else m.unit_of_measure
    text = num(g)
    return f"{text}{unit}" if unit in ("%", "") else f"{text} {unit}"


@dataclass
class Reporting:
    """Who was expected to report a month, who did, late or not."""

    expected: list  # units
    submitted: list
    late: list[tuple]  # (unit, submission)
    missing: list
    deadline: date


def reporting_of(board: StatusBoard) -> Reporting:
    period = board.period
    expected = [r.unit for r in reporting_rows(period=period)]
    subs = {s.unit_id: s for s in Submission.objects.filter(period=period, unit__in=expected)}
    month = ReportingMonth.objects.filter(period=period).first()
    deadline = month.deadline if month else default_deadline(period)
    submitted, late, missing = [], [], []
    for unit in expected:
        s = subs.get(unit.pk)
        if s and s.counts_as_submitted:
            submitted.append(unit)
            if s.is_late:
                late.append((unit, s))
        else:
            missing.append(unit)
    return Reporting(expected, submitted, late, missing, deadline)


STATUS_ORDER = {Status.RED: 0, Status.YELLOW: 1}
