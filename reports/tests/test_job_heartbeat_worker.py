"""A real worker killed with SIGKILL mid-build: its build's heartbeat stops, the page
offers 重试 and the sweep marks the job failed in Chinese, whatever the worker was called
(with no worker left to answer a ping at all). The heartbeat timings are shortened here
(1 s beats, 5 s timeout); the defaults are 10 s and 60 s, so the page offers the retry
within about a minute and the every-minute sweep fails the job within two."""

import os
import signal
import time

import pytest
from django.urls import reverse

from reports.jobs import WORKER_DIED, report_jobs_sweep
from reports.models import ReportSeries
from reports.services.build import report_build_request
from reports.services.documents import SLEEP_ENV
from reports.tests.reportdata import june
from reports.tests.test_tasks_worker import wait_for, worker_media  # noqa: F401 (a fixture)

# HEARTBEAT_TEST_TIMINGS=10,60 measures the defaults (about 80 s).
BEAT, TIMEOUT = (int(n) for n in os.environ.get("HEARTBEAT_TEST_TIMINGS", "1,5").split(","))
JOB = reverse("reports:archive-job", args=["dispatch", "2022-06"])
REBUILD = reverse("reports:archive-rebuild", args=["dispatch", "2022-06"])


@pytest.fixture
def short_heartbeat(monkeypatch, settings):
    """For the worker (its environment, set before it starts) and for this process."""
    monkeypatch.setenv("REPORT_HEARTBEAT_SECONDS", str(BEAT))
    monkeypatch.setenv("REPORT_HEARTBEAT_TIMEOUT", str(TIMEOUT))
    monkeypatch.setenv(SLEEP_ENV, "120")  # the build stalls with a half-written file
    settings.REPORT_HEARTBEAT_SECONDS, settings.REPORT_HEARTBEAT_TIMEOUT = BEAT, TIMEOUT


def _series():
    return ReportSeries.objects.get(kind="dispatch", key="2022-06")


@pytest.mark.worker
def test_a_worker_killed_mid_build_is_failed_and_the_retry_offered(
    worker_media,  # noqa: F811 (the fixture imported above)
    short_heartbeat,
    celery_worker_process,
    plan_2022,
    users,
    client,
    monkeypatch,
):
    june(plan_2022)
    report_build_request(kind="dispatch", key="2022-06", user=users["office"])
    folder = worker_media / "reports" / "dispatch" / "2022-06"
    wait_for(lambda: folder.is_dir() and list(folder.glob(".*.tmp")), what="the half-written file")
    first_beat = _series().heartbeat_at
    wait_for(lambda: _series().heartbeat_at > first_beat, timeout=10, what="a heartbeat")
    assert _series().job_state == "running"

    celery_worker_process.send_signal(signal.SIGKILL)
    celery_worker_process.wait(10)
    killed = time.monotonic()
    client.force_login(users["office"])

    def offered():
        report_jobs_sweep()  # what the every-minute schedule runs
        job = client.get(JOB).json()
        return job["retry"] and job

    wait_for(offered, timeout=120, what="the retry")
    seconds = time.monotonic() - killed
    print(f"retry offered {seconds:.1f} s after kill -9 (heartbeat {BEAT} s, timeout {TIMEOUT} s)")

    # The page may offer the retry a moment before the sweep's own judgment: the next
    # sweep (at most a minute later on the schedule) fails the job.
    report_jobs_sweep()
    job = client.get(JOB).json()
    series = _series()
    assert series.job_state == "failed" and series.error == WORKER_DIED
    assert job["label"] == "生成失败" and "后台任务进程已停止" in job["error"]
    assert seconds < TIMEOUT + 2 * BEAT + 5
    assert not list(folder.glob(".*.tmp")), "the sweep removed the half-written file"
    assert "重试" in client.get(reverse("reports:archive-detail", args=["dispatch", "2022-06"])).content.decode()

    monkeypatch.setattr("reports.tasks.report_build_task.apply_async", lambda **kw: None)
    client.post(REBUILD)
    assert _series().job_state == "queued"  # the retry is taken at once, not ignored
