"""督查督办's sections of the documents: the monthly dispatch lists new orders, answers
due and overdue ones; the quarterly bulletin counts open / overdue / 销号 by unit and by
indicator, names the overdue 挂牌督办 and counts the findings by source. Each builder
calls one function here (a single hook line); nothing is written when there is nothing
to say. The numbers come from the same stored orders as the pages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from indicators.rules.periods import quarter_months
from reports.builders.blocks import Document, Sheet, cn_date, names
from reports.supervision.models import SupervisionSettings
from reports.supervision.selectors import SupervisionSummary, supervision_summary

LISTED = 10  # orders named in the body; the annex lists every one
ORDER_HEADER = ["类别", "编号", "责任单位", "指标/成果事项/线索", "级别", "答复期限", "办理环节", "问题"]


def _about(o) -> str:
    return o.about_text


def _line(o) -> str:
    return f"{o.number_text}（{o.unit.name}，{_about(o)}，{o.level_then_label}，{cn_date(o.due)}前答复）"


def _rows(label: str, orders) -> list[list]:
    # Stage and level as they stood on the document's date (supervision_summary).
    return [[label, o.number_text, o.unit.name, _about(o), o.level_then_label, o.due, o.stage_then, o.problem] for o in orders]


def _list(doc: Document, lead: str, orders, empty: str) -> None:
    if not orders:
        doc.add("p", empty)
        return
    shown = "；".join(_line(o) for o in orders[:LISTED])
    more = f"等{len(orders)}件，明细见附件《督查督办表》" if len(orders) > LISTED else ""
    doc.add("p", f"{lead}{len(orders)}件：{shown}{more}。")


def _overdue_line(o, end: date) -> str:
    return f"{o.number_text}（{o.unit.name}，{_about(o)}，逾期{(end - o.due).days}天）"


def supervision_dispatch_section(
    doc: Document, h1: Callable[[str], None], *, period: date, today: date
) -> SupervisionSummary | None:
    """一月一调度: the month's new orders, the answers awaited and the overdue ones."""
    s = supervision_summary(months=[period], as_of=today)
    if not (s.new or s.awaited or s.overdue):
        return None
    h1("督查督办情况")
    _list(doc, "针对本月问题新交办督办单", s.new, "本月无新交办督办单。")
    _list(doc, "待责任单位答复（未到期）的督办单", s.awaited, "无待答复的督办单。")
    if s.overdue:
        shown = "；".join(_overdue_line(o, s.as_of) for o in s.overdue[:LISTED])
        doc.add("p", f"截至{cn_date(s.as_of)}，逾期未答复的督办单{len(s.overdue)}件：{shown}。请责任单位立即答复。")
    else:
        doc.add("p", f"截至{cn_date(s.as_of)}，无逾期未答复的督办单。")
    doc.blocks[-1].text = doc.blocks[-1].text[:-1] + "；督办单明细见附件《督查督办表》。"  # every annex cited in the body
    doc.sheets.append(
        Sheet(
            "督查督办",
            ORDER_HEADER,
            _rows("新交办", s.new) + _rows("待答复", s.awaited) + _rows("逾期", s.overdue),
            [None] * 5 + ["yyyy-mm-dd", None, None],
        )
    )
    return s


def _scoring_text(settings: SupervisionSettings) -> str:
    """The office's overdue scoring in the document's wording (full-width, no spaces)."""
    points = settings.overdue_points
    text = "督办逾期不扣分" if points is None else f"每件逾期督办在综合得分中扣{points.normalize():f}分"
    return text if settings.overdue_points_confirmed else f"{text}（待核定）"


def supervision_bulletin_section(
    doc: Document, h1: Callable[[str], None], *, year: int, quarter: int, today: date
) -> SupervisionSummary | None:
    """一季一通报: open / overdue / 销号 by unit and by indicator, the overdue 挂牌督办
    named, the findings counted by source."""
    s = supervision_summary(months=quarter_months(year, quarter), as_of=today)
    if not (s.by_unit or s.findings_by_source):
        return None
    h1("督查督办情况")
    total_open = sum(t.open for t in s.by_unit)
    total_overdue = sum(t.overdue for t in s.by_unit)
    total_closed = sum(t.closed for t in s.by_unit)
    doc.add(
        "p",
        f"截至{cn_date(s.as_of)}，累计交办督办单{total_open + total_closed}件，已销号{total_closed}件，"
        f"未销号{total_open}件，其中逾期未答复{total_overdue}件。本季度新交办{len(s.new)}件，统计见附件《督查督办统计表》。"
        f"逾期计分：{_scoring_text(SupervisionSettings.current())}。",
    )
    header = ["单位", "未销号", "其中逾期", "已销号"]
    doc.add("table", header=header, rows=[[t.name, str(t.open), str(t.overdue), str(t.closed)] for t in s.by_unit])
    if s.by_indicator:
        doc.add("p", "按指标统计：")
        doc.add(
            "table",
            header=["指标", "未销号", "其中逾期", "已销号"],
            rows=[[t.name, str(t.open), str(t.overdue), str(t.closed)] for t in s.by_indicator],
        )
    listed = s.overdue_listed
    if listed:
        named = "；".join(_overdue_line(o, s.as_of) for o in listed)
        doc.add("p", f"逾期未答复的挂牌督办{len(listed)}件：{named}。予以通报，请责任单位限期整改到位。")
    if s.findings_by_source:
        counted = names([f"{k}{n}条" for k, n in s.findings_by_source])
        doc.add("p", f"本季度受理问题线索{sum(n for _, n in s.findings_by_source)}条：{counted}。")
    doc.sheets.append(
        Sheet(
            "督查督办统计",
            ["统计口径", "名称", "未销号", "其中逾期", "已销号"],
            [["单位", t.name, t.open, t.overdue, t.closed] for t in s.by_unit]
            + [["指标", t.name, t.open, t.overdue, t.closed] for t in s.by_indicator],
        )
    )
    return s
