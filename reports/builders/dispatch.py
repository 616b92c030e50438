"""The monthly dispatch (月调度) of month M: status counts by area, every red and yellow
target with its gap and the unit's explanation, who did not report or reported late,
what changed since last month, and the task-progress highlights."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

from django.db.models import Q
from django.utils import timezone

from actions.models import TaskReport
from indicators.rules.periods import add_months, format_month
from indicators.rules.scoring import completeness
from indicators.rules.types import Status
from indicators.selectors import status_board
from reports.builders.blocks import Document, Sheet, cn_date, names, num
from reports.builders.common import ISSUER, STATUS_ORDER, BuildError, gap_text, plan_of, reporting_of, value_text

FLAGGED_HEADER = ["序号", "行动", "单位", "指标", "完成值", "目标", "差距", "状态", "情况说明", "整改措施"]


def dispatch_document(*, period: date, today: date | None = None, changes: list[dict] | None = None) -> Document:
    today = today or timezone.localdate()
    plan = plan_of(period.year)
    board = status_board(plan=plan, period=period, today=today)
    key = format_month(period)
    title = f"衡阳市营商环境攻坚行动月调度（{period.year}年{period.month}月）"
    doc = Document("dispatch", key, title)
    doc.add("title", title)
    doc.add("meta", f"{ISSUER}　{cn_date(today)}")
    if changes:
        correction_blocks(doc, changes)

    rows = board.unit_rows
    reporting = reporting_of(board)
    counts = Counter(row.status for row in rows)
    rate = completeness(len(reporting.submitted), len(reporting.expected))

    # 一、总体情况
    doc.add("h1", "一、总体情况")
    doc.add(
        "p",
        f"{period.year}年{period.month}月应报送单位{len(reporting.expected)}家，已报送{len(reporting.submitted)}家，"
        f"报送率{num(rate, 1)}%；逾期报送{len(reporting.late)}家，未报送{len(reporting.missing)}家。"
        f"各单位参评目标共{len(rows)}项，其中达标{counts[Status.GREEN]}项、预警{counts[Status.YELLOW]}项、"
        f"未达标{counts[Status.RED]}项、未报送{counts[Status.GREY]}项。",
    )
    by_area: dict = defaultdict(Counter)
    for row in rows:
        by_area[row.metric.area][row.status] += 1
    summary_header = ["行动", "达标", "预警", "未达标", "未报送", "合计"]
    summary_rows = []
    for area in sorted(by_area, key=lambda a: a.number):
        c = by_area[area]
        summary_rows.append(
            [area.name, *(str(c[s]) for s in (Status.GREEN, Status.YELLOW, Status.RED, Status.GREY)), str(sum(c.values()))]
        )
    summary_rows.append(
        ["合计", *(str(counts[s]) for s in (Status.GREEN, Status.YELLOW, Status.RED, Status.GREY)), str(len(rows))]
    )
    doc.add("table", header=summary_header, rows=summary_rows)

    # 二、未达标和预警目标
    flagged = sorted(
        (r for r in rows if r.status in STATUS_ORDER),
        key=lambda r: (STATUS_ORDER[r.status], r.metric.area.number, r.metric.sort_order, r.unit.sort_order),
    )
    doc.add("h1", "二、未达标和预警目标")
    flagged_rows = []
    for i, r in enumerate(flagged, start=1):
        f = r.figure
        flagged_rows.append(
            [
                str(i),
                r.metric.area.name,
                r.unit.name,
                r.metric.name,
                value_text(r),
                r.metric.target_text(),
                gap_text(r, period),
                r.status.label,
                (f.explanation if f else "") or "未说明",
                (f.measures if f else "") or "未填写",
            ]
        )
    if flagged_rows:
        n_red = sum(1 for r in flagged if r.status == Status.RED)
        doc.add("p", f"本月未达标目标{n_red}项、预警目标{len(flagged) - n_red}项，明细如下。")
        doc.add("table", header=FLAGGED_HEADER, rows=flagged_rows, widths=[3, 6, 6, 8, 5, 7, 5, 4, 12, 12])
    else:
        doc.add("p", "本月无未达标和预警目标。")

    # 三、报送情况
    doc.add("h1", "三、报送情况")
    doc.add("h2", "（一）未报送单位")
    doc.add("p", f"截至报告生成时，未报送单位：{names([u.name for u in reporting.missing])}。")
    doc.add("h2", "（二）逾期报送单位")
    doc.add(
        "p",
        f"按时报送截止日为{cn_date(reporting.deadline)}，逾期报送单位：{names([u.name for u, _ in reporting.late])}。",
    )

    # 四、较上月变化
    new_reds, resolved = _changes(board, period, today)
    doc.add("h1", "四、较上月变化")
    doc.add("h2", "（一）新增未达标")
    if new_reds:
        doc.add(
            "table",
            header=["单位", "指标", "本月完成值", "目标"],
            rows=[[r.unit.name, r.metric.name, value_text(r), r.metric.target_text()] for r in new_reds],
        )
    else:
        doc.add("p", "本月无新增未达标目标。")
    doc.add("h2", "（二）已销号（上月未达标、本月好转）")
    if resolved:
        doc.add(
            "table",
            header=["单位", "指标", "本月完成值", "本月状态"],
            rows=[[r.unit.name, r.metric.name, value_text(r), r.status.label] for r in resolved],
        )
    else:
        doc.add("p", "本月无销号目标。")

    # 五、任务推进亮点
    doc.add("h1", "五、任务推进情况")
    reports = list(
        TaskReport.objects.filter(period=period, task__plan=plan)
        .filter(Q(highlight=True) | Q(state__in=[TaskReport.State.DONE, TaskReport.State.DELAYED]))
        .select_related("task__area", "unit")
        .order_by("task__area__number", "task__number", "unit__sort_order")
    )
    by_task: dict = defaultdict(list)
    for tr in reports:
        by_task[tr.task].append(tr)
    if not by_task:
        doc.add("p", "本月无已完成、滞后或标记为亮点的任务进展。")
    task_rows = []
    for i, (task, trs) in enumerate(by_task.items(), start=1):
        doc.add("h3", f"{i}. {task.title}")
        done = [t.unit.name for t in trs if t.state == TaskReport.State.DONE]
        delayed = [t.unit.name for t in trs if t.state == TaskReport.State.DELAYED]
        parts = []
        if done:
            parts.append(f"已完成：{names(done)}")
        if delayed:
            parts.append(f"进度滞后：{names(delayed)}")
        if parts:
            doc.add("p", "；".join(parts) + "。")
        for t in trs:
            if t.highlight and t.narrative:
                doc.add("p", f"【亮点】{t.unit.name}：{t.narrative}")
            task_rows.append([task.title, t.unit.name, t.get_state_display(), "是" if t.highlight else "", t.narrative])

    doc.sheets[:0] = [
        Sheet("状态汇总", summary_header, summary_rows),
        Sheet("未达标和预警", FLAGGED_HEADER, flagged_rows),
        Sheet(
            "报送情况",
            ["单位", "报送情况", "提交时间"],
            [[u.name, "未报送", ""] for u in reporting.missing]
            + [
                [u.name, "逾期报送", timezone.localtime(s.submitted_at).strftime("%Y-%m-%d %H:%M") if s.submitted_at else ""]
                for u, s in reporting.late
            ],
        ),
        Sheet(
            "较上月变化",
            ["变化", "单位", "指标", "本月完成值", "本月状态"],
            [["新增未达标", r.unit.name, r.metric.name, value_text(r), r.status.label] for r in new_reds]
            + [["已销号", r.unit.name, r.metric.name, value_text(r), r.status.label] for r in resolved],
        ),
        Sheet("任务进展", ["任务", "单位", "进展", "亮点", "进展情况"], task_rows),
    ]
    return doc


def _changes(board, period, today):
    """New reds and resolved reds against the previous month (last year's plan in January,
    matched by metric and unit codes)."""
    previous = add_months(period, -1)
    try:
        prev_plan = board.plan if previous.year == period.year else plan_of(previous.year)
    except BuildError:
        return [], []
    prev_board = status_board(plan=prev_plan, period=previous, today=today)
    before = {(r.metric.code, r.unit.code): r.status for r in prev_board.unit_rows}
    new_reds, resolved = [], []
    for r in board.unit_rows:
        was = before.get((r.metric.code, r.unit.code))
        if r.status == Status.RED and was is not None and was != Status.RED:
            new_reds.append(r)
        elif was == Status.RED and r.status in (Status.GREEN, Status.YELLOW):
            resolved.append(r)
    return new_reds, resolved


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
        str(c.get("status_change") or c.get("status") or "无变化"),
    ]
