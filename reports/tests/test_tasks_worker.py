"""Builds on a real worker through the configured broker: end to end, and a worker
killed mid-build whose job is redelivered and leaves exactly one current version."""

import os
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from conftest import ROOT
from reports.models import Report, ReportSeries
from reports.services.build import report_build_request
from reports.services.documents import SLEEP_ENV
from reports.tests.reportdata import JUNE, june, xlsx_rows


@pytest.fixture
def worker_media(tmp_path, monkeypatch, settings):
    """The worker process writes where the test reads (set before the worker starts)."""
    media = tmp_path / "media"
    monkeypatch.setenv("MEDIA_ROOT", str(media))
    settings.MEDIA_ROOT = media
    return media


def wait_for(predicate, timeout=90, what="the job"):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def _series():
    return ReportSeries.objects.filter(kind="dispatch", key="2022-06").first()


@pytest.mark.worker
def test_a_build_runs_end_to_end_on_a_real_worker(worker_media, celery_worker_process, plan_2022):
    june(plan_2022)
    series = report_build_request(kind="dispatch", key="2022-06")  # queued at once: no transaction open
    assert series.job_state == ReportSeries.Job.QUEUED

    done = wait_for(lambda: _series().job_state in ("done", "failed") and _series())
    assert done.job_state == "done", done.error
    report = Report.objects.get(kind="dispatch", key="2022-06")
    assert report.task_id == series.task_id and report.version == 1
    table = xlsx_rows(worker_media / report.xlsx.name, "未达标和预警")
    assert ["祁东县", "企业开办时间"] in [row[2:4] for row in table[1:]]


@pytest.mark.worker
def test_an_approved_correction_drafts_a_notice_only_when_the_office_accepts(
    worker_media, celery_worker_process, plan_2022, users
):
    """June's dispatch is issued; 祁东县 asks to correct its locked June, the office
    approves, the unit resubmits a new figure: nothing is built or issued (the worker
    gets no job); the office's acceptance drafts a 更正通知, which the office issues."""
    from indicators.models import Submission
    from indicators.services.review import submission_accept
    from indicators.services.workflow import correction_decide, correction_request, entry_save
    from reports.models import CorrectionNotice
    from reports.services.build import report_build

    data = june(plan_2022)
    issued = report_build(kind="dispatch", key="2022-06", issue=True)
    unit, metric = data["qidong"], data["metric"]
    submission_accept(unit=unit, period=JUNE, user=users["office"])
    req = correction_request(unit=unit, period=JUNE, user=users["other_reporter"], reason="办件时间统计口径有误")
    correction_decide(request_id=req.pk, user=users["office"], approve=True)
    sub = Submission.objects.get(unit=unit, period=JUNE)
    figures = {metric.pk: {"value": Decimal("0.4"), "cases": 5}}
    entry_save(unit=unit, period=JUNE, user=users["other_reporter"], version=sub.version, figures=figures, tasks={}, submit=True)
    assert list(Report.objects.values_list("version", "state")) == [(issued.version, Report.State.ISSUED)]

    submission_accept(unit=unit, period=JUNE, user=users["office"])
    notice = CorrectionNotice.objects.get()
    assert notice.state == CorrectionNotice.State.DRAFT and notice.original == issued
    assert [(c["unit"], c["old"], c["new"]) for c in notice.changes["figures"]] == [("祁东县", "3个工作日", "0.4个工作日")]


def start_worker(log: Path, **extra_env) -> subprocess.Popen:
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    if db["ENGINE"].endswith("sqlite3"):
        env["DATABASE_URL"] = f"sqlite:///{db['NAME']}"
    else:
        env["DATABASE_URL"] = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env |= {"CELERY_BROKER_URL": settings.CELERY_BROKER_URL, "CELERY_TASK_ALWAYS_EAGER": "0", **extra_env}
    cmd = [sys.executable, "-m", "celery", "-A", "hengyang_ybe", "worker", "--pool", "solo", "-l", "info"]
    cmd += ["-n", f"kill-{os.getpid()}-{log.stem}@%h"]
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=open(log, "w"), stderr=subprocess.STDOUT)


@pytest.mark.worker
@pytest.mark.skipif(
    not settings.CELERY_BROKER_URL.startswith("redis://"),
    reason="redelivery of a dead worker's job needs a broker with acknowledgements (Redis); "
    "the filesystem transport deletes a message when it is read",
)
def test_a_worker_killed_mid_build_leaves_no_half_file_and_the_retry_makes_one_version(
    transactional_db, worker_media, plan_2022, tmp_path
):
    june(plan_2022)
    fast_redelivery = {"CELERY_VISIBILITY_TIMEOUT": "5", "MEDIA_ROOT": str(worker_media)}
    first = start_worker(tmp_path / "first.log", **{SLEEP_ENV: "60"}, **fast_redelivery)
    second = None
    try:
        time.sleep(1)
        report_build_request(kind="dispatch", key="2022-06")
        folder = worker_media / "reports" / "dispatch" / "2022-06"
        wait_for(lambda: folder.is_dir() and list(folder.glob(".*.tmp")), what="the half-written file")
        first.send_signal(signal.SIGKILL)
        first.wait(10)

        assert not Report.objects.exists()
        assert not list(folder.glob("*.docx")), "no whole file may appear without its version"
        assert _series().job_state == "running"

        second = start_worker(tmp_path / "second.log", **fast_redelivery)
        done = wait_for(lambda: _series().job_state in ("done", "failed") and _series(), timeout=120)
        assert done.job_state == "done", done.error
    finally:
        for proc in (first, second):
            if proc and proc.poll() is None:
                proc.terminate()
                proc.wait(15)

    current = Report.objects.exclude(state="superseded")
    assert current.count() == 1
    assert Report.objects.count() == 1 and current.get().version == 1
    assert not list(folder.glob(".*.tmp"))
    assert (worker_media / current.get().docx.name).is_file()
