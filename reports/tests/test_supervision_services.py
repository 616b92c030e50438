"""The services of 督查督办: numbers without gaps (also under concurrency), a batch from
the month's red list with each problem from the stored facts, the whole path from an
answer through the unit's approver and the lead department to 销号 or return, each step
in the history, notices only to those who can act, a stale step refused."""

from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from actions.models import Notification, Unit
from indicators.models import Metric, TargetStatus
from indicators.rules.periods import months_of_year
from reports.supervision import selectors, services
from reports.supervision.models import OrderNumber, SupervisionEvent, SupervisionOrder
from reports.tests.dashboard_data import demo_year
from reports.tests.supervision_data import DUE, TODAY, metric_led_by, order_on

DECEMBER = date(2022, 12, 1)


def test_numbers_run_without_gaps_and_a_failed_raise_gives_its_number_back(users):
    office = users["office"]
    m1, m2 = metric_led_by("amr", "hengnan"), metric_led_by("amr", "hengnan", led=False)
    first = order_on(office, "hengnan", m1)
    with pytest.raises(ValidationError, match="已有未销号的督办单"):
        order_on(office, "hengnan", m1)  # refused: its number is not used up
    with pytest.raises(ValidationError, match="答复期限不能早于今天"):
        order_on(office, "qidong", m1, due=date(2022, 6, 1))
    second = order_on(office, "hengnan", m2)
    assert (first.number, second.number) == (1, 2)
    assert second.number_text == "衡优化督〔2022〕2号"
    assert order_on(office, "qidong", m1, today=date(2023, 1, 3), due=date(2023, 1, 20)).number_text == "衡优化督〔2023〕1号"


@pytest.mark.django_db(transaction=True)
def test_numbers_stay_gap_free_when_the_office_raises_at_once(users):
    office = users["office"]
    hengnan = Unit.objects.get(code="hengnan")
    metrics = list(hengnan.assignments.values_list("metric", flat=True))[:8]

    def raise_one(metric_id):
        try:
            return services.order_raise(
                unit=hengnan,
                metric=Metric.objects.get(pk=metric_id),
                problem="p",
                required="r",
                due=DUE,
                user=office,
                today=TODAY,
            ).number
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=4) as pool:
        numbers = sorted(pool.map(raise_one, metrics))
    assert numbers == list(range(1, len(metrics) + 1))
    assert OrderNumber.objects.get(year=2022).last == len(metrics)


@pytest.fixture
def year(plan_2022):
    return demo_year(plan_2022)  # all of 2022


def _red_months_oracle(metric_id, unit_id):
    """Independently: count back from December while the stored unit row is red."""
    stored = dict(TargetStatus.objects.filter(metric_id=metric_id, unit_id=unit_id).values_list("period", "status"))
    n = 0
    for p in reversed(months_of_year(2022)):
        if stored.get(p) != "red":
            break
        n += 1
    return n


def test_the_december_red_list_carries_the_stored_facts(users, year):
    cells = selectors.red_list(plan=year, period=DECEMBER)
    assert cells and all(c.row.status.value == "red" for c in cells)
    for c in cells:
        n = _red_months_oracle(c.row.metric.pk, c.row.unit.pk)
        assert c.red_months == n
        assert c.row.unit.name in c.problem and c.row.metric.name in c.problem and c.row.metric.target_text() in c.problem
        assert (f"已连续 {n} 个月未达标" if n > 1 else "未达标。") in c.problem
    assert any(c.red_months >= 3 for c in cells)


def test_a_batch_from_the_red_list_is_all_or_nothing(client, users, year):
    cells = selectors.red_list(plan=year, period=DECEMBER)[:3]
    client.force_login(users["office"])
    bad = client.post(
        "/reports/supervision/raise/?period=2022-12",
        {"keys": [cells[0].key, "999999:1"], "required": "整改", "due": "2099-01-10", "level": "supervise"},
    )
    assert bad.status_code == 400 and not SupervisionOrder.objects.exists()
    ok = client.post(
        "/reports/supervision/raise/?period=2022-12",
        {"keys": [c.key for c in cells], "required": "整改", "due": "2099-01-10", "level": "listed"},
    )
    assert ok.status_code == 302
    orders = list(SupervisionOrder.objects.order_by("number"))
    assert [o.number for o in orders] == [1, 2, 3] and {o.level for o in orders} == {"listed"}
    assert [o.problem for o in orders] == [c.problem for c in cells]
    # the unit's reporters were told; nobody else
    told = set(Notification.objects.values_list("user__username", flat=True))
    units = {c.row.unit.code for c in cells}
    assert told <= {u.username for u in users.values() if getattr(u.membership.unit, "code", None) in units}
    # the same targets appear as already ordered, not selectable again
    again = {c.key: c.open_order for c in selectors.red_list(plan=year, period=DECEMBER)}
    assert all(again[c.key] is not None for c in cells)


def _history(order):
    return [(e.action, e.by.username, e.note) for e in SupervisionEvent.objects.filter(order=order).select_related("by")]


def test_the_whole_path_answer_approve_review_close_with_history(users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    Unit.objects.filter(code="hengnan").update(needs_approval=True)
    order = order_on(users["office"], "hengnan", metric_led_by("amr", "hengnan"))
    order.unit.refresh_from_db()
    Notification.objects.all().delete()
    services.order_answer(
        order=order,
        user=users["reporter"],
        measures="增设窗口",
        progress="已完成一半",
        expected_done=date(2022, 8, 1),
        files=[],
        version=order.version,
    )
    assert order.stage == "approving"
    assert set(Notification.objects.values_list("user__username", flat=True)) == {"hengnan_approver"}
    services.order_approve(order=order, user=users["approver"], approve=True, note="同意", version=order.version)
    assert order.stage == "reviewing"
    assert "amr_lead" in set(Notification.objects.values_list("user__username", flat=True))
    services.order_review(order=order, user=users["lead"], agree=True, note="措施可行", version=order.version)
    assert order.stage == "answered" and order.state(TODAY).label == "已答复"
    services.order_close(order=order, user=users["office"], version=order.version)
    assert order.stage == "closed" and order.closed_at and order.state(date(2023, 1, 1)).label == "已销号"
    assert [(a, by) for a, by, _ in _history(order)] == [
        ("raised", "office"),
        ("answered", "hengnan_reporter"),
        ("approved", "hengnan_approver"),
        ("reviewed", "amr_lead"),
        ("closed", "office"),
    ]


def test_returns_need_a_reason_and_the_unit_answers_again(users):
    order = order_on(users["office"], "hengnan", metric_led_by("amr", "hengnan", led=False))
    services.order_answer(
        order=order, user=users["reporter"], measures="m", progress="p", expected_done=DUE, files=[], version=order.version
    )
    with pytest.raises(ValidationError, match="请填写退回原因"):
        services.order_return(order=order, user=users["office"], reason="  ", version=order.version)
    services.order_return(order=order, user=users["office"], reason="佐证材料不足", version=order.version)
    assert order.stage == "returned" and order.state(TODAY).label == "已退回"
    assert _history(order)[-1] == ("returned", "office", "佐证材料不足")
    assert order.state(date(2022, 7, 16)).label == "逾期"  # returned and past its due date
    services.order_answer(
        order=order, user=users["reporter"], measures="m2", progress="p2", expected_done=DUE, files=[], version=order.version
    )
    assert order.answers.count() == 2


def test_a_stale_step_changes_nothing(users):
    order = order_on(users["office"], "hengnan", metric_led_by("amr", "hengnan"))
    stale = order.version
    services.order_answer(
        order=order, user=users["reporter"], measures="m", progress="p", expected_done=DUE, files=[], version=stale
    )
    with pytest.raises(ValidationError, match="已被他人处理"):
        services.order_answer(
            order=order, user=users["reporter"], measures="m", progress="p", expected_done=DUE, files=[], version=stale
        )
    assert order.answers.count() == 1


def test_overdue_reminders_go_only_to_those_who_can_act_once_a_day(users):
    order = order_on(users["office"], "hengnan", metric_led_by("amr", "hengnan"))
    Notification.objects.all().delete()
    assert services.overdue_remind(today=DUE) == 0  # due today: not overdue
    assert services.overdue_remind(today=date(2022, 7, 16)) == 1
    assert list(Notification.objects.values_list("user__username", "text")) == [
        ("hengnan_reporter", f"{order.number_text}已逾期 1 天未答复,请尽快办理。")
    ]
    assert services.overdue_remind(today=date(2022, 7, 16)) == 0
    with transaction.atomic():
        assert [o.pk for o in selectors.overdue_orders(user=users["leader"], today=date(2022, 7, 16))] == [order.pk]
    assert selectors.overdue_orders(user=users["other_reporter"], today=date(2022, 7, 16)) == []


def test_only_the_chief_reviews_and_is_called_as_on_the_page(users):
    """The review step is 指标长审核 on the order page, in its stage and in the reminder;
    its refusal says 指标长 too (issue 23: it said only 牵头单位)."""
    order = order_on(users["office"], "hengnan", metric_led_by("amr", "hengnan"))
    services.order_answer(
        order=order, user=users["reporter"], measures="m", progress="p", expected_done=DUE, files=[], version=order.version
    )
    with pytest.raises(ValidationError, match="只有该指标的指标长"):
        services.order_review(order=order, user=users["reporter"], agree=True, version=order.version)
    assert order.stage == "reviewing"
