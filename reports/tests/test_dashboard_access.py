"""Who sees which dashboard page: a role × page table, checked on the server.

The office, administrators and leaders see everything; a lead unit (市市场监督管理局
leads 企业开办) sees its indicators' metrics across units; reporters and approvers see
their own unit's scorecard and cells, the city counts and the rankings. Leaders are
read-only: no reminders."""

from datetime import date

import pytest

from reports.tests.dashboard_data import demo_year

ROLES = ["reporter", "approver", "lead", "office", "leader", "admin"]

# page → status for reporter, approver, lead, office, leader, admin (衡南县 users; the
# lead is 市市场监督管理局, which leads 企业开办 but not 纳税).
TABLE = {
    "/reports/dashboard/?period=2022-06": (200, 200, 200, 200, 200, 200),
    "/reports/dashboard/list/?period=2022-06": (200, 200, 200, 200, 200, 200),
    "/reports/dashboard/metrics/2022/business_start_days/": (403, 403, 200, 200, 200, 200),
    "/reports/dashboard/metrics/2022/tax_payments/": (403, 403, 403, 200, 200, 200),
    "/reports/dashboard/units/hengnan/?period=2022-06": (200, 200, 403, 200, 200, 200),
    "/reports/dashboard/units/qidong/?period=2022-06": (403, 403, 403, 200, 200, 200),
    "/reports/dashboard/units/amr/?period=2022-06": (403, 403, 200, 200, 200, 200),
    "/reports/dashboard/figure/business_start_days/hengnan/2022-06/": (200, 200, 200, 200, 200, 200),
    "/reports/dashboard/figure/business_start_days/qidong/2022-06/": (403, 403, 200, 200, 200, 200),
    "/reports/dashboard/rankings/?period=2022-06": (200, 200, 200, 200, 200, 200),
    "/reports/dashboard/completeness/?period=2022-06": (403, 403, 403, 200, 200, 200),
    "/api/v1/status?period=2022-06": (200, 200, 200, 200, 200, 200),
    "/api/v1/metrics/business_start_days/series?year=2022": (403, 403, 200, 200, 200, 200),
    "/api/v1/completeness?period=2022-06": (403, 403, 403, 200, 200, 200),
}


@pytest.fixture
def year(plan_2022):
    return demo_year(plan_2022, today=date(2022, 8, 1))  # January to June


@pytest.mark.parametrize("role", ROLES)
def test_role_page_table(client, users, year, role):
    client.force_login(users[role])
    column = ROLES.index(role)
    expected = {url: codes[column] for url, codes in TABLE.items()}

    actual = {url: client.get(url).status_code for url in TABLE}

    assert actual == expected


def test_the_tax_metric_code_in_the_table_exists(year):
    # Guards the table above against a renamed metric turning a 403 into a 404.
    from indicators.models import Metric

    m = Metric.objects.select_related("indicator__lead_unit").get(plan=year, code="tax_payments")
    assert m.indicator.lead_unit.code == "tax"


def test_anonymous_users_are_sent_to_login_and_the_api_says_401(client, year):
    for url in TABLE:
        response = client.get(url)
        if url.startswith("/api/"):
            assert response.status_code == 401
            assert response.json() == {"error": "请先登录。"}
        else:
            assert response.status_code == 302
            assert response.url.startswith("/accounts/login/")


def test_a_reporter_sees_own_unit_and_city_only(client, users, year):
    client.force_login(users["reporter"])
    ov = client.get("/reports/dashboard/?period=2022-06").context["ov"]
    assert [u.code for u in ov.columns] == ["hengnan"]
    assert ov.totals  # the city counts are there
    api = client.get("/api/v1/status?period=2022-06").json()
    assert {r["unit"] for r in api["rows"]} == {"hengnan", "city"}


def test_a_lead_unit_sees_every_unit_for_the_metrics_it_leads_only(client, users, year):
    client.force_login(users["lead"])
    ov = client.get("/reports/dashboard/?period=2022-06").context["ov"]
    led = {r.metric.indicator.lead_unit.code for row in ov.rows for r in row.cells if r and r.unit.code != "amr"}
    assert led == {"amr"}
    assert len(ov.columns) > 10


def test_leaders_cannot_send_reminders(client, users, year):
    client.force_login(users["leader"])
    response = client.post("/reports/dashboard/completeness/remind/", {"period": "2022-06", "all": "1"})
    assert response.status_code == 403
    page = client.get("/reports/dashboard/completeness/?period=2022-06")
    assert b'id="remind-form"' not in page.content
    assert "只读" in page.content.decode()


@pytest.mark.parametrize("role", ["reporter", "approver", "lead"])
def test_unit_users_cannot_send_reminders(client, users, year, role):
    client.force_login(users[role])
    response = client.post("/reports/dashboard/completeness/remind/", {"period": "2022-06", "all": "1"})
    assert response.status_code == 403


def test_reminders_must_be_posted(client, users, year):
    client.force_login(users["office"])
    assert client.get("/reports/dashboard/completeness/remind/").status_code == 405


def test_a_page_cached_for_the_office_is_not_shown_to_a_reporter(client, users, year):
    """The overview's HTML is cached per what its viewer may see: a reporter who asks
    after the office gets their own unit's cells, not the office's cached matrix."""
    client.force_login(users["office"])
    office_html = client.get("/reports/dashboard/?period=2022-06").content.decode()
    assert "/reports/dashboard/figure/business_start_days/qidong/2022-06/" in office_html

    for role in ("reporter", "approver", "lead"):
        client.force_login(users[role])
        html = client.get("/reports/dashboard/?period=2022-06").content.decode()
        assert "/reports/dashboard/figure/tax_payments/qidong/2022-06/" not in html, role
        assert "/reports/dashboard/figure/business_start_days/hengnan/2022-06/" in html, role  # own unit, or led
    client.force_login(users["other_reporter"])
    html = client.get("/reports/dashboard/?period=2022-06").content.decode()
    assert "/reports/dashboard/figure/business_start_days/hengnan/2022-06/" not in html
    assert "/reports/dashboard/figure/business_start_days/qidong/2022-06/" in html


# -- no link to a page the viewer cannot open ------------------------------------------
LINK_PAGES = [
    "/",
    "/reports/dashboard/?period=2022-06",
    "/reports/dashboard/list/?period=2022-06",
    "/reports/dashboard/rankings/?period=2022-06",
    "/reports/dashboard/units/mine/",
]


def _links(html: str) -> set[str]:
    import re

    hrefs = {h.replace("&amp;", "&") for h in re.findall(r'href="(/[^"#]*)"', html)}
    return {h for h in hrefs if not h.startswith(("/static/", "/accounts/logout", "/admin/")) and "_export=" not in h}


@pytest.mark.parametrize("role", ["reporter", "approver", "lead", "leader", "dept_reporter"])
def test_every_link_on_a_role_s_pages_opens(client, users, year, role):
    client.force_login(users[role])
    seen: dict[str, int] = {}
    for page in LINK_PAGES:
        response = client.get(page, follow=True)
        assert response.status_code == 200, page
        for link in _links(response.content.decode()) - set(seen):
            seen[link] = client.get(link).status_code
    forbidden = sorted(link for link, code in seen.items() if code == 403)
    assert forbidden == []
    assert any("/reports/dashboard/units/" in link for link in seen)  # the own unit is still linked


def test_rankings_link_only_the_units_the_viewer_may_open(client, users, year):
    client.force_login(users["reporter"])
    html = client.get("/reports/dashboard/rankings/?period=2022-06").content.decode()
    assert 'href="/reports/dashboard/units/hengnan/"' in html
    assert 'href="/reports/dashboard/units/qidong/"' not in html and "祁东县" in html
    client.force_login(users["office"])
    html = client.get("/reports/dashboard/rankings/?period=2022-06").content.decode()
    assert 'href="/reports/dashboard/units/qidong/"' in html
