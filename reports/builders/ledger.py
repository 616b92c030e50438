"""The task ledger's section of the quarterly bulletin (一季一通报): the plan's
deliverables counted 已完成 / 推进中 / 滞后 / 未启动, the tasks by state, and every
overdue deliverable named with the units that have not done it. One hook line in
bulletin.py; nothing is written when the plan has no deliverables. The numbers come
from the same selector as the ledger pages (indicators.ledger.selectors)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date

from indicators.ledger.selectors import LedgerSummary, ledger_summary
from indicators.rules.ledger import ORDER, LedgerState
from reports.builders.blocks import Document, Sheet, cn_date, names

NAMED = 2  # overdue deliverables named in the body; the annex lists every one
HEADER = ["任务", "已完成", "推进中", "滞后", "未启动", "任务状态"]


def _counted(counts: Counter) -> str:
    """ "已完成37项、滞后10项": the states that occur (the annex has every count)."""
    return "、".join(f"{s.label}{counts[s]}项" for s in ORDER if counts.get(s))


def _overdue_line(r) -> str:
    d = r.deliverable
    late = [u.name for u in r.late_units]
    lead = d.lead_unit.name
    if late == [lead]:
        return f"{d.name}（责任单位{lead}）"
    return f"{d.name}（责任单位{lead}；尚未完成：{names(late)}）"


def ledger_bulletin_section(doc: Document, h1: Callable[[str], None], *, plan, period: date, today: date) -> LedgerSummary | None:
    """The ledger as of the quarter's last month (judged at its end, or today within it)."""
    s = ledger_summary(plan=plan, period=period, today=today)
    with_items = [t for t in s.tasks if sum(t.counts.values())]
    if not with_items:
        return None
    h1("任务台账推进情况")
    totals = s.totals
    by_task = Counter(t.state for t in with_items)
    doc.add(
        "p",
        f"截至{cn_date(s.as_of)}，{len(with_items)}项行动内容列入任务台账的成果事项{sum(totals.values())}项：{_counted(totals)}；"
        f"按任务统计：{_counted(by_task)}，明细见附件《任务台账表》。",
    )
    # Items whose due date or content is still our assumption are never 滞后: said once, in the same paragraph.
    pending = f"另有{len(s.pending)}项成果事项的完成时限或内容待核定，暂不判定滞后。" if s.pending else ""
    if s.overdue:
        shown = "；".join(_overdue_line(r) for r in s.overdue[:NAMED])
        more = f"等{len(s.overdue)}项" if len(s.overdue) > NAMED else ""
        doc.add(
            "p",
            f"超过完成时限仍未完成的成果事项{len(s.overdue)}项：{shown}{more}，明细见附件《滞后事项表》。{pending}",
        )
    else:
        doc.add("p", f"无超过完成时限仍未完成的成果事项。{pending}")
    rows = [
        [f"{t.task.area.number}.{t.task.number} {t.task.title}"]
        + [
            t.counts.get(st, 0)
            for st in (LedgerState.DONE, LedgerState.IN_PROGRESS, LedgerState.OVERDUE, LedgerState.NOT_STARTED)
        ]
        + [t.state.label if t.state else "—"]
        for t in with_items
    ]
    doc.sheets.append(Sheet("任务台账", HEADER, rows, notes=["注：方案未明确完成时限的成果事项按年底评判。"]))
    if s.overdue:
        doc.sheets.append(
            Sheet(
                "滞后事项",
                ["成果事项", "所属任务", "责任单位", "尚未完成的单位", "完成时限"],
                [
                    [
                        r.deliverable.name,
                        f"{r.deliverable.task.area.number}.{r.deliverable.task.number}",
                        r.deliverable.lead_unit.name,
                        names([u.name for u in r.late_units]),
                        cn_date(r.deliverable.due) if r.deliverable.due else "年底",
                    ]
                    for r in s.overdue
                ],
            )
        )
    return s
