"""Who reaches which page: one row per role × page, asserted against the status code.
衡南县's reporter and approver work on 衡南县; 祁东县's reporter and the tax bureau's
reporter must not see it; the lead unit (市场监管局, lead of 企业开办) sees the figures of
the indicator it leads; the office and leaders read everything; only the office manages."""

from datetime import date

import pytest
from django.urls import reverse

from actions.models import Unit
from indicators.models import Figure, Metric, ReportingMonth

ROLES = ["anonymous", "reporter", "other_reporter", "dept_reporter", "approver", "lead", "office", "leader", "admin"]

# page → expected status per role, in the order of ROLES
TABLE = {
    "entry": [302, 200, 403, 403, 200, 403, 200, 200, 200],
    "entry-status": [302, 200, 403, 403, 200, 403, 200, 200, 200],
    "excel-download": [302, 200, 403, 403, 200, 403, 200, 200, 200],
    "excel-upload": [302, 200, 403, 403, 403, 403, 403, 403, 403],
    "figure-history": [302, 200, 403, 403, 200, 200, 200, 200, 200],
    "month": [302, 403, 403, 403, 403, 403, 200, 200, 200],
    "month-dates": [302, 403, 403, 403, 403, 403, 200, 403, 200],
    "corrections": [302, 403, 403, 403, 403, 403, 200, 403, 200],
    "notifications": [302, 200, 200, 200, 200, 200, 200, 200, 200],
    "password-change": [302, 200, 200, 200, 200, 200, 200, 200, 200],
    "entry-home": [302, 302, 302, 302, 302, 302, 302, 302, 302],
}


def url_of(page: str, figure: Figure) -> str:
    return {
        "entry": reverse("indicators:entry", args=["hengnan", "2022-06"]),
        "entry-status": reverse("indicators:entry-status", args=["hengnan", "2022-06"]) + "?metric=business_start_days",
        "excel-download": reverse("indicators:excel-download", args=["hengnan", "2022-06"]),
        "excel-upload": reverse("indicators:excel-upload", args=["hengnan", "2022-06"]),
        "figure-history": reverse("indicators:figure-history", args=[figure.pk]),
        "month": reverse("indicators:month", args=["2022-06"]),
        "month-dates": reverse("indicators:month-dates", args=["2022-06"]),
        "corrections": reverse("indicators:corrections"),
        "notifications": reverse("actions:notifications"),
        "password-change": reverse("actions:password-change"),
        "entry-home": reverse("indicators:entry-home"),
    }[page]


@pytest.mark.parametrize("role", ROLES)
def test_role_reaches_exactly_its_pages(client, users, role):
    """One role's column of TABLE: every page's status, compared as a whole so that a
    failure lists every page that differs."""
    ReportingMonth.objects.create(period=date(2022, 6, 1), deadline=date(2099, 1, 5), lock_date=date(2099, 1, 15))
    figure = Figure.objects.create(
        unit=Unit.objects.get(code="hengnan"),
        metric=Metric.objects.get(code="business_start_days"),
        period=date(2022, 6, 1),
        value=1,
        cases=2,
    )
    if role != "anonymous":
        client.force_login(users[role])
    i = ROLES.index(role)
    expected = {page: statuses[i] for page, statuses in TABLE.items()}
    actual = {page: client.get(url_of(page, figure)).status_code for page in TABLE}
    assert actual == expected


def test_the_lead_unit_sees_only_the_figures_of_indicators_it_leads(client, users):
    """市场监管局 leads 企业开办 but not 纳税: a 纳税 figure's history is closed to it."""
    tax = Figure.objects.create(
        unit=Unit.objects.get(code="tax"), metric=Metric.objects.get(code="tax_hours"), period=date(2022, 6, 1), value=1, cases=1
    )
    client.force_login(users["lead"])
    assert client.get(reverse("indicators:figure-history", args=[tax.pk])).status_code == 403


def test_a_reporter_cannot_post_to_another_units_workflow(client, users):
    client.force_login(users["reporter"])
    for step in ("approve", "accept", "return", "correction"):
        url = reverse("indicators:entry-step", args=["qidong", "2022-06", step])
        assert client.post(url, {"reason": "x"}).status_code == 403
