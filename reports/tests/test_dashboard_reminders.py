"""催报: the office emails the users of units that have not reported."""

from datetime import date

import pytest
from django.core import mail

from actions.models import Unit
from indicators.models import Submission
from reports.services.reminders import reminders_send
from reports.tests.dashboard_data import demo_year

JUNE = date(2022, 6, 1)


@pytest.fixture
def year(plan_2022, users):
    demo_year(plan_2022, today=date(2022, 8, 1))
    users["reporter"].email = "hengnan@example.cn"
    users["reporter"].save()
    users["approver"].email = "hengnan.approver@example.cn"
    users["approver"].save()
    Submission.objects.filter(period=JUNE, unit__code__in=["hengnan", "qidong"]).delete()
    return plan_2022


def test_it_emails_every_user_of_the_unit_with_an_address(year, users):
    hengnan, qidong = Unit.objects.get(code="hengnan"), Unit.objects.get(code="qidong")

    result = reminders_send(period=JUNE, units=[hengnan, qidong], sender=users["office"])

    assert result.sent == 2
    assert result.reached == [hengnan] and result.unreachable == [qidong]  # qidong's user has no address
    assert sorted(m.to[0] for m in mail.outbox) == ["hengnan.approver@example.cn", "hengnan@example.cn"]
    assert "【催报】" in mail.outbox[0].subject and "2022年6月" in mail.outbox[0].subject
    assert "衡南县" in mail.outbox[0].body and "2022年7月5日" in mail.outbox[0].body


def test_the_office_sends_from_the_board_and_sees_what_happened(client, year, users):
    client.force_login(users["office"])
    response = client.post(
        "/reports/dashboard/completeness/remind/", {"period": "2022-06", "units": ["hengnan", "qidong"]}, follow=True
    )
    text = response.content.decode()
    assert "已向 1 个单位的 2 位用户发送催报邮件" in text
    assert "祁东县" in text and "请电话催报" in text
    assert len(mail.outbox) == 2


def test_units_that_reported_are_not_chased(client, year, users):
    client.force_login(users["office"])
    reported = Submission.objects.filter(period=JUNE).exclude(state=Submission.State.DRAFT).first().unit.code
    response = client.post("/reports/dashboard/completeness/remind/", {"period": "2022-06", "units": [reported]}, follow=True)
    assert "请先勾选需要催报的单位" in response.content.decode()
    assert mail.outbox == []


def test_a_bad_month_is_reported_in_chinese(client, year, users):
    client.force_login(users["office"])
    response = client.post("/reports/dashboard/completeness/remind/", {"period": "2022-13", "all": "1"}, follow=True)
    assert "月份“2022-13”不存在" in response.content.decode()
    assert mail.outbox == []


def test_remind_all_chases_every_unit_due(client, year, users):
    client.force_login(users["office"])
    client.post("/reports/dashboard/completeness/remind/", {"period": "2022-06", "all": "1"})
    assert {m.to[0] for m in mail.outbox} == {"hengnan@example.cn", "hengnan.approver@example.cn"}


def test_the_cached_completeness_table_follows_a_new_submission(client, users, plan_2022):
    """The table's HTML is cached; a unit that submits is shown so on the next request."""
    from datetime import date

    from indicators.models import Submission
    from reports.tests.dashboard_data import demo_year

    demo_year(plan_2022, today=date(2022, 8, 1))
    client.force_login(users["office"])
    url = "/reports/dashboard/completeness/?period=2022-06"
    s = Submission.objects.filter(period=date(2022, 6, 1)).select_related("unit").first()
    s.state = Submission.State.RETURNED
    s.save()
    assert f'value="{s.unit.code}"' in client.get(url).content.decode()  # a returned unit can be reminded

    s.state = Submission.State.SUBMITTED
    s.save()

    assert f'value="{s.unit.code}"' not in client.get(url).content.decode()


def test_only_accounts_that_can_enter_or_approve_the_month_are_reminded(year, users):
    """A lead-unit account or a leader attached to the unit cannot act on its month: no
    mail, no notice for them."""
    from actions.models import Membership, Notification
    from conftest import make_user

    lead = make_user("hengnan_lead", Membership.Role.LEAD, "hengnan", email="lead@example.cn")
    hengnan = Unit.objects.get(code="hengnan")

    reminders_send(period=JUNE, units=[hengnan], sender=users["office"])

    assert sorted(m.to[0] for m in mail.outbox) == ["hengnan.approver@example.cn", "hengnan@example.cn"]
    assert not Notification.objects.filter(user=lead).exists()


def test_a_unit_is_not_reminded_again_within_the_offices_interval(client, year, users):
    from datetime import timedelta

    from django.utils import timezone

    from reports.models import ReminderLog, ReportSettings

    client.force_login(users["office"])
    client.post("/reports/dashboard/completeness/remind/", {"period": "2022-06", "units": ["hengnan"]})
    assert len(mail.outbox) == 2
    page = client.get("/reports/dashboard/completeness/?period=2022-06").content.decode()
    assert "同一单位每 24 小时最多催报一次" in page
    assert "后可再催" in page and 'value="hengnan"' not in page  # no checkbox for 衡南县 now

    response = client.post("/reports/dashboard/completeness/remind/", {"period": "2022-06", "units": ["hengnan"]}, follow=True)
    assert "24 小时内只催报一次" in response.content.decode() and "衡南县" in response.content.decode()
    assert len(mail.outbox) == 2  # nothing more sent

    ReportSettings.objects.create(reminder_interval_hours=2)
    ReminderLog.objects.update(sent_at=timezone.now() - timedelta(hours=3))
    client.post("/reports/dashboard/completeness/remind/", {"period": "2022-06", "units": ["hengnan"]})
    assert len(mail.outbox) == 4
