"""The periodic schedule (declared in reports/schedules.py, synced into django-celery-beat
after migrate, visible and editable in admin) and the scheduled jobs' decisions."""

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse
from django_celery_beat.models import PeriodicTask

from actions.models import Membership
from reports import tasks
from reports.models import Report, ReportSeries
from reports.schedules import SCHEDULES, schedules_sync
from reports.services.reminders import missing_units_remind, month_lock
from reports.tests.reportdata import JUNE, june


def test_the_schedule_rows_exist_after_migrate(db):
    rows = {t.name: t for t in PeriodicTask.objects.select_related("crontab")}
    for s in SCHEDULES:
        row = rows[s.name]
        assert row.task == s.task and row.enabled
        assert str(row.crontab.timezone) == "Asia/Shanghai"
    dispatch = rows[SCHEDULES[0].name].crontab
    assert (dispatch.hour, dispatch.day_of_month) == ("9", "6-12")
    bulletin = rows[SCHEDULES[1].name].crontab
    assert (bulletin.day_of_month, bulletin.month_of_year) == ("10", "1,4,7,10")
    assert rows[SCHEDULES[2].name].crontab.day_of_month == "3,5"


def test_sync_creates_what_is_missing_and_keeps_office_edits(db):
    edited = PeriodicTask.objects.get(name=SCHEDULES[0].name)
    edited.enabled = False
    edited.crontab.hour = "15"
    edited.crontab.save()
    edited.save()
    PeriodicTask.objects.filter(name=SCHEDULES[1].name).delete()

    assert schedules_sync() == 1
    edited.refresh_from_db()
    assert not edited.enabled and edited.crontab.hour == "15"
    assert PeriodicTask.objects.filter(name=SCHEDULES[1].name).exists()
    assert schedules_sync() == 0


def test_the_schedule_is_visible_in_admin(client, users):
    client.force_login(users["admin"])
    page = client.get(reverse("admin:django_celery_beat_periodictask_changelist")).content.decode()
    for s in SCHEDULES:
        assert s.name in page


@pytest.fixture
def frozen(monkeypatch):
    def at(day):
        monkeypatch.setattr(tasks.clock, "today", lambda: day)

    return at


def test_the_dispatch_waits_for_the_deadline_then_builds_once(plan_2022, frozen, monkeypatch):
    june(plan_2022)  # June's deadline: 6 July
    requested = []
    monkeypatch.setattr("reports.services.build.report_build_request", lambda **kw: requested.append(kw))
    frozen(date(2022, 7, 6))
    assert "未过" in tasks.dispatch_scheduled()
    frozen(date(2022, 7, 7))
    assert "已排队" in tasks.dispatch_scheduled()
    assert requested == [{"kind": "dispatch", "key": "2022-06"}]


def test_the_bulletin_is_built_for_the_quarter_just_ended(plan_2022, frozen, monkeypatch):
    requested = []
    monkeypatch.setattr("reports.services.build.report_build_request", lambda **kw: requested.append(kw))
    frozen(date(2022, 7, 10))
    tasks.bulletin_scheduled()
    frozen(date(2022, 8, 10))  # the office moved the schedule by mistake: nothing to build
    assert "跳过" in tasks.bulletin_scheduled()
    assert requested == [{"kind": "bulletin", "key": "2022Q2"}]


def test_reminders_go_to_reporters_of_units_still_missing(plan_2022, users, frozen):
    june(plan_2022)
    users["other_reporter"].email = "qidong@example.cn"  # 祁东县 has submitted (late)
    users["other_reporter"].save()
    reporter = users["reporter"]  # 衡南县 has submitted
    reporter.email = "hengnan@example.cn"
    reporter.save()
    from conftest import make_user

    zhuhui = make_user("zhuhui_reporter", Membership.Role.REPORTER, "zhuhui", email="zhuhui@example.cn")
    names = missing_units_remind(period=JUNE, today=date(2022, 7, 3))
    assert "珠晖区" in names and "衡南县" not in names and "祁东县" not in names
    assert [m.to for m in mail.outbox] == [[zhuhui.email]]
    assert "【催报】" in mail.outbox[0].subject and "2022年7月6日" in mail.outbox[0].body

    frozen(date(2022, 7, 7))  # after the deadline the scheduled job no longer chases
    assert "截止日已过" in tasks.reminders_scheduled()


def test_a_month_closes_after_its_lock_date(plan_2022):
    june(plan_2022)  # June locks on 15 July
    assert month_lock(period=JUNE, today=date(2022, 7, 15)) is False
    assert month_lock(period=JUNE, today=date(2022, 7, 16)) is True
    assert month_lock(period=date(2022, 8, 1), today=date(2022, 9, 30)) is True  # created with defaults


def test_the_build_task_records_a_data_error_without_retrying(plan_2022, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ReportSeries.objects.create(kind="dispatch", key="2019-06", job_state="queued", task_id="t-2019")  # as recorded
    result = tasks.report_build_task.apply(args=["dispatch", "2019-06"], task_id="t-2019").get()
    assert result["ok"] is False and "2019" in result["error"]
    assert not Report.objects.exists()


def test_the_build_task_retries_a_transient_database_error(plan_2022, settings, tmp_path, monkeypatch):
    from django.db import OperationalError

    from reports.services import build

    settings.MEDIA_ROOT = tmp_path
    real, calls = build.report_build, []

    def flaky(**kw):
        calls.append(kw)
        if len(calls) == 1:
            raise OperationalError("database is locked")
        return real(**kw)

    monkeypatch.setattr(build, "report_build", flaky)
    ReportSeries.objects.create(kind="bulletin", key="2022Q2", job_state="queued", task_id="t-q2")  # as recorded
    result = tasks.report_build_task.apply(args=["bulletin", "2022Q2"], task_id="t-q2").get()
    assert result["ok"] and len(calls) == 2
    assert Report.objects.get().version == 1
    assert tasks.report_build_task.max_retries == 5 and tasks.report_build_task.acks_late


def test_a_fresh_process_knows_the_tasks_the_services_queue_by_name():
    """The services queue their tasks by name (reports.tasks imports the services, never
    the reverse): a process that never imports reports.tasks itself, the web's, must still
    find both names among its Celery tasks (ReportsConfig.ready registers them), or
    生成/催报 would fail there with a KeyError."""
    code = (
        "import django; django.setup()\n"
        "from celery import current_app\n"
        "from reports.services import build, reminders\n"
        "print(build.BUILD_TASK in current_app.tasks, reminders.ROBOTS_TASK in current_app.tasks)\n"
    )
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["True", "True"]


def test_overdue_orders_are_reminded_daily_by_the_schedule_once_a_day(users, plan_2022, frozen, settings):
    from actions.models import Notification
    from reports.supervision.models import SupervisionEvent
    from reports.tests.supervision_data import metric_led_by, order_on

    row = PeriodicTask.objects.select_related("crontab").get(task="reports.tasks.supervision_overdue_scheduled")
    assert row.enabled and row.crontab.day_of_month == "*" and str(row.crontab.timezone) == "Asia/Shanghai"
    order = order_on(users["office"], "hengnan", metric_led_by("amr", "hengnan"), due=date(2022, 7, 15))
    Notification.objects.all().delete()
    settings.DEMO_TODAY = date(2022, 7, 16)
    frozen(date(2022, 7, 16))
    assert "1 个可办理的账号" in tasks.supervision_overdue_scheduled()
    assert "没有需要提醒" in tasks.supervision_overdue_scheduled()  # the same day: once
    assert list(Notification.objects.values_list("user__username", flat=True)) == ["hengnan_reporter"]
    settings.DEMO_TODAY = date(2022, 7, 17)
    frozen(date(2022, 7, 17))
    tasks.supervision_overdue_scheduled()
    assert Notification.objects.count() == 2
    assert SupervisionEvent.objects.filter(order=order, action="reminded").count() == 2
