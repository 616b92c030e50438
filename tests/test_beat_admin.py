"""The office edits the periodic schedules (django-celery-beat) in admin: office users are
staff with exactly those permissions, and beat's pages run their script under the CSP."""

import re

import pytest
from django.contrib.auth.models import User
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from actions.models import Membership
from actions.staff import OFFICE_GROUP, office_admin_sync_all
from reports.schedules import SCHEDULES, schedules_sync


@pytest.fixture
def schedules(db):
    schedules_sync()
    return PeriodicTask.objects.get(name=SCHEDULES[0].name)


def test_office_users_are_staff_in_the_schedule_group(users):
    office = User.objects.get(pk=users["office"].pk)
    assert office.is_staff and not office.is_superuser
    assert office.groups.filter(name=OFFICE_GROUP).exists()
    assert office.has_perm("django_celery_beat.change_periodictask")
    assert office.has_perm("django_celery_beat.add_crontabschedule")
    assert not office.has_perm("auth.change_user") and not office.has_perm("indicators.change_figure")
    for role in ("reporter", "approver", "lead", "leader"):
        assert not User.objects.get(pk=users[role].pk).is_staff, role


def test_the_office_changes_a_schedule_in_admin(client, users, schedules):
    client.force_login(users["office"])
    assert client.get("/admin/django_celery_beat/periodictask/").status_code == 200
    url = f"/admin/django_celery_beat/periodictask/{schedules.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200

    later = CrontabSchedule.objects.create(minute="30", hour="10", day_of_month="6-12", timezone="Asia/Shanghai")
    form = {k: v for k, v in page.context["adminform"].form.initial.items() if v is not None and not isinstance(v, list)}
    form |= {
        "name": schedules.name,
        "task": schedules.task,
        "crontab": later.pk,
        "enabled": "on",
        "args": "[]",
        "kwargs": "{}",
        "description": schedules.description,
        "expire_seconds": "",
        "priority": "",
        "queue": "",
        "exchange": "",
        "routing_key": "",
        "headers": "{}",
        "start_time_0": "",
        "start_time_1": "",
        "expires_0": "",
        "expires_1": "",
        "clocked": "",
        "interval": "",
        "solar": "",
        "regtask": "",
        "_save": "保存",
    }
    response = client.post(url, form)

    assert response.status_code == 302, response.content.decode()[:2000]
    schedules.refresh_from_db()
    assert schedules.crontab_id == later.pk


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
    assert user.is_staff and user.has_perm("django_celery_beat.change_crontabschedule")


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
