"""Report jobs never hang: a job no worker picked up within a minute says the background
service is not running and offers a retry; the periodic sweep fails a job whose worker
died and removes its half-written files; the retry builds, the abandoned job does not."""

import os
import threading
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
from reports.services.build import report_build_request
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
def running(minutes_ago: float, beat_seconds_ago: float | None = None, worker="celery@gone") -> ReportSeries:
    """A running job started `minutes_ago`, its heartbeat last touched `beat_seconds_ago`
    (None: never, as a job from before heartbeats)."""
    started = timezone.now() - timedelta(minutes=minutes_ago)
    beat = None if beat_seconds_ago is None else timezone.now() - timedelta(seconds=beat_seconds_ago)
    ReportSeries.objects.update_or_create(
        kind="dispatch",
        key="2022-06",
        defaults={"job_state": "running", "task_id": "t-run", "requested_at": started, "heartbeat_at": beat},
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


def test_a_job_whose_heartbeat_stopped_is_failed_and_its_files_removed(db, half_written):
    running(minutes_ago=5, beat_seconds_ago=70)

    swept = report_jobs_sweep()

    series = ReportSeries.objects.get()
    assert series.job_state == "failed" and series.error == WORKER_DIED and len(swept) == 1
    assert not half_written.exists()
    assert job_status(series)["retry"]


@pytest.mark.parametrize(
    ("minutes", "beat", "expected"),
    [
        (5, 5, "running"),  # its heart beats: still working, whatever its worker is called
        (5, 59, "running"),  # one minute is the limit
        (5, 61, "failed"),
        (0.5, None, "running"),  # no beat yet, only just started
        (2, None, "failed"),  # never beat, and started over a minute ago
        (31, 5, "failed"),  # no build takes half an hour
    ],
)
def test_the_sweep_judges_by_the_heartbeat_and_by_time(db, minutes, beat, expected):
    running(minutes_ago=minutes, beat_seconds_ago=beat)
    report_jobs_sweep()
    series = ReportSeries.objects.get()
    assert series.job_state == expected
    if minutes > 30:
        assert series.error == TOO_LONG


def test_a_stopped_heartbeat_offers_the_retry_before_the_sweep_runs(client, data):
    running(minutes_ago=2, beat_seconds_ago=61)
    client.force_login(data["office"])

    job = client.get(reverse("reports:archive-job", args=["dispatch", "2022-06"])).json()

    assert job["retry"] and job["finished"] and job["label"] == "生成中断" and "已停止" in job["error"]
    assert ">重试</button>" in client.get(DETAIL).content.decode()


def test_the_retry_of_a_build_whose_heart_stopped_is_queued_at_once(transactional_db, client, data, queued):
    """Not ten minutes later: the click is not silently ignored."""
    running(minutes_ago=2, beat_seconds_ago=61)
    client.force_login(data["office"])

    client.post(REBUILD)

    series = ReportSeries.objects.get()
    assert len(queued) == 1 and series.job_state == "queued" and series.task_id != "t-run"


def test_a_beating_build_is_not_queued_twice(transactional_db, client, data, queued):
    running(minutes_ago=5, beat_seconds_ago=3)
    client.force_login(data["office"])
    client.post(REBUILD)
    assert queued == [] and ReportSeries.objects.get().job_state == "running"


def test_the_sweep_leaves_a_retry_alone(db):
    series = running(minutes_ago=40)
    ReportSeries.objects.filter(pk=series.pk).update(task_id="t-retry", job_state="queued", requested_at=timezone.now())
    assert report_jobs_sweep() == []
    assert ReportSeries.objects.get().job_state == "queued"


def test_after_the_sweep_the_retry_works(transactional_db, client, data, queued):
    running(minutes_ago=40)
    report_jobs_sweep()
    client.force_login(data["office"])
    assert ">重试</button>" in client.get(DETAIL).content.decode()

    client.post(REBUILD)

    assert len(queued) == 1 and ReportSeries.objects.get().job_state == "queued"


def test_the_sweep_is_declared_and_runs_every_minute():
    sweep = next(s for s in SCHEDULES if s.task == "reports.tasks.report_jobs_sweep_scheduled")
    assert sweep.minute == "*" and sweep.hour == "*" and not sweep.office
    assert callable(tasks.report_jobs_sweep_scheduled)


def test_the_scheduled_sweep_needs_no_worker_names(db):
    running(minutes_ago=5, beat_seconds_ago=120)
    assert "已停止" in tasks.report_jobs_sweep_scheduled()[0]


def test_a_running_build_beats(transactional_db, data, settings, monkeypatch):
    """The build's own thread touches the heartbeat while it renders."""
    from reports.services import build

    settings.REPORT_HEARTBEAT_SECONDS = 0.2
    seen = []
    real = build._report_record

    def record(series, *args, **kwargs):
        before = ReportSeries.objects.get(pk=series.pk).heartbeat_at
        time.sleep(0.8)
        seen.append((before, ReportSeries.objects.get(pk=series.pk).heartbeat_at))
        return real(series, *args, **kwargs)

    monkeypatch.setattr(build, "_report_record", record)
    build.report_build(kind="dispatch", key="2022-06")

    ((before, after),) = seen
    assert before is not None and after > before


def test_a_build_outside_a_worker_is_not_swept_by_an_old_job(db, data, monkeypatch):
    """The command builds while an old queued job's result says it started long ago."""
    from reports.services import build

    series = running(minutes_ago=45)
    TaskResult.objects.filter(task_id="t-run").update(status="SUCCESS")
    seen = []
    real = build._report_record

    def record(*args, **kwargs):
        seen.append(report_jobs_sweep())  # the sweep runs mid-build
        return real(*args, **kwargs)

    monkeypatch.setattr(build, "_report_record", record)
    build.report_build(kind="dispatch", key="2022-06")

    assert seen == [[]]
    series.refresh_from_db()
    assert series.job_state == "done"


def test_a_build_inside_a_transaction_does_not_wait_for_its_own_lock(db, data, settings, monkeypatch):
    """Inside a caller's transaction (a synchronous correction, a test) a beat from
    another connection could only wait for the caller's lock, and the build's end for
    the beat (20 s on SQLite's busy timeout): no heartbeat thread is started there."""
    from reports import jobs
    from reports.services import build

    settings.REPORT_HEARTBEAT_SECONDS = 0.05
    beats = []
    monkeypatch.setattr(jobs.Heartbeat, "beat", lambda self: beats.append(self.series_pk) or 1)
    real = build._report_record

    def record(series, *args, **kwargs):
        time.sleep(0.3)  # several intervals
        return real(series, *args, **kwargs)

    monkeypatch.setattr(build, "_report_record", record)
    report = build.report_build(kind="dispatch", key="2022-06")

    assert report.version == 1
    assert beats == []
    assert not [t for t in threading.enumerate() if t.name.startswith("report-heartbeat-")]
