"""The 更正通知 of an issued document: 关于更正《…》（文号）的通知, one to two pages: which
document, who asked, each corrected figure 原值 → 更正值 with its status before and after,
the totals and ranks the correction moved. Built from the notice's stored changes only."""

from __future__ import annotations

from reports.builders.blocks import Document, cn_date
from reports.printed import score_text

FIGURE_HEADER = ["单位", "指标", "原值", "更正值", "状态变化"]
FIGURE_WIDTHS = [13, 10, 7, 7, 7]
CLOSING = "原文其他内容不变。特此通知。"


def notice_title(*, title: str, number: str) -> str:
    return f"关于更正《{title}》（{number}）的通知"


def _month(period: str) -> str:
    year, month = period.split("-")
    return f"{year}年{int(month)}月"


def _status(c: dict) -> str:
    if c["old_status"] == c["new_status"]:
        return f"{c['new_status']}（未变）"
    return f"{c['old_status']}→{c['new_status']}"


def notice_document(*, kind: str, key: str, original: dict, changes: dict, to: str) -> Document:
    """`original`: the corrected document's title, number (文号) and date (ISO); `changes`:
    reports.printed.corrections_diff of its printed facts."""
    title = notice_title(title=original["title"], number=original["number"])
    doc = Document(kind, key, title)
    doc.add("title", title)
    doc.add("to", f"{to}：")
    figures = changes.get("figures", [])
    corrected = changes.get("corrected") or [{"unit": c["unit"], "period": c["period"]} for c in figures if c["unit"] != "全市"]
    units = list(dict.fromkeys(c["unit"] for c in corrected))
    periods = sorted({c["period"] for c in corrected})
    who = f"经{'、'.join(units)}申请、" if units else "经"
    months = "、".join(_month(p) for p in periods) or "有关月份"
    doc.add(
        "p",
        f"我办{cn_date(original['date'])}印发的{original['number']}文件，{who}我办审核，{months}数据"
        + ("更正如下：" if figures else "予以更正。"),
    )
    # Short by design: a notice and its 署名 fit on one page with the 版记 in the usual
    # case; the closing words end the last paragraph, so they go with the 署名.
    if figures:
        with_month = len({c["period"] for c in figures}) > 1
        rows = [
            [c["unit"], f"{c['metric']}（{_month(c['period'])}）" if with_month else c["metric"], c["old"], c["new"], _status(c)]
            for c in figures
        ]
        doc.add("table", header=FIGURE_HEADER, rows=rows, widths=FIGURE_WIDTHS)
    moved = []
    totals = changes.get("totals")
    if totals:
        parts = [f"{k}{v}项（原{totals['before'][k]}项）" for k, v in totals["after"].items() if v != totals["before"][k]]
        rest = "，其余不变" if len(parts) < len(totals["after"]) else ""
        moved.append(f"{totals['label']}{'、'.join(parts)}{rest}")
    by_group: dict[str, list[str]] = {}
    for r in changes.get("ranks") or []:
        score = f"综合得分由{score_text(r['old_score'])}更正为{score_text(r['new_score'])}"
        if r["old_rank"] == r["new_rank"]:
            said = f"{r['unit']}{score}，排名不变（第{r['new_rank']}名）"
        else:
            said = f"{r['unit']}{score}，排名由第{r['old_rank']}名调整为第{r['new_rank']}名"
        by_group.setdefault(r["group"], []).append(said)
    moved += [f"{group}综合排名中{'；'.join(items)}" for group, items in by_group.items()]
    doc.add("p", (f"更正后，{'；'.join(moved)}。" if moved else "原文所列合计和排名不受影响。") + CLOSING)
    return doc
