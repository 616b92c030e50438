"""The office edits the periodic schedules (django-celery-beat) in admin: office users are
staff who may change the time of day of the declared schedules and switch them on or off,
nothing else (no task names, arguments, new tasks, "run selected tasks", nor the sweep);
and beat's pages run their script under the CSP."""

import re

import pytest
from django.contrib.auth.models import User
from django_celery_beat.models import PeriodicTask

from actions.models import Membership
from actions.staff import OFFICE_GROUP, office_admin_sync_all
from reports.schedules import SCHEDULES, SWEEP_NAME, schedules_sync


@pytest.fixture
def schedules(db):
    schedules_sync()
    return PeriodicTask.objects.get(name=SCHEDULES[0].name)


def test_office_users_are_staff_in_the_schedule_group(users):
    office = User.objects.get(pk=users["office"].pk)
    assert office.is_staff and not office.is_superuser
    assert office.groups.filter(name=OFFICE_GROUP).exists()
    assert office.has_perm("django_celery_beat.change_periodictask")
    assert not office.has_perm("django_celery_beat.add_periodictask")
    assert not office.has_perm("django_celery_beat.add_crontabschedule")
    assert not office.has_perm("django_celery_beat.change_crontabschedule")
    assert not office.has_perm("auth.change_user") and not office.has_perm("indicators.change_figure")
    for role in ("reporter", "approver", "lead", "leader"):
        assert not User.objects.get(pk=users[role].pk).is_staff, role


def test_the_office_changes_a_schedules_time_of_day_in_admin(client, users, schedules):
    client.force_login(users["office"])
    assert client.get("/admin/django_celery_beat/periodictask/").status_code == 200
    url = f"/admin/django_celery_beat/periodictask/{schedules.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200 and "执行时间" in page.content.decode()
    bulletin = PeriodicTask.objects.get(name=SCHEDULES[1].name)  # also 9:00, other days

    response = client.post(url, {"time": "10:30", "_save": "保存"})  # switched off: "enabled" unticked

    assert response.status_code == 302, response.content.decode()[:2000]
    schedules.refresh_from_db()
    assert (schedules.crontab.hour, schedules.crontab.minute, schedules.crontab.day_of_month) == ("10", "30", "6-12")
    assert schedules.enabled is False and schedules.task == SCHEDULES[0].task
    bulletin.refresh_from_db()
    assert (bulletin.crontab.hour, bulletin.crontab.minute) == ("9", "0")  # not moved with it


FORGED = {
    "name": "月调度：截止日后生成上月调度",
    "task": "reports.tasks.report_build_task",
    "regtask": "reports.tasks.report_build_task",
    "args": '["dispatch", "2022-06"]',
    "kwargs": '{"issue": true, "user_id": 1, "changes": [{"figure": "x", "unit": "y", "old": "1", "new": "2"}]}',
    "enabled": "on",
    "time": "9:00",
    "_save": "保存",
}


def test_the_office_cannot_change_a_schedules_task_or_arguments(client, users, schedules):
    client.force_login(users["office"])
    url = f"/admin/django_celery_beat/periodictask/{schedules.pk}/change/"

    client.post(url, FORGED | {"user_id": users["leader"].pk})

    schedules.refresh_from_db()
    assert schedules.task == SCHEDULES[0].task and schedules.args == "[]" and schedules.kwargs == "{}"


def test_the_office_cannot_add_a_task(client, users, schedules):
    client.force_login(users["office"])
    before = PeriodicTask.objects.count()

    assert client.get("/admin/django_celery_beat/periodictask/add/").status_code == 403
    assert client.post("/admin/django_celery_beat/periodictask/add/", FORGED | {"name": "伪造"}).status_code == 403
    assert PeriodicTask.objects.count() == before
    assert client.get("/admin/django_celery_beat/crontabschedule/add/").status_code == 403


def test_the_office_cannot_run_selected_tasks(client, users, schedules, monkeypatch):
    from celery import Task

    sent = []
    monkeypatch.setattr(Task, "apply_async", lambda self, *a, **kw: sent.append(self.name))
    client.force_login(users["office"])
    changelist = "/admin/django_celery_beat/periodictask/"
    assert "run_tasks" not in client.get(changelist).content.decode()

    client.post(changelist, {"action": "run_tasks", "_selected_action": [schedules.pk], "index": 0})

    assert sent == []


def test_the_sweep_is_not_the_offices(client, users, schedules):
    sweep = PeriodicTask.objects.get(name=SWEEP_NAME)
    client.force_login(users["office"])

    assert SWEEP_NAME not in client.get("/admin/django_celery_beat/periodictask/").content.decode()
    assert client.get(f"/admin/django_celery_beat/periodictask/{sweep.pk}/change/").status_code == 302  # "does not exist"
    client.post(f"/admin/django_celery_beat/periodictask/{sweep.pk}/change/", {"time": "3:00", "_save": "保存"})
    client.post(
        "/admin/django_celery_beat/periodictask/",
        {"action": "disable_tasks", "_selected_action": [sweep.pk], "index": 0},
    )

    sweep.refresh_from_db()
    assert sweep.enabled and sweep.crontab.minute == "*"


def test_a_sweep_switched_off_before_is_put_back_by_the_sync(schedules):
    sweep = PeriodicTask.objects.get(name=SWEEP_NAME)
    PeriodicTask.objects.filter(pk=sweep.pk).update(enabled=False, kwargs='{"x": 1}')
    schedules_sync()
    sweep.refresh_from_db()
    assert sweep.enabled and sweep.kwargs == "{}"


def test_an_administrator_keeps_beats_full_admin(client, users, schedules):
    client.force_login(users["admin"])
    page = client.get(f"/admin/django_celery_beat/periodictask/{schedules.pk}/change/").content.decode()
    assert 'name="task"' in page and 'name="kwargs"' in page


def test_the_office_sees_nothing_else_in_admin(client, users):
    client.force_login(users["office"])
    assert client.get("/admin/auth/user/").status_code == 403
    assert client.get("/admin/indicators/figure/").status_code == 403


def test_other_roles_cannot_open_admin(client, users):
    client.force_login(users["leader"])
    response = client.get("/admin/django_celery_beat/periodictask/")
    assert response.status_code == 302 and "/admin/login/" in response.url


def test_leaving_the_office_takes_the_access_away(users):
    membership = users["office"].membership
    membership.role = Membership.Role.LEADER
    membership.save()
    user = User.objects.get(pk=users["office"].pk)
    assert not user.is_staff and not user.groups.exists()
    # an administrator keeps admin whatever happens to the office group
    assert User.objects.get(pk=users["admin"].pk).is_staff


def test_office_users_made_before_are_brought_in_step_after_migrate(users):
    User.objects.filter(pk=users["office"].pk).update(is_staff=False)
    users["office"].groups.clear()

    office_admin_sync_all()

    user = User.objects.get(pk=users["office"].pk)
    assert user.is_staff and user.has_perm("django_celery_beat.change_periodictask")


def test_a_group_that_held_every_beat_permission_is_narrowed(users):
    from django.contrib.auth.models import Group, Permission

    group = Group.objects.get(name=OFFICE_GROUP)
    group.permissions.set(Permission.objects.filter(content_type__app_label="django_celery_beat"))  # as main made it

    office_admin_sync_all()

    user = User.objects.get(pk=users["office"].pk)
    assert not user.has_perm("django_celery_beat.add_periodictask")
    assert not user.has_perm("django_celery_beat.add_crontabschedule")


def test_beats_inline_script_carries_the_policy_nonce(client, users, schedules):
    client.force_login(users["office"])
    response = client.get(f"/admin/django_celery_beat/periodictask/{schedules.pk}/change/")
    body = response.content.decode()
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    inline = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)([^>]*)>", body)
    assert inline, "beat's crontab script is on the page"
    assert all(f'nonce="{nonce}"' in attrs for attrs in inline), inline


def test_the_schedules_are_described_in_chinese(schedules):
    reminders = PeriodicTask.objects.get(name=SCHEDULES[2].name).crontab
    assert reminders.human_readable == "在 09:00, 每月的 3 和 5 号 Asia/Shanghai"
