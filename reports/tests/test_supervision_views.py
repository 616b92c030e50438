"""督查督办's pages: the order list (filters, the export with the same filters), the
homes showing overdue orders to the leader, the office and the unit, findings that
become an order or are closed with a reason, proposals the office confirms or dismisses
with a reason (nothing raised without a person), and the 待核定 scoring setting."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.utils import timezone

from actions.models import Unit
from reports.supervision import proposals as proposing
from reports.supervision.models import Finding, OrderProposal, SupervisionOrder, SupervisionSettings
from reports.tests.supervision_data import metric_led_by, order_on


@pytest.fixture
def three(users):
    """An overdue 挂牌督办 on 衡南县, an open one on 衡南县 not yet due, and one on 祁东县."""
    office = users["office"]
    today = timezone.localdate()
    overdue = order_on(
        office,
        "hengnan",
        metric_led_by("amr", "hengnan"),
        level="listed",
        today=today - timedelta(days=30),
        due=today - timedelta(days=3),
    )
    fresh = order_on(office, "hengnan", metric_led_by("amr", "hengnan", led=False), today=today, due=today + timedelta(days=10))
    other = order_on(office, "qidong", metric_led_by("amr", "qidong"), today=today, due=today + timedelta(days=10))
    return overdue, fresh, other


def _shown(response):
    return [o.number_text for o in response.context["table"].data]


def test_the_list_filters_and_exports_the_same_rows(client, users, three):
    overdue, fresh, _ = three
    client.force_login(users["office"])
    assert len(_shown(client.get("/reports/supervision/"))) == 3
    assert _shown(client.get("/reports/supervision/?overdue=true")) == [overdue.number_text]
    hengnan = Unit.objects.get(code="hengnan")
    assert sorted(_shown(client.get(f"/reports/supervision/?unit={hengnan.pk}"))) == sorted(
        [overdue.number_text, fresh.number_text]
    )
    assert _shown(client.get("/reports/supervision/?level=listed")) == [overdue.number_text]
    html = client.get("/reports/supervision/?overdue=true").content.decode()
    assert 'data-state="overdue">逾期</span>' in html and "_export=csv" in html and "overdue=true" in html
    exported = client.get(f"/reports/supervision/?unit={hengnan.pk}&_export=csv")
    rows = list(
        csv.reader(
            io.StringIO(b"".join(exported.streaming_content if exported.streaming else [exported.content]).decode("utf-8-sig"))
        )
    )
    assert rows[0][:3] == ["编号", "责任单位", "指标/成果事项/线索"]
    assert sorted(r[0] for r in rows[1:]) == sorted([overdue.number_text, fresh.number_text])
    states = {r[0]: r[6] for r in rows[1:]}
    assert states == {overdue.number_text: "逾期", fresh.number_text: "待答复"}
    assert client.get("/reports/supervision/?overdue=true&_export=xlsx")["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )


@pytest.mark.parametrize(
    ("role", "sees"), [("leader", True), ("office", True), ("reporter", True), ("other_reporter", False), ("lead", True)]
)
def test_the_homes_show_the_overdue_orders_to_those_concerned(client, users, three, role, sees):
    overdue = three[0]
    client.force_login(users[role])
    html = client.get("/").content.decode()
    assert ('id="overdue-orders"' in html) == sees  # shown only when there is something overdue
    assert (overdue.number_text in html) == sees
    assert ("逾期督办(1)" in html) == sees


def test_the_homes_judge_overdue_on_the_products_date(client, users, three, settings):
    """On the demo's moment (DEMO_TODAY) an order due after it is not overdue, whatever the
    real date: the homes read the one product clock (actions.clock)."""
    overdue = three[0]
    settings.DEMO_TODAY = overdue.due - timedelta(days=1)
    client.force_login(users["leader"])
    html = client.get("/").content.decode()
    assert overdue.number_text not in html and 'id="overdue-orders"' not in html


def test_a_finding_becomes_an_order_or_is_closed_with_a_reason(client, users):
    client.force_login(users["office"])
    hengnan = Unit.objects.get(code="hengnan")
    response = client.post(
        "/reports/supervision/findings/",
        {"source": "incognito", "received": "2022-11-20", "unit": hengnan.pk, "description": "政务大厅窗口拒收企业开办材料"},
    )
    assert response.status_code == 302
    finding = Finding.objects.get()
    page = client.get(f"/reports/supervision/findings/{finding.pk}/order/")
    assert "暗访暗查反映:政务大厅窗口拒收企业开办材料" in page.content.decode()
    due = (timezone.localdate() + timedelta(days=10)).isoformat()
    made = client.post(
        f"/reports/supervision/findings/{finding.pk}/order/",
        {"problem": "窗口拒收材料", "required": "立即整改", "due": due, "level": "supervise"},
    )
    order = SupervisionOrder.objects.get()
    assert made.status_code == 302 and order.finding == finding and order.metric is None
    finding.refresh_from_db()
    assert finding.state == "ordered"
    second = Finding.objects.create(source="complaint", received=date(2022, 12, 1), unit=hengnan, description="拖欠账款投诉")
    refused = client.post(f"/reports/supervision/findings/{second.pk}/close/", {"reason": " "}, follow=True)
    assert "请填写办结理由" in refused.content.decode()
    client.post(f"/reports/supervision/findings/{second.pk}/close/", {"reason": "经核实已结清"})
    second.refresh_from_db()
    assert (second.state, second.close_reason) == ("closed", "经核实已结清")
    client.force_login(users["reporter"])
    assert client.get("/reports/supervision/findings/").status_code == 403


@pytest.fixture
def proposals(plan_2022):
    from reports.tests.dashboard_data import demo_year

    demo_year(plan_2022)
    n = proposing.proposals_refresh(plan=plan_2022, period=date(2022, 12, 1), today=date(2023, 1, 6))
    assert n > 0
    return plan_2022


def test_proposals_follow_the_offices_thresholds_and_need_a_person(client, users, proposals):
    pending = list(OrderProposal.objects.filter(state="pending", metric__isnull=False))  # on red targets
    assert {p.kind for p in pending} <= {"supervise", "listed"}
    t = SupervisionSettings.current()
    assert all((p.kind == "listed") == (p.run >= t.red_listed) and p.run >= t.red_supervise for p in pending)
    assert not SupervisionOrder.objects.exists()  # proposed, not raised
    client.force_login(users["office"])
    rules = client.get("/reports/supervision/proposals/?period=2022-12").content.decode()
    assert "连续 2 个月未达标 → 建议督办;连续 3 个月未达标 → 建议挂牌督办;督办逾期未答复 → 建议约谈" in rules
    first, second = pending[:2]
    refused = client.post(f"/reports/supervision/proposals/{first.pk}/", {"decision": "dismiss", "reason": ""}, follow=True)
    assert "请填写驳回理由" in refused.content.decode()
    client.post(f"/reports/supervision/proposals/{first.pk}/", {"decision": "dismiss", "reason": "数据口径调整中"})
    first.refresh_from_db()
    assert (first.state, first.reason, first.decided_by) == ("dismissed", "数据口径调整中", users["office"])
    client.post(f"/reports/supervision/proposals/{second.pk}/", {"decision": "confirm", "reason": ""})
    order = SupervisionOrder.objects.get()
    assert (order.unit, order.metric, order.level) == (second.unit, second.metric, second.kind)
    # a decided proposal is not made again
    assert proposing.proposals_refresh(plan=proposals, period=date(2022, 12, 1), today=date(2023, 1, 6)) == 0


def test_overdue_scoring_stays_pending_until_confirmed(client, users, three):
    client.force_login(users["office"])
    assert "督办逾期不扣分(待核定)" in client.get("/reports/supervision/").content.decode()
    SupervisionSettings.objects.create(overdue_points=1, overdue_points_confirmed=True)
    html = client.get("/reports/supervision/").content.decode()
    assert "每件逾期督办扣 1.0 分" in html and "待核定" not in html


def test_the_list_and_an_order_cost_the_same_queries_as_orders_grow(client, users, three):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(users["office"])
    with CaptureQueriesContext(connection) as first:
        client.get("/reports/supervision/")
    office = users["office"]
    today = timezone.localdate()
    for unit in ("hengnan", "qidong"):
        for m in list(Unit.objects.get(code=unit).assignments.values_list("metric", flat=True))[2:5]:
            from indicators.models import Metric

            metric = Metric.objects.get(pk=m)
            if not SupervisionOrder.objects.filter(unit__code=unit, metric=metric).exists():
                order_on(office, unit, metric, today=today, due=today + timedelta(days=5))
    assert SupervisionOrder.objects.count() > 5
    with CaptureQueriesContext(connection) as grown:
        client.get("/reports/supervision/")
    # counted once, and the same with more orders (one select_related, no query per row)
    assert len(first) == 10 and len(grown) == len(first)
    order = SupervisionOrder.objects.first()
    with CaptureQueriesContext(connection) as detail:
        client.get(f"/reports/supervision/{order.pk}/")
    # counted once (the order with its unit and metric in one query, answers, evidence
    # and history prefetched), not per answer or step
    assert len(detail) == 9
