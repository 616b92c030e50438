"""Demo 督查督办: a realistic set of orders in every state on the demo year's red
targets (overdue 挂牌督办, awaiting an answer, in the unit's approval, with the lead
department, answered, returned, 销号), one on a deliverable 滞后 in the task ledger,
findings and the rules' proposals. Every step is taken through the services by the demo
user whose job it is, then dated back so the history reads like the weeks before today.
Run by seed_demo_reports; skipped once orders exist."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth import get_user_model

from actions import clock
from actions.evidence import evidence_check
from actions.models import Unit
from indicators.selectors import plan_for_year
from reports.supervision import deliverables, selectors, services
from reports.supervision import proposals as proposing
from reports.supervision.models import Finding, SupervisionEvent, SupervisionOrder

# A one-page PDF (a scanned 整改报告 stands in for the real thing).
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
REQUIRED = "请分析原因,制定整改措施,明确完成时限,按期答复并附佐证材料。"


def _user(username):
    return get_user_model().objects.filter(username=username).first()


def _backdate(order: SupervisionOrder, days_ago: int) -> None:
    """Spread the order's steps over the days since it was raised (demo history)."""
    start = clock.now() - timedelta(days=days_ago)
    SupervisionOrder.objects.filter(pk=order.pk).update(raised_at=start)
    events = list(order.events.order_by("pk"))
    step = timedelta(days=max(days_ago - 1, 1)) / max(len(events), 1)
    for i, e in enumerate(events):
        SupervisionEvent.objects.filter(pk=e.pk).update(at=start + step * i)
    order.answers.update(submitted_at=start + step)


def _raise(cell, *, days_ago: int, due_in: int, level: str, today: date, office):
    raised_on = today - timedelta(days=days_ago)
    return services.order_raise(
        unit=cell.row.unit,
        metric=cell.row.metric,
        period=cell.row_period,
        problem=cell.problem,
        required=REQUIRED,
        due=today + timedelta(days=due_in),
        level=level,
        user=office,
        today=raised_on,
    )


def _answer(order, user, measures: str, progress: str, today: date):
    files = [evidence_check(data=DEMO_PDF, name=f"{order.unit.name}整改情况报告.pdf")]
    services.order_answer(
        order=order,
        user=user,
        measures=measures,
        progress=progress,
        expected_done=today + timedelta(days=30),
        files=files,
        version=order.version,
    )


def supervision_demo_seed(*, today: date | None = None) -> dict:
    """Orders on the demo's November and December red targets; {} when orders exist or
    the demo has no plan or users."""
    today = today or clock.today()
    plan = plan_for_year(2022)
    office = _user("office")
    if plan is None or office is None or SupervisionOrder.objects.exists():
        return {}
    cells = {}
    for period in (date(2022, 12, 1), date(2022, 11, 1)):  # a December run is the longer
        for c in selectors.red_list(plan=plan, period=period, today=today):
            c.row_period = period
            cells.setdefault((c.row.unit.code, c.row.metric.code), c)

    def pick(unit_code, *, led_by=None, months=1, exclude=()):
        for (u, _), c in sorted(cells.items(), key=lambda kv: -kv[1].red_months):
            if u == unit_code and c.red_months >= months and c not in exclude:
                if led_by is None or c.row.metric.indicator.lead_unit.code == led_by:
                    return c
        return None

    made = []
    used = []

    def take(c):
        if c is not None and c not in used:
            used.append(c)
            return c
        return None

    # 逾期: the longest red runs, raised 25 days ago and due 10 days ago
    longest = sorted(cells.values(), key=lambda c: -c.red_months)
    for c, level in zip(longest[:2], ["listed", "supervise"], strict=False):
        take(c)
        o = _raise(c, days_ago=25, due_in=-10, level=level, today=today, office=office)
        _backdate(o, 25)
        made.append(o)
    # 待答复: raised a week ago, due in a week
    c = take(next((c for c in longest if c not in used), None))
    if c:
        o = _raise(c, days_ago=7, due_in=8, level="listed" if c.red_months >= 3 else "supervise", today=today, office=office)
        _backdate(o, 7)
        made.append(o)
    reporter, approver, lead, tax = _user("hengnan_tb"), _user("hengnan_sh"), _user("amr_qt"), _user("tax_tb")
    hengnan = Unit.objects.filter(code="hengnan").first()
    # 衡南县 (approval steps): one in its approver's hands, one with the lead department, one 销号
    for step in ("approving", "reviewing", "closed"):
        c = take(pick("hengnan", exclude=used))
        if c is None or reporter is None or hengnan is None:
            break
        o = _raise(c, days_ago=20, due_in=5, level="supervise", today=today, office=office)
        _answer(
            o, reporter, "已召开专题会议分析原因,增配窗口人员,压缩内部流转环节。", "整改已完成约六成,12月数据已有改善。", today
        )
        if hengnan.needs_approval and step != "approving" and approver is not None:
            services.order_approve(order=o, user=approver, approve=True, note="情况属实,同意上报。", version=o.version)
        if step == "closed" and o.stage != "closed":
            services.order_close(order=o, user=office, note="整改措施已落实,目标已恢复达标,予以销号。", version=o.version)
        _backdate(o, 20)
        made.append(o)
    # the lead department's own target: answered, reviewed, waiting for the office
    c = take(pick("amr", led_by="amr", exclude=used))
    if c and lead:
        o = _raise(c, days_ago=18, due_in=2, level="supervise", today=today, office=office)
        _answer(
            o, lead, "推行企业开办“一网通办”,设立开办专区,压缩核名和登记时限。", "已上线一网通办,12月平均用时较11月缩短。", today
        )
        services.order_review(order=o, user=lead, agree=True, note="措施可行,建议持续跟踪一个月后销号。", version=o.version)
        _backdate(o, 18)
        made.append(o)
    # 已退回: 税务局 answered, the office returned it for want of evidence
    c = take(pick("tax", exclude=used))
    if c and tax:
        o = _raise(c, days_ago=22, due_in=6, level="supervise", today=today, office=office)
        _answer(o, tax, "梳理纳税事项清单,推行合并申报。", "正在推进。", today)
        services.order_return(
            order=o, user=office, reason="整改措施过于笼统,未附合并申报上线的佐证材料,请补充后重新答复。", version=o.version
        )
        _backdate(o, 22)
        made.append(o)
    # findings: an 暗访 finding still open, a complaint turned into an order, one closed
    counties = list(Unit.objects.filter(kind=Unit.Kind.COUNTY).order_by("sort_order")[:3])
    if len(counties) == 3:
        Finding.objects.create(
            source=Finding.Source.INCOGNITO,
            received=today - timedelta(days=4),
            unit=counties[0],
            description="暗访发现政务服务中心企业开办窗口以“材料不全”为由拒收申请,未一次性告知所需材料。",
            recorded_by=office,
        )
        complaint = Finding.objects.create(
            source=Finding.Source.COMPLAINT,
            received=today - timedelta(days=12),
            unit=counties[1],
            description="企业投诉某镇政府拖欠工程款186万元逾两年未支付。",
            recorded_by=office,
        )
        o = services.order_raise(
            unit=complaint.unit,
            finding=complaint,
            problem="企业投诉某镇政府拖欠工程款186万元逾两年未支付。",
            required="请核实情况,制定还款计划,15日内答复。",
            due=today + timedelta(days=3),
            user=office,
            today=today - timedelta(days=12),
        )
        _backdate(o, 12)
        made.append(o)
        closed = Finding.objects.create(
            source=Finding.Source.SUPERVISION,
            received=today - timedelta(days=30),
            unit=counties[2],
            description="群众反映不动产登记窗口午间不接件。",
            recorded_by=office,
        )
        services.finding_close(finding=closed, user=office, reason="经核实已实行午间延时服务,群众已认可。")
    # 成果事项滞后: the office raises one from the December task ledger (the unit has not done it)
    december = date(2022, 12, 1)
    late = [i for i in deliverables.late_items(plan=plan, period=december, today=today) if i.open_order is None]
    if late:
        item = late[0]
        o = deliverables.deliverable_order_raise(
            plan=plan,
            period=december,
            deliverable=item.deliverable,
            unit=item.unit,
            required="请说明滞后原因,明确完成时限和责任人,按期完成并上传佐证材料。",
            due=today + timedelta(days=10),
            level="supervise",
            user=office,
            today=today,
        )
        made.append(o)
    proposals = proposing.proposals_refresh(plan=plan, period=date(2022, 12, 1), today=today)
    return {"orders": len(made), "proposals": proposals}
