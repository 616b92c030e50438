"""The 报送日期 form: it opens with the month's current dates filled in, refuses dates
that make no sense with a Chinese message (never a server error), and saves good ones."""

import re
from datetime import date

import pytest
from django.urls import reverse

from indicators.models import ReportingMonth
from indicators.rules.workdays import default_deadline, default_lock_date

URL = reverse("indicators:month-dates", args=["2022-06"])
JUNE = date(2022, 6, 1)


@pytest.fixture
def office(client, users):
    client.force_login(users["office"])
    return client


def shown_dates(page: str) -> dict:
    return dict(re.findall(r'<input type="date" name="(\w+)" value="([^"]*)"', page))


def test_it_opens_with_the_calendar_dates_filled_in(office):
    page = office.get(URL).content.decode()
    assert shown_dates(page) == {
        "deadline": default_deadline(JUNE).isoformat(),
        "lock_date": default_lock_date(JUNE).isoformat(),
    }


def test_it_opens_with_the_dates_the_office_set(office):
    ReportingMonth.objects.create(period=JUNE, deadline=date(2022, 7, 8), lock_date=date(2022, 7, 20))
    assert shown_dates(office.get(URL).content.decode()) == {"deadline": "2022-07-08", "lock_date": "2022-07-20"}


@pytest.mark.parametrize(
    ("deadline", "lock_date", "message"),
    [
        ("1900-01-05", "1900-01-15", "须在2022年6月结束之后"),
        ("2022-06-20", "2022-07-15", "须在2022年6月结束之后"),
        ("2022-07-10", "2022-07-08", "锁定日不能早于按时报送截止日:您填写的锁定日是 2022-07-08,截止日是 2022-07-10"),
        ("2022-07-06", "2099-07-15", "年份不合理"),
        ("2022-13-45", "2022-07-15", "有效的日期"),
    ],
)
def test_bad_dates_are_refused_in_chinese_and_nothing_changes(office, deadline, lock_date, message):
    ReportingMonth.objects.create(period=JUNE, deadline=date(2022, 7, 6), lock_date=date(2022, 7, 15))

    response = office.post(URL, {"deadline": deadline, "lock_date": lock_date})

    assert response.status_code == 200
    assert message in response.content.decode()
    month = ReportingMonth.objects.get(period=JUNE)
    assert (month.deadline, month.lock_date) == (date(2022, 7, 6), date(2022, 7, 15))


def test_good_dates_are_saved(office):
    response = office.post(URL, {"deadline": "2022-07-08", "lock_date": "2022-07-08"})
    assert response.status_code == 302
    month = ReportingMonth.objects.get(period=JUNE)
    assert (month.deadline, month.lock_date) == (date(2022, 7, 8), date(2022, 7, 8))


@pytest.mark.parametrize(
    "url", ["/indicators/months/1900-01/", "/indicators/months/1900-01/dates/", "/indicators/entry/hengnan/1900-01/"]
)
def test_a_month_in_1900_is_not_found(office, url):
    response = office.get(url)
    assert response.status_code == 404


def test_the_admin_refuses_a_month_in_1900_in_chinese(client, users):
    client.force_login(users["admin"])
    data = {"period": "1900-01-01", "deadline": "1900-02-05", "lock_date": "1900-02-15"}
    response = client.post(reverse("admin:indicators_reportingmonth_add"), data)
    assert response.status_code == 200 and "2000 年至 2100 年" in response.content.decode()
    assert not ReportingMonth.objects.exists()
