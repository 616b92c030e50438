"""The month page's bulk steps: the office ticks several unit-months and accepts them,
or returns them with one reason, in one POST; each with the checks of the single step,
all or nothing."""

from datetime import date

import pytest
from django.urls import reverse

from actions.models import Unit
from indicators.models import ReportingMonth, Submission
from indicators.services.workflow import entry_save

PERIOD = "2022-06"
JUNE = date(2022, 6, 1)
BULK = reverse("indicators:month-bulk", args=[PERIOD])
MONTH = reverse("indicators:month", args=[PERIOD])


@pytest.fixture
def waiting(users):
    """衡南县, 祁东县 and 税务局 have submitted June; 衡阳县 holds a draft."""
    ReportingMonth.objects.create(period=JUNE, deadline=date(2099, 1, 5), lock_date=date(2099, 1, 15))
    units = {c: Unit.objects.get(code=c) for c in ("hengnan", "qidong", "tax", "hengyangxian")}
    for code in ("hengnan", "qidong", "tax"):
        entry_save(unit=units[code], period=JUNE, user=users["reporter"], version=0, figures={}, tasks={}, submit=True)
    entry_save(unit=units["hengyangxian"], period=JUNE, user=users["reporter"], version=0, figures={}, tasks={})
    return units


def states():
    return dict(Submission.objects.filter(period=JUNE).values_list("unit__code", "state"))


def messages_of(response):
    return [str(m) for m in response.wsgi_request._messages]


def test_the_month_page_offers_a_checkbox_only_on_rows_waiting_for_the_office(client, users, waiting):
    client.force_login(users["office"])
    body = client.get(MONTH).content.decode()
    for code in ("hengnan", "qidong", "tax"):
        assert f'name="unit" value="{waiting[code].pk}"' in body
    assert f'name="unit" value="{waiting["hengyangxian"].pk}"' not in body  # a draft
    client.force_login(users["leader"])
    assert 'name="unit"' not in client.get(MONTH).content.decode()  # leaders read only


def test_the_office_accepts_several_units_in_one_post(client, users, waiting):
    client.force_login(users["office"])
    ids = [waiting["hengnan"].pk, waiting["qidong"].pk]
    response = client.post(BULK, {"unit": ids, "action": "accept"})
    assert response.status_code == 302 and response.url == MONTH
    assert states() == {"hengnan": "accepted", "qidong": "accepted", "tax": "submitted", "hengyangxian": "draft"}
    assert messages_of(response) == ["已采纳 2 个单位的本月数据:衡南县、祁东县。"]
    sub = Submission.objects.get(unit__code="qidong", period=JUNE)
    assert (sub.accepted_by, sub.history.first().history_change_reason) == (users["office"], "市优化办采纳")
    assert users["reporter"].notifications.filter(text__contains="衡南县2022年6月数据已被市优化办采纳").exists()
    assert not users["office"].notifications.filter(read_at__isnull=True, text__contains="衡南县").exists()
    assert users["office"].notifications.filter(read_at__isnull=True, text__contains="衡阳市税务局").exists()


def test_one_unit_that_cannot_be_accepted_changes_nothing_and_is_named(client, users, waiting):
    client.force_login(users["office"])
    response = client.post(BULK, {"unit": [waiting["hengnan"].pk, waiting["hengyangxian"].pk], "action": "accept"})
    assert states() == {"hengnan": "submitted", "qidong": "submitted", "tax": "submitted", "hengyangxian": "draft"}
    assert messages_of(response) == ["有 1 个单位不能处理,全部未做改动:衡阳县:当前状态为“草稿”,不能采纳。"]
    assert not users["reporter"].notifications.filter(text__contains="采纳").exists()


@pytest.mark.parametrize("forged", [["999999"], ["abc"], []])
def test_forged_or_missing_unit_ids_are_refused_whole(client, users, waiting, forged):
    client.force_login(users["office"])
    response = client.post(BULK, {"unit": [waiting["hengnan"].pk, *forged] if forged else [], "action": "accept"})
    assert response.status_code == 302
    assert states()["hengnan"] == "submitted"
    message = messages_of(response)[0]
    assert {"999999": "1 个不存在", "abc": "所选单位“abc”无效"}.get(forged[0] if forged else "", "请先勾选") in message


def test_bulk_return_sends_one_reason_to_each_unit(client, users, waiting):
    client.force_login(users["office"])
    ids = [waiting["qidong"].pk, waiting["tax"].pk]
    assert client.post(BULK, {"unit": ids, "action": "return", "reason": " "}).status_code == 302
    assert states()["qidong"] == "submitted"  # no reason, nothing returned
    response = client.post(BULK, {"unit": ids, "action": "return", "reason": "统计口径有误,请核实后重报"})
    assert messages_of(response)[-1] == "已退回 2 个单位,并通知了填报员:祁东县、国家税务总局衡阳市税务局。"
    for code in ("qidong", "tax"):
        sub = Submission.objects.get(unit__code=code, period=JUNE)
        assert (sub.state, sub.returned_reason, sub.returned_by) == ("returned", "统计口径有误,请核实后重报", users["office"])


@pytest.mark.parametrize("who", ["reporter", "approver", "leader", "lead"])
def test_only_the_office_takes_bulk_steps(client, users, waiting, who):
    client.force_login(users[who])
    assert client.post(BULK, {"unit": [waiting["hengnan"].pk], "action": "accept"}).status_code == 403
    assert states()["hengnan"] == "submitted"


def test_a_unit_needing_approval_is_not_accepted_in_bulk_before_its_approver(client, users, waiting):
    Unit.objects.filter(code="hengnan").update(needs_approval=True)
    client.force_login(users["office"])
    response = client.post(BULK, {"unit": [waiting["hengnan"].pk, waiting["tax"].pk], "action": "accept"})
    assert states()["tax"] == "submitted" and states()["hengnan"] == "submitted"
    assert "衡南县:当前状态为“已提交”,不能采纳" in messages_of(response)[0]


def test_the_bulk_buttons_show_only_while_something_waits_for_the_office(client, users, waiting):
    client.force_login(users["office"])
    assert 'id="bulk-form"' in client.get(MONTH).content.decode()
    ids = [waiting[c].pk for c in ("hengnan", "qidong", "tax")]
    client.post(BULK, {"unit": ids, "action": "accept"})
    assert 'id="bulk-form"' not in client.get(MONTH).content.decode()


def test_an_unknown_bulk_action_changes_nothing(client, users, waiting):
    client.force_login(users["office"])
    response = client.post(BULK, {"unit": [waiting["hengnan"].pk], "action": "delete"})
    assert messages_of(response) == ["未知的操作。"]
    assert states()["hengnan"] == "submitted"
    assert client.get(BULK).status_code == 405


def test_units_approved_by_their_approver_are_accepted_in_bulk(client, users, waiting):
    Unit.objects.filter(code="hengnan").update(needs_approval=True)
    client.force_login(users["approver"])
    client.post(reverse("indicators:entry-step", args=["hengnan", PERIOD, "approve"]))
    client.force_login(users["office"])
    client.post(BULK, {"unit": [waiting["hengnan"].pk, waiting["tax"].pk], "action": "accept"})
    assert states()["hengnan"] == "accepted" and states()["tax"] == "accepted"
