"""The quarterly bulletin (季通报) of quarter Q, led by problems in 2–4 pages: 达标率 and
报送率 with the change since last quarter; each city red target with its figure, target,
gap, 时序进度, lead department and the units red on it; 进位/退位; rankings by group with
ties said as 并列 (红黑榜 only where the office's settings ask); reporting quality; the
office's own cases when written; next steps derived from the reds. Full tables go to the
Excel annex. The fourth quarter is the year-end bulletin: annual results and ranking."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

from actions import clock
from indicators.assumptions import scoring_confirmed
from indicators.pending import pending_confirmations
from indicators.rules.periods import add_months, quarter_months
from indicators.rules.reporting import Timeliness
from indicators.rules.scoring import red_black_list
from indicators.rules.types import GreyReason, Status
from indicators.rules.workdays import month_end
from reports.builders.annexes import add_annexes
from reports.builders.blocks import Document, Sheet, cite_annexes, cn_date, cn_number, names
from reports.builders.bulletin_figures import (
    UNITS_NAMED,
    _change,
    _counted,
    _discipline,
    _pct,
    _quarter_figures,
    _task_sentence,
    _with_coverage,
)
from reports.builders.bulletin_ranking import _movements, _partial_duties, _rank_sheet
from reports.builders.common import (
    count_facts,
    gap_text,
    gap_unit,
    gap_value,
    group_rankings,
    lead_name,
    pace_text,
    plan_of,
    provisional_text,
    ranked_names,
    red_streaks,
    score_text,
    target_text,
    unit_note,
    value_text,
)
from reports.builders.dispatch import Headings, correction_blocks
from reports.builders.footnotes import body_note, table_notes
from reports.builders.ledger import ledger_bulletin_section
from reports.builders.supervision import supervision_bulletin_section
from reports.builders.titles import bulletin_title
from reports.models import BulletinNote, ReportSettings
from reports.rankings import rankings, scoring_formula

CITY_RED_HEADER = ["序号", "指标", "全市完成值", "目标", "差距", "牵头单位", "未达标单位"]
CITY_RED_WIDTHS = [3, 12, 7, 9, 9, 10, 9]
CELL_UNITS_NAMED = 2  # units named in a cell of the city red table, or in a next step beside the lead departments
RED_HEADER = ["序号", "单位", "指标", "完成值", "计量单位", "目标", "差距", "差距单位", "牵头单位", "情况说明"]
RED_FORMATS = ["0", None, None, "0.00", None, None, "0.00", None, None, None]


def rectify_deadline(year: int, quarter: int) -> date:
    """Units on the 黑榜 report their rectification by the end of the month after the quarter."""
    return month_end(add_months(quarter_months(year, quarter)[-1], 1))


def _city_red_row(i: int, r, period: date, reds: list[str], streak: int) -> list[str]:
    """A city red target in a line of the body's table: figure, target with its 时序进度
    (where the figure should be by now), gap with how long it has been red, lead
    department and the units red on it."""
    m = r.metric
    pace = pace_text(m, period)
    target = target_text(m) + (f"，{pace}" if pace else "")
    if m.measure == "milestone":  # a state, not a figure
        target = f"应于{target}"
    gap = gap_text(r, period) + (f"，已连续{streak}个月" if streak >= 2 else "")  # red so long: the column says 未达标
    if len(reds) > CELL_UNITS_NAMED:  # a province has hundreds: the annex names every one
        who = f"{'、'.join(reds[:CELL_UNITS_NAMED])}等{len(reds)}个单位"
    elif reds == [lead_name(m)]:  # the lead department red on its own target: not named twice in a row
        who = "同牵头单位"
    else:
        who = names(reds) if reds else "全市合计未达标"
    return [str(i), m.name, value_text(r), target, gap, lead_name(m), who]


def bulletin_document(
    *,
    year: int,
    quarter: int,
    today: date | None = None,
    changes: list[dict] | None = None,
    doc_date: date | None = None,
) -> Document:
    today = today or clock.today()
    doc_date = doc_date or today
    office = ReportSettings.current()
    plan = plan_of(year)
    months = quarter_months(year, quarter)
    last = months[-1]
    year_end = quarter == 4
    key = f"{year}Q{quarter}"
    span = f"{year}年第{cn_number(quarter)}季度" + ("暨全年" if year_end else "")
    title = bulletin_title(year, quarter)
    doc = Document("bulletin", key, title)
    doc.add("title", title)
    if changes:
        correction_blocks(doc, changes)
    doc.add("to", f"{office.bulletin_to}：")
    doc.add("p", f"按照“一季一通报”要求，现将{span}全市优化营商环境攻坚行动推进情况通报如下。")
    provisional = provisional_text(months, today=today, doc_date=doc_date)
    if provisional:
        doc.add("note", provisional)
    h1 = Headings(doc)

    now = _quarter_figures(plan, months, today)
    prev_months = [add_months(p, -3) for p in months]
    before = None
    if prev_months[0].year == year:
        before = _quarter_figures(plan, prev_months, today)
    board, counts = now["board"], now["counts"]

    h1("全年目标完成情况" if year_end else "总体情况")
    # A city value not yet complete says how many units reported (rules.aggregate.coverage).
    # Grey by its reason: not reported (named, with x/y), 待核定, and the rest not judged.
    greys = [r for r in now["city"] if r.status == Status.GREY]
    unreported = [_with_coverage(r, board) for r in greys if r.grey_reason == GreyReason.NOT_REPORTED]
    assumed = sum(r.grey_reason == GreyReason.PENDING_CONFIRMATION for r in greys)
    other = len(greys) - len(unreported) - assumed
    grey_named = f"（{names(unreported[:UNITS_NAMED])}{'等' if len(unreported) > UNITS_NAMED else ''}）" if unreported else ""
    grey_text = f"未报送{len(unreported)}项{grey_named}"
    grey_text += f"、待核定{assumed}项" if assumed else ""
    grey_text += f"、暂不评判{other}项" if other else ""
    doc.add(
        "p",
        f"截至{last.month}月底，全市{len(now['city'])}项参评目标中，达标{counts[Status.GREEN]}项、"
        f"预警{counts[Status.YELLOW]}项、未达标{counts[Status.RED]}项、{grey_text}，"
        f"达标率{_pct(now['met'])}{_change(now['met'], before and before['met'])}。"
        f"本季度应报送{len(now['expected'])}次、实报{len(now['submitted'])}次，"
        f"报送率{_pct(now['rate'])}{_change(now['rate'], before and before['rate'])}；"
        f"按时报送率{_pct(now['on_time'])}{_change(now['on_time'], before and before['on_time'])}。" + _task_sentence(plan, last),
    )

    # Each city red target named: figure, target, gap, pace, lead department, red units.
    city_reds = [r for r in now["city"] if r.status == Status.RED]
    unit_reds = defaultdict(list)
    for r in board.unit_rows:
        if r.status == Status.RED:
            unit_reds[r.metric.pk].append(r.unit.name)
    n_unit_reds = sum(len(v) for v in unit_reds.values())
    in_annex = f"；各单位层面未达标{n_unit_reds}项，清单见附件《未达标清单》" if n_unit_reds else ""
    streaks = red_streaks(plan=plan, period=last, today=today)
    h1("未达标目标")
    if city_reds:
        doc.add("p", f"截至{last.month}月底，全市层面未达标目标{len(city_reds)}项（见下表）{in_annex}。")
        doc.add(
            "table",
            header=CITY_RED_HEADER,
            rows=[
                _city_red_row(i, r, last, unit_reds.get(r.metric.pk, []), streaks.get((r.metric.pk, None), 0))
                for i, r in enumerate(city_reds, start=1)
            ],
            widths=CITY_RED_WIDTHS,
        )
        note = body_note(count_facts(board, [r.metric.pk for r in city_reds]), see="附件《未达标清单》")
        if note:  # a total the units do not add up to, a park above its county: in full in the annex
            doc.add("p", note)
    else:
        doc.add("p", f"截至{last.month}月底，全市层面参评目标均已达标或处于预警{in_annex}。")

    # Rankings by the office's groups, over the quarter (the year in Q4).
    # The year-end ranking moves against the third quarter's, as its bulletin ranked it.
    periods = [date(year, m, 1) for m in range(1, 13)] if year_end else months
    ranked = rankings(plan=plan, periods=periods, today=today, previous=prev_months)
    groups = group_rankings(ranked)
    formula = scoring_formula(plan)
    h1("全年综合排名" if year_end else "综合排名")
    group_names = "、".join(g.label for g in groups)
    # The groups are the headings below: named here only when there is one.
    # The formula is the office's own assumption until it confirms it (indicators.assumptions).
    formula_settled = scoring_confirmed(plan)
    intro = f"{group_names if len(groups) == 1 else '各组'}分别排名，{formula.text()}，得分相同的并列，"
    intro += "完整排名见附件《排名表》，计分办法见附件《计分说明》。"
    unranked = [r.label for r in ranked.values() if not r.rows]  # nobody in the group reported
    if unranked:
        intro += f"{'、'.join(unranked)}暂无排名（本期尚无单位报送）。"
    # What of the plan is still the office's assumption (待核定): said here, listed in the annex.
    pending = pending_confirmations(plan)
    assumed = [f"{len(pending)}项数值"] if pending else []
    assumed += [] if formula_settled else ["计分办法"]
    if assumed:
        verdict = "据此的目标暂不评判" if pending else "得分仅供参考"
        intro += f"方案中{'及'.join(assumed)}为暂定值（待核定），待{office.issuer_short}核定，{verdict}。"
    doc.add("p", intro)
    for i, g in enumerate(groups, start=1):
        lead = f"（{cn_number(i)}）{g.label}。"
        top, bottom = red_black_list(g.rows, formula.red_black)
        if len(g.rows) <= 6:
            text = f"依次为{ranked_names(g.rows)}。"
        elif office.red_black_list:  # the 红黑榜 below names the top and bottom: not twice
            text = f"共{len(g.rows)}个单位参评，第1名{names([r.name for r in g.rows if r.rank == 1])}。"
        else:
            text = f"排名靠前的依次为{ranked_names(top)}；排名靠后的依次为{ranked_names(bottom)}。"
        # The year's ranking against a quarter's is the annex's column, not news for the body.
        text += ("" if year_end else _movements(g.rows)) + _partial_duties(g, formula)
        doc.add("p", lead + text, lead=lead)

    deadline = rectify_deadline(year, quarter)
    bottom_names: list[str] = []
    if office.red_black_list:
        h1("红黑榜")
        for i, g in enumerate(groups, start=1):
            top, bottom = red_black_list(g.rows, formula.red_black)
            bottom_names += [x.name for x in bottom]
            lead = f"（{cn_number(i)}）{g.label}。"
            tie = "（含并列）" if len(top) > 3 else ""
            reds = names([f"{x.name}（{score_text(x.score)}分）" for x in top])
            text = f"红榜：{reds}，综合得分位居本组前列{tie}，予以通报表扬。"
            if bottom:
                text += (
                    f"黑榜：{names([f'{x.name}（{score_text(x.score)}分）' for x in bottom])}，综合得分排名靠后，"
                    f"请于{cn_date(deadline)}前将整改措施和整改情况书面报送{office.issuer_short}。"
                )
            doc.add("p", lead + text, lead=lead)

    # Reporting quality: late and missing units named, grouped by how often.
    late, missing = Counter(), Counter()
    unit_names = now["unit_names"]
    for (uid, _p), t in now["timeliness"].items():  # a month before its deadline is neither
        if t == Timeliness.MISSING:
            missing[unit_names[uid]] += 1
        elif t == Timeliness.LATE:
            late[unit_names[uid]] += 1
    h1("数据报送质量")
    doc.add(
        "p",
        (f"逾期报送：{_counted(late, '次')}。" if late else "本季度无逾期报送单位。")
        + (f"未报送：{_counted(missing, '个月')}。" if missing else "本季度无未报送单位。")
        + (_discipline(year_end, last) if late or missing else ""),
    )

    notes = list(BulletinNote.objects.filter(key=key).select_related("unit"))
    note_rows = []
    if notes:
        h1("典型经验做法和反面典型案例")
        j = 0
        for kind in BulletinNote.Kind:
            items = [n for n in notes if n.kind == kind]
            if not items:
                continue
            j += 1
            doc.add("h2", f"（{cn_number(j)}）{kind.label}")
            for k, n in enumerate(items, start=1):
                doc.add("h3", f"{k}.{n.unit.name if n.unit else '有关单位'}")
                doc.add("p", n.text)
                note_rows.append([kind.label, n.unit.name if n.unit else "", n.text])

    # 下一步工作 from the reds: the lead departments are named beside their targets in the
    # table above, so the step points there instead of naming them twice.
    steps = []
    if city_reds:
        aim = "在下一年度方案中明确整改时限" if year_end else f"确保{last.month + 3}月底前达标或明显收窄差距"
        steps.append(f"上表所列牵头单位要督促未达标单位分析原因、落实整改，{aim}。")
    chronic = _chronic_units(streaks, board)
    if chronic:  # the units behind the same reds: one step with the lead departments' (one line less)
        join = steps.pop()[:-1] + "；" if steps else ""
        steps.append(
            join + f"{chronic}有目标连续两个月及以上未达标，要列出问题清单、明确整改责任人，于{cn_date(deadline)}前报送整改情况。"
        )
    if bottom_names:
        steps.append(
            f"{names(bottom_names)}等排名靠后单位要对照通报问题认真整改，于{cn_date(deadline)}前报送整改情况，"
            f"{office.issuer_short}将跟踪督办。"
        )
    # 督查督办 (reports/builders/supervision.py), as of the 成文日期
    supervision_bulletin_section(doc, h1, year=year, quarter=quarter, today=min(today, doc_date))
    ledger_bulletin_section(doc, h1, plan=plan, period=last, today=min(today, doc_date))  # 任务台账
    if steps:
        h1("下一步工作")
        for j, text in enumerate(steps, start=1):
            doc.add("p", f"{j}.{text}")

    red_rows = [
        [
            i,
            r.unit.name,
            r.metric.name,
            r.value if r.value is not None and r.metric.measure != "milestone" else value_text(r),
            r.metric.unit_of_measure,
            target_text(r.metric),
            gap_value(r, last) if gap_value(r, last) is not None else gap_text(r, last),
            gap_unit(r.metric),
            lead_name(r.metric),
            unit_note(r, "explanation", "未说明"),
        ]
        for i, r in enumerate((r for r in board.unit_rows if r.status == Status.RED), start=1)
    ]
    red_metrics = list(dict.fromkeys(r.metric.pk for r in board.unit_rows if r.status == Status.RED))
    doc.sheets[:0] = [
        *(_rank_sheet(g) for g in groups),
        Sheet("未达标清单", RED_HEADER, red_rows, RED_FORMATS, table_notes(count_facts(board, red_metrics))),
        *([Sheet("典型案例", ["类别", "单位", "内容"], note_rows)] if note_rows else []),
        Sheet(
            "计分说明",
            ["项目", "说明"],
            [["综合得分", formula.text()], ["各项定义", formula.terms()], ["计分办法", "已核定" if formula_settled else "待核定"]]
            + [[f"暂定值：{item.label}", item.metric.name] for item in pending],
        ),
    ]
    cite_annexes(doc)
    add_annexes(doc)
    return doc


def _chronic_units(streaks: dict, board) -> str:
    """Units with a target red two months running or longer, the most such targets first."""
    units = {u.pk: u.name for u in (r.unit for r in board.unit_rows)}
    count = Counter(units[uid] for (_, uid), n in streaks.items() if uid in units and n >= 2)
    if not count:
        return ""
    ordered = [name for name, _ in sorted(count.items(), key=lambda kv: (-kv[1], kv[0]))]
    return names(ordered[:CELL_UNITS_NAMED]) + (f"等{len(ordered)}个单位" if len(ordered) > CELL_UNITS_NAMED else "")
