"""Periods in URLs are parsed once, by the path converters: a real month or quarter
reaches the view as one value, anything else is a 404 before any view runs."""

from datetime import date

import pytest
from django.urls import reverse


@pytest.fixture
def office_client(client, users):
    client.force_login(users["office"])
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/indicators/months/2022-13/",
        "/indicators/months/1900-01/",
        "/indicators/months/2022-6/",
        "/indicators/months/2022-06%0d%0aSet-Cookie:x=1/",
        "/indicators/entry/hengnan/2022-00/",
        "/indicators/entry/hengnan/2022-06x/excel/",
        "/reports/dashboard/figure/business_start_days/hengnan/22-06/",
        "/reports/archive/dispatch/2022-06%22%3E%3Cscript%3E/",
        "/reports/archive/bulletin/2022Q5/",
        "/reports/archive/bulletin/2022q2/",
        "/reports/archive/notes/1900Q1/",
    ],
)
def test_anything_but_a_real_month_or_quarter_is_a_404(office_client, url):
    response = office_client.get(url)
    assert response.status_code == 404
    assert "Content-Disposition" not in response


def test_a_month_reaches_the_view_as_a_date_and_links_are_written_the_same_way(office_client):
    assert reverse("indicators:month", args=[date(2022, 6, 1)]) == reverse("indicators:month", args=["2022-06"])
    assert reverse("indicators:month", args=["2022-06"]) == "/indicators/months/2022-06/"
    assert office_client.get("/indicators/months/2022-06/").status_code == 200
    response = office_client.get("/indicators/entry/hengnan/2022-06/excel/")
    assert response.status_code == 200
    assert 'filename="entry-hengnan-2022-06.xlsx"' in response["Content-Disposition"]


def test_a_report_period_has_one_spelling(office_client):
    assert reverse("reports:archive-detail", args=["bulletin", "2022Q2"]) == "/reports/archive/bulletin/2022Q2/"
    assert office_client.get("/reports/archive/bulletin/2022Q2/").status_code == 200
    assert office_client.get("/reports/archive/dispatch/2022-06/").status_code == 200
