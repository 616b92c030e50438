"""Building and issuing a document go only through the services that check who asks: the
worker builds what a service recorded under the job's task id, never what a task's
arguments say. The forged path of issue 19 — a periodic task for `report_build_task` with
kwargs {"issue": true, "user_id": <leader>, "changes": [...]} run from the scheduler
admin — issues nothing; an issued document's 印发人 is the person who issued it."""

import pytest
from django.core.exceptions import ValidationError
from django_celery_beat.models import PeriodicTask

from hengyang_ybe.celery import app
from reports import tasks
from reports.models import DocNumber, Report
from reports.services.build import report_build, report_build_request
from reports.tests.reportdata import june

INVENTED = [{"figure": "企业开办时间", "unit": "衡南县", "old": "3个工作日", "new": "0.1个工作日"}]


@pytest.fixture
def data(plan_2022, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return june(plan_2022) | {"users": users}


@pytest.fixture
def eager(monkeypatch):
    """Tasks sent from the admin run here and now, as a worker would run them."""
    monkeypatch.setattr(app.conf, "task_always_eager", True)


def forged_kwargs(users) -> dict:
    return {"issue": True, "user_id": users["leader"].pk, "changes": INVENTED}


def nothing_issued():
    return not Report.objects.filter(issued_at__isnull=False).exists() and not DocNumber.objects.exists()


def test_the_task_refuses_an_issue_flag_and_a_user_in_its_arguments(data):
    result = tasks.report_build_task.apply(args=["dispatch", "2022-06"], kwargs=forged_kwargs(data["users"]))

    assert result.failed() and isinstance(result.result, TypeError)
    assert not Report.objects.exists() and nothing_issued()


def test_a_task_nobody_requested_builds_nothing(data):
    result = tasks.report_build_task.apply(args=["dispatch", "2022-06"], task_id="made-up").get()

    assert result["ok"] is False and not Report.objects.exists()


def test_the_forged_periodic_task_run_from_admin_issues_nothing(client, data, eager):
    """Even an administrator's "Run selected tasks" (the office no longer has it) of a task
    row carrying the forged arguments produces no document."""
    import json

    from django_celery_beat.models import CrontabSchedule

    crontab = CrontabSchedule.objects.create(minute="0", hour="9")
    forged = json.dumps(forged_kwargs(data["users"]))
    build = {"task": "reports.tasks.report_build_task", "args": '["dispatch", "2022-06"]', "crontab": crontab}
    row = PeriodicTask.objects.create(name="伪造", kwargs=forged, **build)
    plain = PeriodicTask.objects.create(name="伪造2", **build)
    client.force_login(data["users"]["admin"])

    for task in (row, plain):
        response = client.post(
            "/admin/django_celery_beat/periodictask/",
            {"action": "run_tasks", "_selected_action": [task.pk], "index": 0},
            follow=True,
        )
        assert "不是系统定义的定时任务" in response.content.decode()

    assert not Report.objects.exists() and nothing_issued()


def test_only_the_office_may_ask_for_an_issued_build(data):
    for role in ("leader", "reporter", "lead"):
        with pytest.raises(ValidationError, match="只有市优化办"):
            report_build_request(kind="dispatch", key="2022-06", user=data["users"][role], changes=INVENTED, issue=True)
        with pytest.raises(ValidationError, match="只有市优化办"):
            report_build(kind="dispatch", key="2022-06", user=data["users"][role], issue=True)
    assert nothing_issued()


def test_the_worker_issues_what_the_office_asked_in_its_name(transactional_db, data, monkeypatch):
    sent = []
    monkeypatch.setattr(tasks.report_build_task, "apply_async", lambda **kw: sent.append(kw))
    office = data["users"]["office"]
    report_build(kind="dispatch", key="2022-06", user=office, issue=True)

    series = report_build_request(kind="dispatch", key="2022-06", user=office, changes=INVENTED, issue=True)

    assert sent == [{"args": ["dispatch", "2022-06"], "task_id": series.task_id, "retry": False}]  # no issue, no user
    tasks.report_build_task.apply(args=["dispatch", "2022-06"], task_id=series.task_id).get()
    correction = Report.objects.get(is_correction=True)
    assert correction.state == Report.State.ISSUED and correction.issued_by == office and correction.changes == INVENTED
