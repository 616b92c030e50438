"""催报: the office emails the users of units that have not reported."""

from datetime import date

import pytest
from django.core import mail

from actions.models import Unit
from indicators.models import Submission
from reports.services import reminders_send
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
