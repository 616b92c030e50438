"""The monthly dispatch (月调度) of month M, led by problems: the month in numbers, new
reds and recovered targets, targets still red with their lead departments, units behind
on reporting, task-progress exceptions and next steps; the full tables (every red and
yellow target with its gap and the unit's explanation, reporting, changes, tasks) go to
the Excel annex."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

from django.utils import timezone

from actions import clock
from actions.models import TaskReport
from indicators.months import reporting_month_get
from indicators.rules.periods import add_months, format_month
from indicators.rules.scoring import completeness
from indicators.rules.types import Status
from indicators.selectors import status_board
from reports.builders.annexes import add_annexes
from reports.builders.blocks import Document, Sheet, cite_annexes, cn_date, cn_number, names, num
from reports.builders.common import (
    STATUS_ORDER,
    BuildError,
    count_facts,
    gap_text,
    gap_unit,
    gap_value,
    lead_name,
    plan_of,
    provisional_text,
    red_streaks,
    reporting_of,
    target_text,
    unit_note,
    value_text,
)
from reports.builders.footnotes import table_notes
from reports.builders.supervision import supervision_dispatch_section
from reports.builders.titles import dispatch_title
from reports.builders.typography import quoted
from reports.models import ReportSettings

FLAGGED_HEADER = [
    "序号",
    "行动",
    "单位",
    "指标",
    "完成值",
    "计量单位",
    "目标",
    "差距",
    "差距单位",
    "状态",
    "牵头单位",
    "情况说明",
    "整改措施",
]
FLAGGED_FORMATS = [None, None, None, None, "0.00", None, None, "0.00", None, None, None, None, None]
METRIC_LINES = 3  # targets named line by line in the body; the annex has every one
TASKS_NAMED = 3  # delayed tasks named in the body, the most units behind first
FIXED_NAMED = 4  # recovered targets named in the body
UNITS_NAMED = 10  # units named with their figures beside a target in the body
CHRONIC_NAMED = 5  # units red two months running named in a next step; the annex has all
LEADS_NAMED = 3  # lead departments named in a next step; the annex names each target's


def _by_metric(rows) -> list:
    """Rows grouped by target, in plan order: [(metric, rows)]."""
    groups: dict = defaultdict(list)
    for r in rows:
        groups[r.metric].append(r)
    return sorted(groups.items(), key=lambda kv: (kv[0].area.number, kv[0].sort_order))


class Headings:
    """一、二、… numbered as sections are written, so that a section left out for want
    of content leaves no gap in the numbering."""

    def __init__(self, doc: Document):
        self.doc, self.n = doc, 0

    def __call__(self, text: str) -> None:
        self.n += 1
        self.doc.add("h1", f"{cn_number(self.n)}、{text}")


def _some(items: list[str]) -> str:
    """Names for the body: all of them in a city, the first ones and how many in a
    province (the annex 《报送情况表》 names every one)."""
    if len(items) > 2 * UNITS_NAMED:
        return f"{'、'.join(items[: 2 * UNITS_NAMED])}等{len(items)}家"
    return names(items)


def _number_or_text(row):
    """A figure for the annex: a number where the target is measured, else its words."""
    if row.metric.measure == "milestone" or row.value is None:
        return value_text(row)
    return row.value


def _change_row(label: str, r, before: dict) -> list:
    """A change since last month: last month's figure and status beside this month's."""
    was = before.get((r.metric.code, r.unit.code))
    last = (_number_or_text(was), was.status.label) if was else ("—", "—")
    return [label, r.unit.name, r.metric.name, *last, _number_or_text(r), r.metric.unit_of_measure, r.status.label]


def _reporting_rows(reporting) -> list[list]:
    """Every unit expected to report the month: 按时报送, 逾期报送 (with when) or 未报送."""
    late = {u.pk: s for u, s in reporting.late}
    submitted = {u.pk for u in reporting.submitted}
    rows = []
    for u in reporting.expected:
        s = late.get(u.pk)
        when = timezone.localtime(s.submitted_at).replace(tzinfo=None) if s and s.submitted_at else ""
        state = "逾期报送" if s else ("按时报送" if u.pk in submitted else "未报送")
        rows.append([u.name, state, when])
    return rows


def dispatch_document(
    *, period: date, today: date | None = None, changes: list[dict] | None = None, doc_date: date | None = None
) -> Document:
    today = today or clock.today()
    doc_date = doc_date or today
    plan = plan_of(period.year)
    board = status_board(plan=plan, period=period, today=today)
    key = format_month(period)
    month = f"{period.year}年{period.month}月"
    title = dispatch_title(period.year, period.month)
    doc = Document("dispatch", key, title)
    doc.add("title", title)
    if changes:
        correction_blocks(doc, changes)
    doc.add("to", f"{ReportSettings.current().dispatch_to}：")
    doc.add("p", f"现将{month}全市优化营商环境攻坚行动监测调度情况通报如下。")
    provisional = provisional_text([period], today=today, doc_date=doc_date)
    if provisional:
        doc.add("note", provisional)
    h1 = Headings(doc)

    rows = board.unit_rows
    reporting = reporting_of(board)
    counts = Counter(row.status for row in rows)
    rate = completeness(len(reporting.submitted), len(reporting.expected))

    h1("总体情况")
    doc.add(
        "p",
        f"{month}应报送单位{len(reporting.expected)}家，已报送{len(reporting.submitted)}家，"
        f"报送率{num(rate, 1)}%；逾期报送{len(reporting.late)}家，未报送{len(reporting.missing)}家。"
        f"各单位参评目标共{len(rows)}项，其中达标{counts[Status.GREEN]}项、预警{counts[Status.YELLOW]}项、"
        f"未达标{counts[Status.RED]}项、未报送{counts[Status.GREY]}项，分行动统计见附件《状态汇总表》。",
    )
    by_area: dict = defaultdict(Counter)
    for row in rows:
        by_area[row.metric.area][row.status] += 1
    summary_header = ["行动", "达标", "预警", "未达标", "未报送", "合计"]
    summary_rows = []
    for area in sorted(by_area, key=lambda a: a.number):
        c = by_area[area]
        summary_rows.append([area.name, *(c[s] for s in (Status.GREEN, Status.YELLOW, Status.RED, Status.GREY)), sum(c.values())])
    summary_rows.append(["合计", *(counts[s] for s in (Status.GREEN, Status.YELLOW, Status.RED, Status.GREY)), len(rows)])

    # The changes since last month lead: they are what the office acts on this month.
    # Named by target in a line each (unit and figure); the annex has every figure.
    new_reds, resolved, before = _changes(board, period, today)
    h1("本月新增未达标目标")
    if new_reds:
        by_new = sorted(_by_metric(new_reds), key=lambda kv: -len(kv[1]))  # the widest problems first
        doc.add("p", f"本月新增未达标目标{len(new_reds)}项（上月达标或预警、本月未达标），涉及{len(by_new)}个指标：")
        for i, (metric, items) in enumerate(by_new[:METRIC_LINES], start=1):
            who = "、".join(f"{r.unit.name}{value_text(r)}" for r in items[:UNITS_NAMED])
            if len(items) > UNITS_NAMED:  # a province has hundreds: the annex names every one
                who += f"等{len(items)}个单位"
            doc.add("p", f"{i}.{metric.name}（目标{target_text(metric)}，牵头单位{lead_name(metric)}）：{who}。")
        if len(by_new) > METRIC_LINES:
            doc.add("p", f"其余{len(by_new) - METRIC_LINES}个指标见附件《较上月变化表》。")
    else:
        doc.add("p", "本月无新增未达标目标。")
    h1("已销号目标")
    if resolved:
        by_fixed = _by_metric(resolved)
        shown = "、".join(quoted(m.name) for m, _ in by_fixed[:FIXED_NAMED])
        more = f"等{len(by_fixed)}个指标" if len(by_fixed) > FIXED_NAMED else ""
        doc.add("p", f"上月未达标、本月达标或预警的目标{len(resolved)}项，涉及{shown}{more}，明细见附件《较上月变化表》。")
    else:
        doc.add("p", "本月无销号目标。")

    reds = [r for r in rows if r.status == Status.RED]
    by_metric = _by_metric(reds)

    h1("报送情况")
    doc.add(
        "p",
        f"截至{cn_date(doc_date)}，未报送单位：{_some([u.name for u in reporting.missing])}。"
        f"按时报送截止日为{cn_date(reporting.deadline)}，逾期报送单位：{_some([u.name for u, _ in reporting.late])}。"
        "各单位报送情况见附件《报送情况表》。",
    )

    reports = list(
        TaskReport.objects.filter(period=period, task__plan=plan)
        .select_related("task__area", "unit")
        .order_by("task__area__number", "task__number", "unit__sort_order")
    )
    by_task: dict = defaultdict(list)
    for tr in reports:
        if tr.highlight or tr.state in (TaskReport.State.DONE, TaskReport.State.DELAYED):
            by_task[tr.task].append(tr)
    task_rows = [
        [tr.task.title, tr.unit.name, tr.get_state_display(), "是" if tr.highlight else "", tr.narrative] for tr in reports
    ]
    task_printed, task_note = _task_rows_printed(reports)
    exceptions = [(task, trs) for task, trs in by_task.items() if any(t.state == TaskReport.State.DELAYED for t in trs)]
    if exceptions:
        h1("任务推进情况")
        if exceptions:
            delayed = sorted(
                ((task, [t.unit.name for t in trs if t.state == TaskReport.State.DELAYED]) for task, trs in exceptions),
                key=lambda kv: -len(kv[1]),
            )
            n_units = sum(len(units) for _, units in delayed)
            parts = [
                f"{task.title}（{names(units[:3])}{f'等{len(units)}个单位' if len(units) > 3 else ''}）"
                for task, units in delayed[:TASKS_NAMED]
            ]
            more = f"等{len(delayed)}项" if len(delayed) > TASKS_NAMED else ""
            doc.add(
                "p",
                f"本月有单位报告进度滞后的任务{len(delayed)}项、涉及{n_units}个单位次，主要是{'；'.join(parts)}{more}，"
                "明细见附件《任务进展表》。",
            )
        # 【亮点】 lines are left out: a unit's own "按计划推进" is no highlight. What
        # measurably improved is said under 已销号目标; the annex keeps each unit's words.

    # Next steps from the reds, one step for every red target (the new ones' lead
    # departments named), one for the units red two months running.
    steps = []
    leads = list(dict.fromkeys(lead_name(m) for m, _ in _by_metric(new_reds)))
    if by_metric:
        step = f"本月未达标目标共{len(reds)}项、涉及{len(by_metric)}个指标（明细见附件《未达标和预警表》）"
        if leads:
            who = leads[0] if len(leads) == 1 else f"{'、'.join(leads[:LEADS_NAMED])}等{len(leads)}个牵头单位"
            step += f"，{who}要督促本月新增未达标的单位逐项查找原因、落实整改，下月调度时报告进展"
        else:
            step += "，各牵头单位要逐项督促整改"
        steps.append(step + "。")
    streaks = red_streaks(plan=plan, period=period, today=today)
    chronic = Counter(r.unit.name for r in reds if streaks.get((r.metric.pk, r.unit.pk), 0) >= 2)
    if chronic:
        ordered = [n for n, _ in sorted(chronic.items(), key=lambda kv: (-kv[1], kv[0]))]
        who = names(ordered[:CHRONIC_NAMED]) + (f"等{len(ordered)}个单位" if len(ordered) > CHRONIC_NAMED else "")
        steps.append(f"{who}有目标连续两个月及以上未达标，要列出问题清单、明确整改责任人，下月调度时逐项报告。")
    if exceptions:
        steps.append("进度滞后的任务，责任单位要倒排工期、加快推进，确保按期完成。")
    if reporting.missing or reporting.late:
        nxt = add_months(period, 1)
        steps.append(
            f"未报送和逾期报送单位要严格报送纪律，{nxt.month}月数据于{cn_date(reporting_month_get(nxt).deadline)}前"
            "按时、准确报送数据和情况说明。"
        )
    supervision_dispatch_section(doc, h1, period=period, today=min(today, doc_date))  # 督查督办 (reports/builders/supervision.py)
    if steps:
        h1("下一步工作")
        for j, text in enumerate(steps, start=1):
            doc.add("p", f"{j}.{text}")

    flagged = sorted(
        (r for r in rows if r.status in STATUS_ORDER),
        key=lambda r: (STATUS_ORDER[r.status], r.metric.area.number, r.metric.sort_order, r.unit.sort_order),
    )
    flagged_rows = [
        [
            i,
            r.metric.area.name,
            r.unit.name,
            r.metric.name,
            _number_or_text(r),
            r.metric.unit_of_measure,
            target_text(r.metric),
            gap_value(r, period) if gap_value(r, period) is not None else gap_text(r, period),
            gap_unit(r.metric),
            r.status.label,
            lead_name(r.metric),
            unit_note(r, "explanation", "未说明"),
            unit_note(r, "measures", "未填写"),
        ]
        for i, r in enumerate(flagged, start=1)
    ]
    doc.sheets[:0] = [
        Sheet("状态汇总", summary_header, summary_rows, ["@", "0", "0", "0", "0", "0"]),
        Sheet(
            "未达标和预警",
            FLAGGED_HEADER,
            flagged_rows,
            FLAGGED_FORMATS,
            table_notes(count_facts(board, dict.fromkeys(r.metric.pk for r in flagged))),
        ),
        Sheet("报送情况", ["单位", "报送情况", "提交时间"], _reporting_rows(reporting), [None, None, "yyyy-mm-dd hh:mm"]),
        Sheet(
            "较上月变化",
            ["变化", "单位", "指标", "上月完成值", "上月状态", "本月完成值", "计量单位", "本月状态"],
            [_change_row("新增未达标", r, before) for r in new_reds] + [_change_row("已销号", r, before) for r in resolved],
            [None, None, None, "0.00", None, "0.00", None, None],
        ),
        Sheet("任务进展", ["任务", "单位", "进展", "亮点", "进展情况"], task_rows, printed=task_printed, printed_note=task_note),
    ]
    cite_annexes(doc)
    add_annexes(doc)
    return doc


# The task reports the printed annex lists, in this order; the rest (按计划推进 with no
# 亮点: most of a month's several hundred) stay in the Excel file, counted in a 注.
TASK_PRINT_ORDER = [TaskReport.State.DELAYED, TaskReport.State.NOT_STARTED, TaskReport.State.DONE]


def _task_rows_printed(reports) -> tuple[list[int], str]:
    """Which task reports the annex page prints (what the office reads for: 滞后, 未启动,
    已完成 and the marked 亮点), and the 注 that says what the page leaves out."""
    order = {state: n for n, state in enumerate(TASK_PRINT_ORDER)}
    picked = [i for i, tr in enumerate(reports) if tr.state in order or tr.highlight]
    picked.sort(key=lambda i: (order.get(reports[i].state, len(order)), i))
    rest = len(reports) - len(picked)
    if not reports:
        return picked, "注：本月无任务进展报告。"
    if not rest:
        return picked, ""
    lead = "本月各单位任务均按计划推进" if not picked else f"其余{rest}个单位次按计划推进"
    return picked, f"注：{lead}，逐条进展见本期调度的Excel文件“任务进展”表。"


def _changes(board, period, today):
    """New reds and resolved reds against the previous month (last year's plan in January,
    matched by metric and unit codes)."""
    previous = add_months(period, -1)
    try:
        prev_plan = board.plan if previous.year == period.year else plan_of(previous.year)
    except BuildError:
        return [], [], {}
    prev_board = status_board(plan=prev_plan, period=previous, today=today)
    before = {(r.metric.code, r.unit.code): r for r in prev_board.unit_rows}
    new_reds, resolved = [], []
    for r in board.unit_rows:
        was_row = before.get((r.metric.code, r.unit.code))
        was = was_row.status if was_row else None
        if r.status == Status.RED and was is not None and was != Status.RED:
            new_reds.append(r)
        elif was == Status.RED and r.status in (Status.GREEN, Status.YELLOW):
            resolved.append(r)
    return new_reds, resolved, before


CHANGE_HEADER = ["指标", "单位", "原值", "新值", "状态变化"]


def correction_blocks(doc: Document, changes: list[dict]) -> None:
    """The 更正说明 at the head of a corrected report: what changed, figure by figure."""
    doc.title += "（更正）"
    doc.blocks[0].text = doc.title
    doc.add("note", f"更正说明：本期报告印发后，以下{len(changes)}项数据经审核更正，现予重新印发，原版本作废。")
    doc.add("table", header=CHANGE_HEADER, rows=[change_row(c) for c in changes])
    doc.sheets.append(Sheet("更正说明", CHANGE_HEADER, [change_row(c) for c in changes]))


def change_row(c: dict) -> list[str]:
    return [
        str(c.get("figure") or c.get("metric") or ""),
        str(c.get("unit") or ""),
        str(c.get("old") if c.get("old") is not None else "—"),
        str(c.get("new") if c.get("new") is not None else "—"),
        str(c.get("status_change") or c.get("status") or "—"),
    ]
