"""The unit's task ledger page: its own deliverables with this month's state, note and
evidence; a unit sees only its own, the office and leaders read every unit's."""

import re

import pytest

from indicators.tests.ledger_base import AUG, SEPT, WINDOW, ledger_today, report  # noqa: F401

pytestmark = pytest.mark.usefixtures("ledger_today")
URL = "/indicators/ledger/units/{}/{}/"


def test_it_lists_the_units_deliverables_with_their_state(client, users):
    report(WINDOW, "hengnan", AUG, "in_progress", user=users["reporter"], note="已选址")
    client.force_login(users["reporter"])

    response = client.get(URL.format("hengnan", "2022-09"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "政务服务中心“办不成事”反映窗口" in html
    assert "用电红线外接入工程“零投资”" in html  # co-operating unit of 获得电力's deliverable
    assert "办税服务厅标准化建设" not in html  # the tax bureau's alone
    rows = {r.deliverable.code: r for r in response.context["rows"]}
    assert rows[WINDOW].state.label == "推进中"  # August's report carries into September
    assert rows[WINDOW].report is None  # but September is not yet reported
    assert "本月未报" in html
    assert f"/indicators/ledger/units/hengnan/2022-09/{rows[WINDOW].deliverable.pk}/" in html  # 填报 link


def test_past_due_and_not_done_shows_overdue(client, users, settings):
    from datetime import date

    settings.DEMO_TODAY = date(2023, 1, 10)  # the plan gives no date: judged at the year's end
    report(WINDOW, "hengnan", date(2022, 12, 1), "in_progress", user=users["reporter"])
    client.force_login(users["reporter"])
    response = client.get(URL.format("hengnan", "2022-12"))
    assert {r.deliverable.code: r.state.label for r in response.context["rows"]}[WINDOW] == "滞后"
    response = client.get(URL.format("hengnan", "2023-01"))
    assert response.status_code == 404  # no 2023 plan


def test_the_state_on_the_year_end_month_becomes_overdue_after_it(client, users, settings):
    from datetime import date

    settings.DEMO_TODAY = date(2023, 1, 10)
    client.force_login(users["office"])
    response = client.get(URL.format("hengnan", "2022-12"))
    # December is over: an item the plan gives no date for and not done is 滞后
    assert {r.deliverable.code: r.state.label for r in response.context["rows"]}[WINDOW] == "滞后"
    settings.DEMO_TODAY = date(2022, 12, 31)  # on its last day it is still on time
    response = client.get(URL.format("hengnan", "2022-12"))
    assert {r.deliverable.code: r.state.label for r in response.context["rows"]}[WINDOW] == "未启动"


@pytest.mark.parametrize(
    "who, status",
    [("reporter", 200), ("approver", 200), ("other_reporter", 403), ("dept_reporter", 403), ("office", 200), ("leader", 200)],
)
def test_a_unit_sees_only_its_own(client, users, who, status):
    client.force_login(users[who])
    assert client.get(URL.format("hengnan", "2022-09")).status_code == status


def test_only_the_units_reporter_gets_the_form_link(client, users):
    for who in ("office", "leader", "approver"):
        client.force_login(users[who])
        response = client.get(URL.format("hengnan", "2022-09"))
        assert re.search(r"/indicators/ledger/units/hengnan/2022-09/\d+/", response.content.decode()) is None
        assert 'data-testid="ledger-readonly"' in response.content.decode()


def test_a_month_not_yet_begun_is_read_only(client, users):
    client.force_login(users["reporter"])
    response = client.get(URL.format("hengnan", "2022-11"))
    assert response.status_code == 200 and not response.context["may_report"]


def test_the_query_count_is_fixed(client, users, django_assert_max_num_queries):
    report(WINDOW, "hengnan", SEPT, "done", user=users["reporter"], with_file=True)
    client.force_login(users["reporter"])
    with django_assert_max_num_queries(16):
        client.get(URL.format("hengnan", "2022-09"))


def test_a_lead_department_finds_the_tasks_it_leads(client, users):
    client.force_login(users["lead"])  # 市场监管局: 企业开办, 市场监管, 知识产权
    response = client.get(URL.format("amr", "2022-09"))
    assert [t.code for t in response.context["led"]] == ["a1-1", "a4-1", "a5-2"]
    assert "/indicators/ledger/tasks/2022/a1-1/?month=2022-09" in response.content.decode()
