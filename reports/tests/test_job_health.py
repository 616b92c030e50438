"""Report jobs never hang: a job no worker picked up within a minute says the background
service is not running and offers a retry; the periodic sweep fails a job whose worker
died and removes its half-written files; the retry builds, the abandoned job does not."""

import os
import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_celery_results.models import TaskResult

from reports import tasks
from reports.jobs import NOT_PICKED_UP, TOO_LONG, WORKER_DIED, report_jobs_sweep
from reports.models import Report, ReportSeries
from reports.schedules import SCHEDULES
from reports.selectors.archive import job_status
from reports.services import report_build_request
from reports.tests.reportdata import june

DETAIL = reverse("reports:archive-detail", args=["dispatch", "2022-06"])
REBUILD = reverse("reports:archive-rebuild", args=["dispatch", "2022-06"])


@pytest.fixture
def queued(monkeypatch):
    sent = []
    monkeypatch.setattr(tasks.report_build_task, "apply_async", lambda **kw: sent.append(kw))
    return sent


@pytest.fixture
def data(plan_2022, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    june(plan_2022)
    return users


def queued_series(seconds_ago: int) -> ReportSeries:
    ReportSeries.objects.update_or_create(
        kind="dispatch",
        key="2022-06",
        defaults={"job_state": "queued", "task_id": "t-old", "requested_at": timezone.now() - timedelta(seconds=seconds_ago)},
    )
    return ReportSeries.objects.get(kind="dispatch", key="2022-06")


# -- not picked up ---------------------------------------------------------------------------
@pytest.mark.parametrize(("seconds", "stuck"), [(59, False), (61, True)])
def test_a_job_nobody_took_within_a_minute_says_the_service_is_not_running(db, seconds, stuck):
    job = job_status(queued_series(seconds))

    assert job["stuck"] is stuck and job["retry"] is stuck
    assert job["label"] == ("后台任务服务未运行" if stuck else "排队中")
    assert (job["error"] == NOT_PICKED_UP) is stuck


def test_a_job_a_worker_started_is_not_stuck(db):
    series = queued_series(300)
    TaskResult.objects.create(task_id=series.task_id, status="STARTED")
    assert not job_status(series)["stuck"]


def test_the_page_says_so_and_offers_a_retry(client, data):
    queued_series(120)
    client.force_login(data["office"])

    page = client.get(DETAIL).content.decode()
    job = client.get(reverse("reports:archive-job", args=["dispatch", "2022-06"])).json()

    assert "后台任务服务未运行" in page and "请联系系统管理员启动后台任务服务" in page
    assert ">重试</button>" in page
    assert job["stuck"] and job["retry"] and job["label"] == "后台任务服务未运行"


def test_the_retry_queues_the_job_again_and_the_abandoned_one_builds_nothing(transactional_db, client, data, queued):
    queued_series(120)
    client.force_login(data["office"])

    client.post(REBUILD)
    client.post(REBUILD)  # a double click on 重试 queues one job

    series = ReportSeries.objects.get(kind="dispatch", key="2022-06")
    assert len(queued) == 1 and queued[0]["task_id"] == series.task_id != "t-old"
    assert series.job_state == "queued" and not job_status(series)["stuck"]
    # the worker comes back and finds both jobs: the abandoned one steps aside
    old = tasks.report_build_task.apply(args=["dispatch", "2022-06"], task_id="t-old").get()
    assert old["ok"] is False and "取代" in old["skipped"] and not Report.objects.exists()
    new = tasks.report_build_task.apply(args=["dispatch", "2022-06"], task_id=series.task_id).get()
    assert new["ok"] and Report.objects.get().version == 1


def test_a_job_queued_within_the_minute_is_not_queued_twice(transactional_db, data, queued):
    report_build_request(kind="dispatch", key="2022-06")
    report_build_request(kind="dispatch", key="2022-06")
    assert len(queued) == 1


# -- the sweep ------------------------------------------------------------------------------
def running(minutes_ago: float, worker="celery@gone") -> ReportSeries:
    started = timezone.now() - timedelta(minutes=minutes_ago)
    ReportSeries.objects.update_or_create(
        kind="dispatch", key="2022-06", defaults={"job_state": "running", "task_id": "t-run", "requested_at": started}
    )
    TaskResult.objects.update_or_create(task_id="t-run", defaults={"status": "STARTED", "worker": worker})
    TaskResult.objects.filter(task_id="t-run").update(date_started=started, date_created=started)
    return ReportSeries.objects.get(kind="dispatch", key="2022-06")


@pytest.fixture
def half_written(settings, tmp_path):
    """What a worker killed mid-render leaves: a temporary file (here of another machine,
    so only its age tells), and a fresh one of a living build that must stay."""
    settings.MEDIA_ROOT = tmp_path
    folder = tmp_path / "reports" / "dispatch" / "2022-06"
    folder.mkdir(parents=True)
    dead = folder / ".dispatch-2022-06.docx.otherhost.4242.0123456789abcdef0123456789abcdef.tmp"
    dead.write_bytes(b"half a file")
    os.utime(dead, (time.time() - 300, time.time() - 300))
    return dead


def test_a_job_whose_worker_does_not_answer_is_failed_and_its_files_removed(db, half_written):
    running(minutes_ago=5)

    swept = report_jobs_sweep(alive={"celery@alive"})

    series = ReportSeries.objects.get()
    assert series.job_state == "failed" and series.error == WORKER_DIED and len(swept) == 1
    assert not half_written.exists()
    assert job_status(series)["retry"]


@pytest.mark.parametrize(
    ("minutes", "alive", "expected"),
    [
        (5, {"celery@gone"}, "running"),  # its worker answers: still working
        (1, {"celery@alive"}, "running"),  # silent, but only just started: grace
        (5, None, "running"),  # the broker cannot ping: only the time limit applies
        (31, None, "failed"),  # no build takes half an hour
        (31, {"celery@gone"}, "failed"),
    ],
)
def test_the_sweep_judges_by_silence_and_by_time(db, minutes, alive, expected):
    running(minutes_ago=minutes)
    report_jobs_sweep(alive=alive)
    series = ReportSeries.objects.get()
    assert series.job_state == expected
    if minutes > 30:
        assert series.error == TOO_LONG


def test_the_sweep_leaves_a_retry_alone(db):
    series = running(minutes_ago=40)
    ReportSeries.objects.filter(pk=series.pk).update(task_id="t-retry", job_state="queued", requested_at=timezone.now())
    assert report_jobs_sweep(alive=None) == []
    assert ReportSeries.objects.get().job_state == "queued"


def test_after_the_sweep_the_retry_works(transactional_db, client, data, queued):
    running(minutes_ago=40)
    report_jobs_sweep(alive=None)
    client.force_login(data["office"])
    assert ">重试</button>" in client.get(DETAIL).content.decode()

    client.post(REBUILD)

    assert len(queued) == 1 and ReportSeries.objects.get().job_state == "queued"


def test_the_sweep_is_declared_and_runs_every_five_minutes():
    sweep = next(s for s in SCHEDULES if s.task == "reports.tasks.report_jobs_sweep_scheduled")
    assert sweep.minute == "*/5" and sweep.hour == "*"
    assert callable(tasks.report_jobs_sweep_scheduled)


def test_the_scheduled_sweep_asks_the_workers(db, monkeypatch):
    running(minutes_ago=5)
    monkeypatch.setattr("reports.jobs.alive_workers", lambda: {"celery@alive"})
    assert "已停止" in tasks.report_jobs_sweep_scheduled()[0]


def test_a_build_outside_a_worker_is_not_swept_by_an_old_job(db, data, monkeypatch):
    """The command builds while an old queued job's result says it started long ago."""
    from reports import services

    series = running(minutes_ago=45)
    TaskResult.objects.filter(task_id="t-run").update(status="SUCCESS")
    seen = []
    real = services._report_record

    def record(*args, **kwargs):
        seen.append(report_jobs_sweep(alive={"celery@alive"}))  # the sweep runs mid-build
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "_report_record", record)
    services.report_build(kind="dispatch", key="2022-06")

    assert seen == [[]]
    series.refresh_from_db()
    assert series.job_state == "done"
