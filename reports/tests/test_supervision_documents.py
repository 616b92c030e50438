"""督查督办 in the documents: the December dispatch lists the orders raised on
December's red list, those awaiting an answer and the overdue ones; the Q4 bulletin
counts open / overdue / 销号 by unit and by indicator and names the overdue 挂牌督办.
Without orders neither document has the section."""

from datetime import date

import pytest

from reports.builders.bulletin import bulletin_document
from reports.builders.dispatch import dispatch_document
from reports.supervision import selectors, services
from reports.supervision.models import Finding, SupervisionOrder
from reports.tests.dashboard_data import demo_year

DECEMBER = date(2022, 12, 1)
RAISED = date(2023, 1, 6)
BUILT = date(2023, 2, 6)  # after every due date below


@pytest.fixture
def orders(users, plan_2022, settings):
    demo_year(plan_2022)
    settings.DEMO_TODAY = RAISED  # each step is dated on the product's clock
    cells = selectors.red_list(plan=plan_2022, period=DECEMBER)[:3]
    office = users["office"]
    raised = [
        services.order_raise(
            unit=c.row.unit,
            metric=c.row.metric,
            period=DECEMBER,
            problem=c.problem,
            required="整改",
            due=due,
            level=level,
            user=office,
            today=RAISED,
        )
        for c, due, level in zip(
            cells, [date(2023, 1, 20), date(2023, 1, 31), date(2023, 3, 1)], ["listed", "supervise", "supervise"], strict=True
        )
    ]
    # the second is answered and closed; the first (挂牌) stays unanswered past its date
    second = raised[1]
    SupervisionOrder.objects.filter(pk=second.pk).update(stage="answered")
    second.refresh_from_db()
    services.order_close(order=second, user=office, version=second.version)
    Finding.objects.create(source="complaint", received=date(2022, 11, 3), unit=raised[0].unit, description="窗口拒收材料")
    return raised


def test_the_december_dispatch_lists_new_awaited_and_overdue_orders(orders):
    listed, closed, awaited = orders
    text = dispatch_document(period=DECEMBER, today=BUILT).text(annexes=False)  # the annex lists every order
    assert "督查督办情况" in text
    assert "针对本月问题新交办督办单3件：" in text
    assert f"{listed.number_text}（{listed.unit.name}，{listed.metric.name}，挂牌督办，2023年1月20日前答复）" in text
    assert f"待责任单位答复（未到期）的督办单1件：{awaited.number_text}" in text
    assert f"逾期未答复的督办单1件：{listed.number_text}（{listed.unit.name}，{listed.metric.name}，逾期17天）" in text
    assert closed.number_text not in text.split("待责任单位答复")[1]


def test_the_q4_bulletin_counts_by_unit_and_indicator_and_names_the_overdue_listed(orders):
    listed = orders[0]
    doc = bulletin_document(year=2022, quarter=4, today=BUILT)
    text = doc.text()
    assert "累计交办督办单3件，已销号1件，未销号2件，其中逾期未答复1件。" in text
    assert "逾期计分：督办逾期不扣分（待核定）。" in text
    tables = [b for b in doc.content() if b["kind"] == "table" and b.get("header", [None])[0] in ("单位", "指标")]
    by_unit = {r[0]: r[1:] for r in tables[0]["rows"]}
    expected = {}
    for o, state in zip(orders, ["overdue", "closed", "open"], strict=True):
        row = expected.setdefault(o.unit.name, [0, 0, 0])
        row[0] += state != "closed"
        row[1] += state == "overdue"
        row[2] += state == "closed"
    assert by_unit == {k: [str(n) for n in v] for k, v in expected.items()}
    assert {r[0] for r in tables[1]["rows"]} == {o.metric.indicator.name for o in orders}
    assert f"逾期未答复的挂牌督办1件：{listed.number_text}（{listed.unit.name}" in text
    assert "本季度受理问题线索1条：投诉举报1条。" in text


def test_without_orders_the_documents_say_nothing_of_them(plan_2022):
    demo_year(plan_2022)
    assert "督查督办" not in dispatch_document(period=DECEMBER, today=BUILT).text()
    assert "督查督办" not in bulletin_document(year=2022, quarter=4, today=BUILT).text()


def test_a_document_built_again_later_counts_each_order_as_it_stood_on_its_date(orders, users, settings):
    listed, _closed, awaited = orders
    dispatch = dispatch_document(period=DECEMBER, today=BUILT).text()
    bulletin = bulletin_document(year=2022, quarter=4, today=BUILT).text()
    # Weeks later the overdue 挂牌督办 and the awaited order are closed, and one more is raised.
    settings.DEMO_TODAY = date(2023, 3, 10)
    office = users["office"]
    for o in (listed, awaited):
        o.refresh_from_db()
        services.order_close(order=o, user=office, note="整改到位,予以销号。", version=o.version)
    cell = selectors.red_list(plan=listed.metric.plan, period=DECEMBER)[3]
    services.order_raise(
        unit=cell.row.unit,
        metric=cell.row.metric,
        period=DECEMBER,
        problem=cell.problem,
        required="整改",
        due=date(2023, 3, 20),
        user=office,
        today=date(2023, 3, 10),
    )
    assert dispatch_document(period=DECEMBER, today=BUILT).text() == dispatch
    assert bulletin_document(year=2022, quarter=4, today=BUILT).text() == bulletin
    # Judged on the later day, the same orders read as they stand then.
    later = dispatch_document(period=DECEMBER, today=date(2023, 3, 11)).text()
    assert "针对本月问题新交办督办单4件" in later and "无逾期未答复的督办单" in later


def test_an_order_escalated_after_the_documents_date_is_counted_at_its_old_level(users, settings):
    """督办 raised in July, overdue on the 20th, raised to 挂牌督办 on the 25th (a
    step in its history with the old and new level): a document dated the 20th, built
    before or after the 25th, lists it as 督办; one dated the 26th as 挂牌督办."""
    from reports.builders.blocks import Document
    from reports.builders.supervision import supervision_bulletin_section, supervision_dispatch_section
    from reports.supervision import proposals as proposing
    from reports.supervision.models import OrderProposal, SupervisionEvent
    from reports.tests.supervision_data import metric_led_by, order_on

    settings.DEMO_TODAY = date(2022, 7, 1)
    order = order_on(users["office"], "hengnan", metric_led_by("amr", "hengnan"), due=date(2022, 7, 15))

    def texts(day):
        out = []
        for build, kwargs in (
            (supervision_dispatch_section, {"period": date(2022, 6, 1)}),
            (supervision_bulletin_section, {"year": 2022, "quarter": 3}),
        ):
            doc = Document("k", "k", "t")
            build(doc, lambda text, doc=doc: doc.add("h1", text), today=day, **kwargs)
            out.append(doc.text())
        return out

    before = texts(date(2022, 7, 20))
    assert f"{order.number_text}（衡南县，{order.metric.name}，督办，2022年7月15日前答复）" in before[0]
    assert "挂牌督办" not in before[1]
    settings.DEMO_TODAY = date(2022, 7, 25)
    proposal = OrderProposal.objects.create(
        kind="listed", unit=order.unit, metric=order.metric, period=date(2022, 6, 1), order=order, run=3
    )
    proposing.proposal_confirm(proposal=proposal, user=users["office"], due=date(2022, 8, 1), required="r")
    order.refresh_from_db()
    step = SupervisionEvent.objects.get(order=order, action="escalated")
    assert (order.level, step.level_from, step.level_to, step.by) == ("listed", "supervise", "listed", users["office"])
    assert texts(date(2022, 7, 20)) == before  # built again later: the same words
    dispatch, bulletin = texts(date(2022, 7, 26))
    assert f"{order.number_text}（衡南县，{order.metric.name}，挂牌督办，2022年7月15日前答复）" in dispatch
    assert f"逾期未答复的挂牌督办1件：{order.number_text}（衡南县，{order.metric.name}，逾期11天）" in bulletin


def test_escalations_recorded_before_levels_were_kept_are_read_from_their_note(users, settings):
    """The migration that keeps levels in the history turns an old 挂牌 step (a 交办 noted
    升级为挂牌督办) into a 督办 → 挂牌督办 change, and dates the first level at the raise."""
    import importlib

    from django.apps import apps
    from django.utils import timezone

    from reports.supervision.models import SupervisionEvent
    from reports.tests.supervision_data import metric_led_by, order_on

    migration = importlib.import_module("reports.migrations.0012_supervision_event_level")
    settings.DEMO_TODAY = date(2022, 7, 1)
    order = order_on(users["office"], "hengnan", metric_led_by("amr", "hengnan"), due=date(2022, 7, 15))
    SupervisionEvent.objects.filter(order=order).update(level_to="")  # as stored before
    SupervisionOrder.objects.filter(pk=order.pk).update(level="listed")
    at = timezone.make_aware(timezone.datetime(2022, 7, 25, 10))
    old = SupervisionEvent.objects.create(
        order=order, action="raised", stage_from="open", stage_to="open", note="升级为挂牌督办", at=at
    )
    migration.levels_into_history(apps, None)
    old.refresh_from_db()
    assert (old.action, old.level_from, old.level_to, old.stage_to) == ("escalated", "supervise", "listed", "")
    assert SupervisionEvent.objects.get(order=order, action="raised").level_to == "supervise"
    on_the_20th = selectors.supervision_summary(months=[date(2022, 6, 1)], as_of=date(2022, 7, 20))
    assert [(o.pk, o.level_then_label, o.stage_then) for o in on_the_20th.overdue] == [(order.pk, "督办", "待答复")]
