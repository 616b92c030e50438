"""Reads and wording shared by the dispatch and the bulletin: flagged targets in words,
who reported, the plan of a year, the 公文 head, and the ranking groups."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from actions import clock
from actions.models import Plan
from indicators.models import Metric, Submission
from indicators.months import reporting_month_get
from indicators.rules.reporting import Timeliness, submission_timeliness
from indicators.rules.scoring import Ranked, ScoreInput
from indicators.rules.status import comparison_value, gap
from indicators.rules.types import Kind, MilestoneState, Status, format_figure
from indicators.selectors import StatusBoard, StatusRow
from indicators.status.read import reporting_rows
from reports.builders.blocks import cn_date, num
from reports.builders.footnotes import CountFacts, UnitFigure
from reports.builders.typography import clean, quantity, words


class BuildError(Exception):
    """A report that cannot be built from the data; the message is for users."""


def plan_of(year: int) -> Plan:
    plan = Plan.objects.filter(year=year).first()
    if plan is None:
        raise BuildError(f"系统中没有 {year} 年度的行动方案，无法生成该期报告。请先载入方案。")
    return plan


def figure_text(metric: Metric, value, state=None) -> str:
    """A figure in a document, in words with its unit: "3个工作日", "92.5%", "第11名",
    "推进中"; "—" when missing. (Web pages use reports.selectors.common.value_text: same
    rounding, but a space before a word unit; documents follow GB/T 15835, no space.)"""
    if metric.measure == Metric.Measure.MILESTONE:
        return MilestoneState(state).label if state else "—"
    if value is None:
        return "—"
    if metric.unit_of_measure == "名":  # a rank: 第11名
        return f"第{num(value)}名"
    return quantity(format_figure(value, metric.target.thresholds), metric.unit_of_measure)


def value_text(row: StatusRow) -> str:
    """A board row's figure in a document (figure_text)."""
    return figure_text(row.metric, row.value, row.reading.state)


def target_text(metric: Metric) -> str:
    """The target in words: "不超过0.5个工作日", "不低于90%", "2022年12月31日前完成"."""
    return words(metric.target_text())


def gap_value(row: StatusRow, period: date) -> Decimal | None:
    m = row.metric
    if m.measure == Metric.Measure.MILESTONE:
        return None
    return gap(m.target, m.measure, row.reading, last_year=row.last_year, other=row.other, period=period)


def gap_unit(metric: Metric) -> str:
    points = metric.measure == Metric.Measure.RATIO or metric.kind == Kind.CHANGE_VS_LAST_YEAR
    return "个百分点" if points else metric.unit_of_measure


def gap_text(row: StatusRow, period: date) -> str:
    if row.metric.measure == Metric.Measure.MILESTONE:
        return "逾期未完成" if row.status == Status.RED else "—"
    g = gap_value(row, period)
    if g is None:
        return "—"
    unit = gap_unit(row.metric)
    return f"{num(g)}个位次" if unit == "名" else quantity(num(g), unit)


def pace_text(metric: Metric, period: date) -> str:
    """时序进度 of a target reached by accumulation: where the figure should be by the
    end of month `period`; empty for other targets."""
    t = metric.target
    if not t.pace or t.baseline is None or t.value is None:
        return ""
    expected = comparison_value(t, period)
    if expected is None or expected == t.value:
        return ""
    return f"按时序进度{period.month}月底应达到{quantity(num(expected), metric.unit_of_measure)}"


def lead_name(metric: Metric) -> str:
    """指标牵头单位 of a target: the lead unit of its evaluation indicator."""
    ind = metric.indicator
    return ind.lead_unit.name if ind and ind.lead_unit_id else "有关单位"


def unit_note(row: StatusRow, field_name: str, default: str = "") -> str:
    """A unit's own text (情况说明, 整改措施) made safe for every file: a control character
    pasted from another program is dropped, never stops the report."""
    f = row.figure
    return clean(getattr(f, field_name, "") if f else "") or default


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
    deadline = reporting_month_get(period).deadline
    submitted, late, missing = [], [], []
    for unit in expected:
        s = subs.get(unit.pk)
        t = submission_timeliness(s, deadline=deadline, today=clock.today())  # the one rule (rules.reporting)
        if t in (Timeliness.ON_TIME, Timeliness.LATE):
            submitted.append(unit)
            if t == Timeliness.LATE:
                late.append((unit, s))
        else:
            missing.append(unit)
    return Reporting(expected, submitted, late, missing, deadline)


STATUS_ORDER = {Status.RED: 0, Status.YELLOW: 1}


def provisional_text(periods: list[date], *, today: date | None = None, doc_date: date | None = None) -> str:
    """数据截至……,部分单位尚未报送: said on the first page of a report on a month whose
    data are not yet closed (today on or before its lock date); empty once closed."""
    today = today or clock.today()
    last = periods[-1]
    lock = reporting_month_get(last).lock_date
    if today > lock:
        return ""
    return (
        f"数据截至{cn_date(min(today, doc_date or today))}，部分单位尚未报送，本期为初步统计，"
        f"以{last.month}月数据于{cn_date(lock)}锁定后为准。"
    )


# -- ranking groups ------------------------------------------------------------------
# The office's scoring groups (the plan file's `scoring:`), ranked separately.


@dataclass
class GroupRanking:
    label: str
    rows: list[Ranked]
    inputs: dict[str, ScoreInput]


def group_rankings(ranked: dict) -> list[GroupRanking]:
    """`rankings()` output as the bulletin prints it: the plan's groups in its order, those
    with ranked units only; equal scores already share a rank (并列) and the movement is
    against the span before (进位/退位)."""
    return [GroupRanking(r.label, r.rows, r.inputs) for r in ranked.values() if r.rows]


def ranked_names(rows: list[Ranked]) -> str:
    """ "衡阳县（92.5分）、衡南县和衡东县（并列第2名，88分）": in rank order, ties said as
    并列 with their rank (a unit alone at its rank is placed by the order)."""
    parts = []
    by_rank: dict[int, list[Ranked]] = {}
    for r in rows:
        by_rank.setdefault(r.rank, []).append(r)
    for rank, group in by_rank.items():
        score = score_text(group[0].score)
        if len(group) > 1:
            parts.append(f"{'、'.join(r.name for r in group)}（并列第{rank}名，{score}分）")
        else:
            parts.append(f"{group[0].name}（{score}分）")
    return "、".join(parts)


def red_streaks(*, plan: Plan, period: date, today: date | None = None) -> dict[tuple[int, int | None], int]:
    """Consecutive months, up to and including `period` and within its year, that each
    target has been red, by (metric id, unit id; None for the city). Months are read as
    every document reads them (status_board), walking back only while something is still red."""
    from indicators.selectors import status_board

    def reds(p: date) -> set[tuple[int, int | None]]:
        board = status_board(plan=plan, period=p, today=today)
        keys = {(r.metric.pk, r.unit.pk) for r in board.unit_rows if r.status == Status.RED}
        return keys | {(pk, None) for pk, r in board.city_rows.items() if r.status == Status.RED}

    running = reds(period)
    out = dict.fromkeys(running, 1)
    month = period
    while running and month.month > 1:
        month = date(month.year, month.month - 1, 1)
        running &= reds(month)
        for key in running:
            out[key] += 1
    return out


def score_text(score) -> str:
    """A score as every document prints it: one decimal always (64.0分 beside 57.6分)."""
    return f"{Decimal(score).quantize(Decimal('0.1')):f}"


def count_facts(board: StatusBoard, metric_ids) -> list[CountFacts]:
    """The city total and every unit's figure of each summed count among `metric_ids`, in
    the board's order: what the 注 of a table listing them reads (reports.builders.footnotes)."""
    from actions.models import Unit

    wanted = set(metric_ids)
    names = {r.unit.pk: r.unit.name for r in board.unit_rows}
    parents = {r.unit.cases_in_county_id for r in board.unit_rows if r.unit.cases_in_county_id} - names.keys()
    names |= dict(Unit.objects.filter(pk__in=parents).values_list("pk", "name")) if parents else {}
    out = []
    for m in board.metrics:
        if m.pk not in wanted or m.measure != Metric.Measure.COUNT or m.aggregate != Metric.Aggregate.SUM:
            continue
        units = tuple(
            UnitFigure(r.unit.name, r.value, r.unit.counts_in_city, names.get(r.unit.cases_in_county_id, ""))
            for r in board.unit_rows
            if r.metric.pk == m.pk
        )
        city = board.city_rows.get(m.pk)
        out.append(CountFacts(m.name, m.unit_of_measure, city.value if city else None, units))
    return out
