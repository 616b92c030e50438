"""The review workflow through its views: submit → (unit approval) → accept, or return
with a reason → resubmit; corrections after the lock date; notifications on each step."""

from datetime import date

import pytest
from django.core import mail
from django.urls import reverse

from actions.models import Unit
from indicators.models import CorrectionRequest, ReportingMonth, Submission
from indicators.services.workflow import entry_save

PERIOD = "2022-06"
JUNE = date(2022, 6, 1)
ENTRY = reverse("indicators:entry", args=["hengnan", PERIOD])


def step(name):
    return reverse("indicators:entry-step", args=["hengnan", PERIOD, name])


@pytest.fixture
def submitted(users):
    """衡南县's June submitted by its reporter (the form's checks are tested elsewhere)."""
    ReportingMonth.objects.create(period=JUNE, deadline=date(2099, 1, 5), lock_date=date(2099, 1, 15))
    unit = Unit.objects.get(code="hengnan")
    return entry_save(unit=unit, period=JUNE, user=users["reporter"], version=0, figures={}, tasks={}, submit=True)


def test_the_office_accepts_and_the_reporter_is_told(client, users, submitted, django_capture_on_commit_callbacks):
    users["reporter"].email = "reporter@example.com"
    users["reporter"].save()
    client.force_login(users["office"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(step("accept"))
    assert response.status_code == 302
    sub = Submission.objects.get(pk=submitted.pk)
    assert (sub.state, sub.accepted_by) == ("accepted", users["office"])
    assert users["reporter"].notifications.filter(text__contains="已被市优化办采纳").exists()
    assert [m.to for m in mail.outbox] == [["reporter@example.com"]]  # the office has no address: no mail


def test_the_office_returns_with_a_reason_and_the_reporter_resubmits(
    client, users, submitted, django_capture_on_commit_callbacks
):
    users["reporter"].email = "reporter@example.com"
    users["reporter"].save()
    client.force_login(users["office"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(step("return"), {"reason": "营商环境指标口径有误,请核实"})
    sub = Submission.objects.get(pk=submitted.pk)
    assert (sub.state, sub.returned_by, sub.returned_reason) == ("returned", users["office"], "营商环境指标口径有误,请核实")
    assert "口径有误" in mail.outbox[-1].body and mail.outbox[-1].to == ["reporter@example.com"]

    client.force_login(users["reporter"])
    page = client.get(ENTRY)
    assert "退回原因:营商环境指标口径有误,请核实" in page.content.decode()
    assert page.context["can_edit"]
    entry_save(unit=sub.unit, period=JUNE, user=users["reporter"], version=sub.version, figures={}, tasks={}, submit=True)
    assert Submission.objects.get(pk=sub.pk).state == "submitted"


def test_a_return_needs_a_reason(client, users, submitted):
    client.force_login(users["office"])
    client.post(step("return"), {"reason": "  "})
    assert Submission.objects.get(pk=submitted.pk).state == "submitted"


def test_a_unit_with_an_approver_goes_through_approval_first(client, users, db):
    Unit.objects.filter(code="hengnan").update(needs_approval=True)
    ReportingMonth.objects.create(period=JUNE, deadline=date(2099, 1, 5), lock_date=date(2099, 1, 15))
    unit = Unit.objects.get(code="hengnan")
    entry_save(unit=unit, period=JUNE, user=users["reporter"], version=0, figures={}, tasks={}, submit=True)
    assert users["approver"].notifications.filter(text__contains="请审核").exists()
    assert not users["office"].notifications.exists()

    client.force_login(users["office"])
    client.post(step("accept"))  # too early: the approver has not confirmed
    assert Submission.objects.get(unit=unit).state == "submitted"

    client.force_login(users["approver"])
    client.post(step("approve"))
    sub = Submission.objects.get(unit=unit)
    assert (sub.state, sub.approved_by) == ("approved", users["approver"])
    assert users["office"].notifications.filter(text__contains="已经单位审核").exists()

    client.force_login(users["office"])
    client.post(step("accept"))
    assert Submission.objects.get(unit=unit).state == "accepted"


@pytest.mark.parametrize("who", ["reporter", "other_reporter", "leader", "lead", "approver"])
def test_only_the_office_accepts(client, users, submitted, who):
    client.force_login(users[who])
    assert client.post(step("accept")).status_code == 403
    assert Submission.objects.get(pk=submitted.pk).state == "submitted"


def test_a_locked_month_asks_for_a_correction_which_the_office_approves(client, users, db):
    ReportingMonth.objects.create(period=JUNE, deadline=date(2022, 7, 5), lock_date=date(2022, 7, 15))
    client.force_login(users["reporter"])
    page = client.get(ENTRY)
    assert page.context["can_correct"] and not page.context["can_edit"]
    client.post(step("correction"), {"reason": "6月企业开办件数统计遗漏"})
    req = CorrectionRequest.objects.get()
    assert (req.state, req.requested_by) == ("pending", users["reporter"])
    assert users["office"].notifications.filter(text__contains="申请更正").exists()
    client.post(step("correction"), {"reason": "再来一次"})
    assert CorrectionRequest.objects.count() == 1  # one pending request per unit-month

    client.force_login(users["office"])
    assert "6月企业开办件数统计遗漏" in client.get(reverse("indicators:corrections")).content.decode()
    client.post(reverse("indicators:correction-decide", args=[req.pk]), {"decision": "approve", "note": "同意"})
    req.refresh_from_db()
    assert (req.state, req.decided_by) == ("approved", users["office"])
    sub = Submission.objects.get(unit__code="hengnan", period=JUNE)
    assert sub.reopened and sub.state == "returned"
    assert sub.history.first().history_change_reason == "批准更正:6月企业开办件数统计遗漏"

    client.force_login(users["reporter"])
    assert client.get(ENTRY).context["can_edit"]  # reopened past the lock date
    assert users["reporter"].notifications.filter(text__contains="已批准").exists()


def test_a_refused_correction_keeps_the_month_closed(client, users, db):
    ReportingMonth.objects.create(period=JUNE, deadline=date(2022, 7, 5), lock_date=date(2022, 7, 15))
    req = CorrectionRequest.objects.create(
        unit=Unit.objects.get(code="hengnan"), period=JUNE, reason="r", requested_by=users["reporter"]
    )
    client.force_login(users["office"])
    client.post(reverse("indicators:correction-decide", args=[req.pk]), {"decision": "refuse", "note": "理由不充分"})
    req.refresh_from_db()
    assert req.state == "refused"
    client.force_login(users["reporter"])
    page = client.get(ENTRY)
    assert not page.context["can_edit"] and "已过本月锁定日" in page.content.decode()


def test_a_month_still_open_needs_no_correction(client, users, submitted):
    client.force_login(users["reporter"])
    client.post(step("correction"), {"reason": "想改"})
    assert not CorrectionRequest.objects.exists()


def test_the_unit_approver_can_return_to_the_reporter(client, users, db):
    Unit.objects.filter(code="hengnan").update(needs_approval=True)
    ReportingMonth.objects.create(period=JUNE, deadline=date(2099, 1, 5), lock_date=date(2099, 1, 15))
    unit = Unit.objects.get(code="hengnan")
    entry_save(unit=unit, period=JUNE, user=users["reporter"], version=0, figures={}, tasks={}, submit=True)
    client.force_login(users["approver"])
    client.post(step("return"), {"reason": "请补充情况说明"})
    sub = Submission.objects.get(unit=unit)
    assert (sub.state, sub.returned_by) == ("returned", users["approver"])
    assert users["reporter"].notifications.filter(text__contains="被单位审核人退回").exists()


def unread(user):
    return list(user.notifications.filter(read_at__isnull=True).values_list("text", flat=True))


def test_the_approvers_notification_clears_when_they_approve_and_the_offices_when_it_accepts(client, users, db):
    Unit.objects.filter(code="hengnan").update(needs_approval=True)
    ReportingMonth.objects.create(period=JUNE, deadline=date(2099, 1, 5), lock_date=date(2099, 1, 15))
    unit = Unit.objects.get(code="hengnan")
    entry_save(unit=unit, period=JUNE, user=users["reporter"], version=0, figures={}, tasks={}, submit=True)
    assert len(unread(users["approver"])) == 1

    client.force_login(users["approver"])
    client.post(step("approve"))
    assert unread(users["approver"]) == []
    assert unread(users["office"]) == ["衡南县2022年6月数据已经单位审核,请市优化办审核。"]

    client.force_login(users["office"])
    client.post(step("accept"))
    assert unread(users["office"]) == []


def test_a_return_clears_the_review_request_and_a_resubmission_clears_the_return_notice(client, users, submitted):
    assert len(unread(users["office"])) == 1
    client.force_login(users["office"])
    client.post(step("return"), {"reason": "请补充说明"})
    assert unread(users["office"]) == []
    assert unread(users["reporter"]) == ["衡南县2022年6月数据被市优化办退回,原因:请补充说明"]
    sub = Submission.objects.get(pk=submitted.pk)
    entry_save(unit=sub.unit, period=JUNE, user=users["reporter"], version=sub.version, figures={}, tasks={}, submit=True)
    assert unread(users["reporter"]) == []
    assert len(unread(users["office"])) == 1  # the new request to review


def test_the_timeline_runs_in_order_and_starts_again_after_a_correction(client, users, submitted):
    client.force_login(users["office"])
    client.post(step("return"), {"reason": "口径有误"})
    sub = Submission.objects.get(pk=submitted.pk)
    entry_save(unit=sub.unit, period=JUNE, user=users["reporter"], version=sub.version, figures={}, tasks={}, submit=True)
    client.post(step("accept"))
    client.force_login(users["reporter"])
    page = client.get(ENTRY)
    [section] = page.context["timeline"]
    assert [(e.what, e.who) for e in section.events] == [
        ("提交", "hengnan_reporter"),
        ("退回", "office"),
        ("重新提交", "hengnan_reporter"),
        ("采纳", "office"),
    ]
    assert section.events[1].note == "口径有误"
    times = [e.when for e in section.events]
    assert times == sorted(times)

    # past the lock date, a correction is approved: a new section begins with it
    ReportingMonth.objects.filter(period=JUNE).update(deadline=date(2022, 7, 5), lock_date=date(2022, 7, 15))
    client.post(step("correction"), {"reason": "件数漏报"})
    client.force_login(users["office"])
    client.post(reverse("indicators:correction-decide", args=[CorrectionRequest.objects.get().pk]), {"decision": "approve"})
    client.force_login(users["reporter"])
    page = client.get(ENTRY)
    before, after = page.context["timeline"]
    assert [e.what for e in before.events] == ["提交", "退回", "重新提交", "采纳"]
    assert (after.correction.what, after.correction.who, after.correction.note) == ("批准更正", "office", "件数漏报")
    assert after.events == []
    body = page.content.decode()
    assert 'data-testid="timeline-correction"' in body and "以下为更正后的流程" in body
    sub = Submission.objects.get(pk=submitted.pk)
    entry_save(unit=sub.unit, period=JUNE, user=users["reporter"], version=sub.version, figures={}, tasks={}, submit=True)
    assert [e.what for e in client.get(ENTRY).context["timeline"][1].events] == ["重新提交"]
