"""Which month a page opens on: the month being collected (entry, completeness, 催报) and
the latest closed month, read with the office's dates."""

from datetime import date

from django.urls import reverse

from indicators.models import ReportingMonth
from indicators.months import collecting_month, latest_closed_month


def test_the_office_moving_a_deadline_keeps_the_month_open(plan_2022, django_assert_num_queries):
    with django_assert_num_queries(2):
        assert collecting_month(today=date(2022, 12, 6)) == date(2022, 12, 1)
    assert latest_closed_month(today=date(2022, 12, 6)) == date(2022, 11, 1)
    ReportingMonth.objects.create(period=date(2022, 11, 1), deadline=date(2022, 12, 9), lock_date=date(2022, 12, 20))
    assert collecting_month(today=date(2022, 12, 6)) == date(2022, 11, 1)
    assert latest_closed_month(today=date(2022, 12, 6)) == date(2022, 10, 1)


def test_past_every_plan_the_months_stay_in_the_latest_plan_year(plan_2022):
    assert collecting_month(today=date(2026, 3, 1)) == date(2022, 12, 1)
    assert latest_closed_month(today=date(2026, 3, 1)) == date(2022, 12, 1)


def test_entry_and_completeness_open_on_the_month_being_collected(client, users):
    month = collecting_month()
    text = f"{month:%Y-%m}"
    client.force_login(users["reporter"])
    assert client.get(reverse("indicators:entry-home")).url == reverse("indicators:entry", args=["hengnan", text])
    client.force_login(users["office"])
    assert client.get(reverse("indicators:entry-home")).url == reverse("indicators:month", args=[text])
    assert client.get(reverse("reports:dashboard-completeness")).context["period"] == month
