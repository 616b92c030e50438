"""Where 任务台账 leads: a unit's users to their unit's page, the office and leaders to
every task with its deliverables counted 已完成 / 推进中 / 滞后 / 未启动."""

from datetime import date

import pytest

from indicators.tests.ledger_base import SEPT, WINDOW, ledger_today, report  # noqa: F401

pytestmark = pytest.mark.usefixtures("ledger_today")


def test_a_reporter_goes_to_the_units_page(client, users):
    client.force_login(users["reporter"])
    response = client.get("/indicators/ledger/?month=2022-09")
    assert response.status_code == 302 and response["Location"] == "/indicators/ledger/units/hengnan/2022-09/"


def test_the_office_sees_every_task_counted(client, users):
    report("a5-3-enforcement-center", "court", SEPT, "done", with_file=True)
    report(WINDOW, "approval", SEPT, "in_progress")
    client.force_login(users["office"])

    response = client.get("/indicators/ledger/?month=2022-09")

    assert response.status_code == 200
    tasks = {t.task.code: t for t in response.context["summary"].tasks}
    assert len(tasks) == 19
    assert (tasks["a5-3"].count("done"), tasks["a5-3"].count("not_started"), tasks["a5-3"].state.label) == (1, 1, "推进中")
    assert tasks["a1-3"].count("in_progress") == 1
    assert "/indicators/ledger/tasks/2022/a5-3/?month=2022-09" in response.content.decode()


def test_after_the_year_end_the_overdue_are_named_with_their_units(client, users, settings):
    settings.DEMO_TODAY = date(2023, 1, 20)
    report("a5-3-enforcement-center", "court", date(2022, 12, 1), "done", with_file=True)
    client.force_login(users["leader"])
    response = client.get("/indicators/ledger/?month=2023-01")
    assert response.status_code == 404  # no 2023 plan
    response = client.get("/indicators/ledger/?month=2022-12")
    summary = response.context["summary"]
    assert summary.as_of == date(2022, 12, 31)
    overdue = {r.deliverable.code: r for r in summary.overdue}
    assert "a5-3-enforcement-center" not in overdue  # done
    assert [u.code for u in overdue["a5-3-invited-mediation"].late_units] == ["court"]
    assert "特邀调解制度(5.3):市中级人民法院" in response.content.decode()


def test_a_deliverable_past_its_due_date_is_named_with_the_units_not_done(client, users):
    from indicators.ledger.models import Deliverable

    Deliverable.objects.filter(code=WINDOW).update(due=date(2022, 8, 31))
    for unit in ("approval", "hengnan"):
        report(WINDOW, unit, SEPT, "done", with_file=True)
    client.force_login(users["office"])

    response = client.get("/indicators/ledger/?month=2022-09")

    overdue = response.context["summary"].overdue
    assert [r.deliverable.code for r in overdue] == [WINDOW]
    late = [u.code for u in overdue[0].late_units]
    assert "hengnan" not in late and "approval" not in late and "qidong" in late
    assert "政务服务中心“办不成事”反映窗口(1.3):" in response.content.decode()
