"""The quarterly bulletin (季通报) of quarter Q: overall progress, the rankings of
counties and parks and of lead departments by the published score (formula stated),
the 红黑榜, the red list, good practices and negative cases, and next steps."""

from __future__ import annotations

from collections import Counter
from datetime import date

from django.utils import timezone

from actions.models import TaskReport
from indicators.models import Submission
from indicators.rules.periods import add_months, quarter_months
from indicators.rules.scoring import completeness, red_black_list
from indicators.rules.status import is_judged
from indicators.rules.types import Status
from indicators.rules.workdays import month_end
from indicators.selectors import status_board
from reports.builders.blocks import Document, Sheet, cn_date, cn_number, names, num
from reports.builders.common import ISSUER, plan_of, value_text
from reports.builders.dispatch import correction_blocks
from reports.models import BulletinNote
from reports.rankings import rankings, scoring_formula

RANK_HEADER = ["排名", "单位", "综合得分", "达标率", "按时报送率", "改善率", "较上季度"]
RED_HEADER = ["序号", "单位", "指标", "完成值", "目标", "情况说明"]
RED_LIST_LIMIT = 300  # red targets listed in the body; the Excel annex lists every one


def rectify_deadline(year: int, quarter: int) -> date:
    """Units on the 黑榜 report their rectification by the end of the month after the quarter."""
    return month_end(add_months(quarter_months(year, quarter)[-1], 1))


def _pct(part: int, whole: int) -> str:
    return f"{num(completeness(part, whole), 1)}%" if whole else "—"


def _movement(m: int | None) -> str:
    if m is None:
        return "—"
    return f"↑{m}" if m > 0 else (f"↓{-m}" if m < 0 else "持平")


def bulletin_document(*, year: int, quarter: int, today: date | None = None, changes: list[dict] | None = None) -> Document:
    today = today or timezone.localdate()
    plan = plan_of(year)
    months = quarter_months(year, quarter)
    last = months[-1]
    key = f"{year}Q{quarter}"
    title = f"关于{year}年第{cn_number(quarter)}季度全市优化营商环境攻坚行动推进情况的通报"
    doc = Document("bulletin", key, title)
    doc.add("title", title)
    if changes:
        correction_blocks(doc, changes)
    doc.add("to", "各县市区人民政府、园区管委会，市直及驻衡有关单位：")
    doc.add(
        "p",
        f"根据《{plan.title}》“一月一调度、一季一通报”工作要求，现将{year}年第{cn_number(quarter)}季度"
        "全市优化营商环境攻坚行动推进情况通报如下。",
    )

    # 一、总体进展
    board = status_board(plan=plan, period=last, today=today)
    city = [board.city_rows[m.pk] for m in board.metrics if is_judged(m.target)]
    city_counts = Counter(r.status for r in city)
    subs = Submission.objects.filter(period__in=months)
    boards = {last: board} | {p: status_board(plan=plan, period=p, today=today) for p in months[:-1]}
    expected = {(r.unit.pk, p) for p, b in boards.items() for r in b.unit_rows}
    submitted = {(s.unit_id, s.period) for s in subs if s.counts_as_submitted and (s.unit_id, s.period) in expected}
    on_time = {(s.unit_id, s.period) for s in subs if s.counts_as_submitted and not s.is_late} & expected
    tasks_done = (
        TaskReport.objects.filter(period=last, task__plan=plan, state=TaskReport.State.DONE).values("task").distinct().count()
    )
    doc.add("h1", "一、总体进展")
    doc.add(
        "p",
        f"截至{last.month}月底，全市{len(city)}项参评目标中，达标{city_counts[Status.GREEN]}项、"
        f"预警{city_counts[Status.YELLOW]}项、未达标{city_counts[Status.RED]}项、未报送{city_counts[Status.GREY]}项，"
        f"达标率{_pct(city_counts[Status.GREEN], len(city))}。本季度各单位应报送{len(expected)}次，"
        f"实际报送{len(submitted)}次，报送率{_pct(len(submitted), len(expected))}，其中按时报送率"
        f"{_pct(len(on_time), len(expected))}。{plan.tasks.count()}项行动内容中，已有{tasks_done}项有单位报告已完成。",
    )

    # 二、综合排名
    ranked = rankings(plan=plan, periods=months, today=today)
    formula = scoring_formula(plan)
    doc.add("h1", "二、综合排名")
    doc.add("p", f"本次排名按以下公式计算：{formula.text()}。其中，{formula.terms()}")
    sheets = []
    for i, r in enumerate(ranked.values(), start=1):
        rows = []
        for row in r.rows:
            inp = r.inputs[row.unit]
            rows.append(
                [
                    row.rank_text,
                    row.name,
                    num(row.score, 1),
                    _pct(inp.met, inp.judged),
                    _pct(inp.on_time, inp.expected),
                    _pct(inp.improved, inp.comparable),
                    _movement(row.movement),
                ]
            )
        doc.add("h2", f"（{cn_number(i)}）{r.label}")
        if rows:
            doc.add("table", header=RANK_HEADER, rows=rows, widths=[3, 13, 5, 5, 5, 5, 5])
        else:
            doc.add("p", "本季度无参评单位。")
        sheets.append(Sheet(f"排名-{r.label}", RANK_HEADER, rows))

    # 三、红黑榜
    deadline = rectify_deadline(year, quarter)
    doc.add("h1", "三、红黑榜")
    for i, r in enumerate(ranked.values(), start=1):
        top, bottom = red_black_list(r.rows, formula.red_black)
        doc.add("h2", f"（{cn_number(i)}）{r.label}")
        doc.add(
            "p",
            f"红榜：{names([f'{x.name}（{num(x.score, 1)}分）' for x in top])}，"
            f"综合得分位列前{cn_number(formula.red_black)}，予以通报表扬。",
        )
        if bottom:
            doc.add(
                "p",
                f"黑榜：{names([f'{x.name}（{num(x.score, 1)}分）' for x in bottom])}，综合得分排名靠后，"
                f"请于{cn_date(deadline)}前将整改措施和整改情况书面报送市优化办。",
            )

    # 四、未达标目标清单
    reds = [r for r in board.unit_rows if r.status == Status.RED]
    red_rows = [
        [
            str(i),
            r.unit.name,
            r.metric.name,
            value_text(r),
            r.metric.target_text(),
            (r.figure.explanation if r.figure else "") or "未说明",
        ]
        for i, r in enumerate(reds, start=1)
    ]
    doc.add("h1", "四、未达标目标清单")
    if red_rows:
        doc.add("p", f"截至{last.month}月底，各单位共有{len(red_rows)}项目标未达标，请责任单位逐项对账销号。")
        if len(red_rows) > RED_LIST_LIMIT:
            # A province has thousands: the body stays readable, the annex has them all.
            doc.add("p", f"正文列出前{RED_LIST_LIMIT}项，全部{len(red_rows)}项见附件《未达标清单》。")
        doc.add("table", header=RED_HEADER, rows=red_rows[:RED_LIST_LIMIT], widths=[3, 8, 10, 6, 8, 12])
    else:
        doc.add("p", f"截至{last.month}月底，各单位无未达标目标。")

    # 五、典型经验做法和反面典型案例
    notes = list(BulletinNote.objects.filter(key=key).select_related("unit"))
    doc.add("h1", "五、典型经验做法和反面典型案例")
    note_rows = []
    for i, kind in enumerate(BulletinNote.Kind, start=1):
        doc.add("h2", f"（{cn_number(i)}）{kind.label}")
        items = [n for n in notes if n.kind == kind]
        if not items:
            doc.add("p", "本季度暂无。")
        for j, n in enumerate(items, start=1):
            doc.add("h3", f"{j}. {n.unit.name if n.unit else '有关单位'}")
            doc.add("p", n.text)
            note_rows.append([kind.label, n.unit.name if n.unit else "", n.text])

    # 六、下一步工作
    doc.add("h1", "六、下一步工作")
    bottom_names = [x.name for r in ranked.values() for x in red_black_list(r.rows, formula.red_black)[1]]
    steps = [
        f"聚焦未达标目标攻坚。对清单所列{len(red_rows)}项未达标目标，责任单位要逐项分析原因、明确时限，实行周调度、月销号。",
        f"抓好整改落实。{names(bottom_names)}等排名靠后单位要对照通报问题认真整改，"
        f"于{cn_date(deadline)}前报送整改情况，市优化办将跟踪督办。",
        "严格报送纪律。各单位须在每月5日前按时、准确报送数据和情况说明，逾期报送和未报送情况纳入下季度综合排名。",
        "推广典型经验。各地各部门要学习借鉴典型经验做法，举一反三，以案为鉴，持续优化营商环境。",
    ]
    for j, text in enumerate(steps, start=1):
        doc.add("p", f"{j}. {text}")
    doc.add("sign", ISSUER)
    doc.add("sign", cn_date(today))

    doc.sheets[:0] = [
        *sheets,
        Sheet("未达标清单", RED_HEADER, red_rows),
        Sheet("典型案例", ["类别", "单位", "内容"], note_rows),
        Sheet("计分公式", ["公式"], [[formula.text()], [formula.terms()]]),
    ]
    return doc
