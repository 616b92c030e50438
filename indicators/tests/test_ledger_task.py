"""A task's ledger page: its deliverables, each with every responsible unit's state and
the deliverable's, and the task's state (完成 / 推进中 / 滞后)."""

from datetime import date

import pytest

from indicators.tests.ledger_base import SEPT, ledger_today, report  # noqa: F401

pytestmark = pytest.mark.usefixtures("ledger_today")
URL = "/indicators/ledger/tasks/2022/a5-3/"  # 提升合同执行质效: 执行事务中心, 特邀调解制度 (法院)


def test_it_shows_the_deliverables_and_the_tasks_state(client, users):
    report("a5-3-enforcement-center", "court", SEPT, "done", with_file=True)
    report("a5-3-invited-mediation", "court", SEPT, "in_progress")
    client.force_login(users["office"])

    response = client.get(URL + "?month=2022-09")

    assert response.status_code == 200
    html = response.content.decode()
    assert "执行事务中心和“一站式”执行事务服务窗口" in html and "建立特邀调解制度" in html
    assert "市中级人民法院(责任):已完成" in html
    assert response.context["state"].label == "推进中"
    assert 'data-testid="task-state">推进中' in html


def test_a_deliverable_past_the_year_end_not_done_makes_the_task_overdue(client, users, settings):
    settings.DEMO_TODAY = date(2023, 1, 20)
    report("a5-3-enforcement-center", "court", date(2022, 12, 1), "done", with_file=True)
    report("a5-3-invited-mediation", "court", date(2022, 12, 1), "in_progress")
    client.force_login(users["leader"])
    response = client.get(URL + "?month=2022-12")
    assert response.context["state"].label == "滞后"  # the year is over: judged at its end
    rows = {r.deliverable.code: r.state.label for r in response.context["table"].data}
    assert rows == {"a5-3-enforcement-center": "已完成", "a5-3-invited-mediation": "滞后"}


@pytest.mark.parametrize(
    "who, task, status",
    [
        ("office", "a5-3", 200),
        ("leader", "a5-3", 200),
        ("lead", "a1-1", 200),  # 市场监管局 leads 企业开办
        ("lead", "a5-3", 403),
        ("reporter", "a1-3", 403),  # a unit sees its own deliverables on its own page
    ],
)
def test_who_sees_a_task_ledger(client, users, who, task, status):
    client.force_login(users[who])
    assert client.get(f"/indicators/ledger/tasks/2022/{task}/").status_code == status


def test_an_unknown_task_is_404(client, users):
    client.force_login(users["office"])
    assert client.get("/indicators/ledger/tasks/2022/a9-9/").status_code == 404
