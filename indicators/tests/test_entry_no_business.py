"""本月无此项业务 on the entry sheet: a ticked row may stay empty, counts as reported, is
not judged and asks for no explanation; ticked with a figure is refused."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from actions.models import Unit
from indicators.models import Figure, Metric
from indicators.selectors import month_overview
from indicators.tests.test_entry import URL, form_data, open_month  # noqa: F401 (fixture)

JUNE = date(2022, 6, 1)


def test_a_ticked_row_saves_as_no_business_without_a_figure(client, users, open_month):  # noqa: F811
    client.force_login(users["reporter"])
    data = form_data(client, **{"arbitration_closure_rate-no_business": "on", "action": "save"})

    response = client.post(URL, data)

    assert response.status_code == 302
    f = Figure.objects.get(unit__code="hengnan", metric__code="arbitration_closure_rate", period=JUNE)
    assert f.no_business and (f.numerator, f.denominator) == (None, None)
    assert f.history.count() == 1  # recorded like any other change


def test_ticked_with_a_figure_is_refused_and_nothing_is_saved(client, users, open_month):  # noqa: F811
    client.force_login(users["reporter"])
    data = form_data(
        client,
        **{
            "arbitration_closure_rate-no_business": "on",
            "arbitration_closure_rate-numerator": "8",
            "arbitration_closure_rate-denominator": "10",
            "action": "save",
        },
    )

    response = client.post(URL, data)

    assert response.status_code == 400
    assert "本月无此项业务" in response.context["form"].errors["arbitration_closure_rate-numerator"][0]
    assert not Figure.objects.filter(unit__code="hengnan").exists()


def test_no_business_counts_as_filled_in_the_month_overview(client, users, open_month):  # noqa: F811
    client.force_login(users["reporter"])
    client.post(URL, form_data(client, **{"arbitration_closure_rate-no_business": "on", "action": "save"}))

    row = next(r for r in month_overview(period=JUNE).rows if r.unit.code == "hengnan")

    assert row.filled == 1


def test_the_page_offers_the_checkbox_per_row(client, users, open_month):  # noqa: F811
    client.force_login(users["reporter"])
    body = client.get(URL).content.decode()

    assert 'name="arbitration_closure_rate-no_business"' in body
    assert "本月无此项业务" in body


@pytest.mark.django_db
def test_the_database_refuses_a_no_business_row_with_a_figure(plan_2022):
    unit, metric = Unit.objects.get(code="hengnan"), Metric.objects.get(code="arbitration_closure_rate")
    with pytest.raises(IntegrityError), transaction.atomic():
        Figure.objects.create(unit=unit, metric=metric, period=JUNE, no_business=True, numerator=1, denominator=2)


def test_the_live_status_of_a_ticked_row_says_no_business(client, users):
    client.force_login(users["reporter"])
    url = reverse("indicators:entry-status", args=["hengnan", "2022-06"])

    ticked = client.get(url, {"metric": "arbitration_closure_rate", "no_business": "on"}).json()
    unticked = client.get(url, {"metric": "arbitration_closure_rate", "no_business": ""}).json()

    assert (ticked["status"], ticked["label"], ticked["needs_explanation"]) == ("grey", "本月无此项业务", False)
    assert unticked["label"] == "未报送"
