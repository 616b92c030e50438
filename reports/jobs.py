"""Report build jobs that never hang: a job no worker picked up is shown as such (the
background service is not running) and may be retried; a periodic sweep fails a job whose
worker died (it no longer answers, or the job ran far longer than any build) and removes
the half-written files it left."""

from __future__ import annotations

import logging
import os
import socket
import time
from datetime import datetime, timedelta
from pathlib import Path

from django.utils import timezone
from django_celery_results.models import TaskResult

from hengyang_ybe.celery import app
from reports.models import ReportSeries

log = logging.getLogger(__name__)

# A queued job no worker took within this time: the background service is not running.
PICKUP_TIMEOUT = timedelta(seconds=60)
# No build takes this long (a bulletin takes seconds): its worker is gone.
RUN_TIMEOUT = timedelta(minutes=30)
# A running job whose worker does not answer a ping is given this long before it is failed
# (a worker busy starting up may miss one ping).
SILENT_GRACE = timedelta(minutes=2)
# A temporary file of a dead job untouched this long is not being written by anyone.
TEMP_GRACE_SECONDS = 60

NOT_PICKED_UP = (
    "报告生成任务排队已超过 1 分钟仍未开始:后台任务服务未运行(或已停止)。"
    "请联系系统管理员启动后台任务服务(Celery worker),然后点击“重试”。"
)
WORKER_DIED = "生成失败:负责生成的后台任务进程已停止(可能被重启或终止),本次生成没有完成。请点击“重试”重新生成。"
TOO_LONG = "生成失败:生成时间超过 30 分钟仍未完成,后台任务进程可能已停止。请点击“重试”重新生成。"


def job_not_picked_up(series: ReportSeries, *, celery_state: str | None, now: datetime) -> bool:
    """Queued for longer than PICKUP_TIMEOUT and no worker has started it."""
    return (
        series.job_state == ReportSeries.Job.QUEUED
        and celery_state in (None, "PENDING")
        and series.requested_at is not None
        and now - series.requested_at > PICKUP_TIMEOUT
    )


def alive_workers(timeout: float = 2.0) -> set[str] | None:
    """Names of the workers that answer a ping now; None when the broker cannot say."""
    try:
        replies = app.control.ping(timeout=timeout) or []
    except Exception:  # a broker without broadcast, or down: no verdict from silence
        log.warning("could not ping the Celery workers", exc_info=True)
        return None
    return {name for reply in replies for name in reply}


def report_jobs_sweep(*, now: datetime | None = None, alive: set[str] | None = None) -> list[str]:
    """Fail every running build whose worker died, and remove its temporary files.
    `alive` is the set of workers that answered a ping (None: unknown, only the time
    limit applies). Returns what was failed, for the task's result."""
    now = now or timezone.now()
    failed = []
    for series in ReportSeries.objects.filter(job_state=ReportSeries.Job.RUNNING):
        result = TaskResult.objects.filter(task_id=series.task_id).first() if series.task_id else None
        started = (result and (result.date_started or result.date_created)) or series.requested_at or now
        worker = result.worker if result else None
        if now - started > RUN_TIMEOUT:
            message = TOO_LONG
        elif alive and worker and worker not in alive and now - started > SILENT_GRACE:
            message = WORKER_DIED
        else:
            continue
        # Conditional: a retry queued meanwhile (a new task id) is left alone.
        updated = ReportSeries.objects.filter(pk=series.pk, job_state=ReportSeries.Job.RUNNING, task_id=series.task_id).update(
            job_state=ReportSeries.Job.FAILED, error=message, finished_at=now
        )
        if updated:
            removed = temps_remove(series)
            failed.append(f"{series}: {message}(清理临时文件 {removed} 个)")
            log.warning("report job %s %s failed by the sweep: %s", series.kind, series.key, message)
    return failed


def temps_remove(series: ReportSeries) -> int:
    """Remove the half-written files of a job judged dead: the stale ones, and any that
    nobody has touched for TEMP_GRACE_SECONDS."""
    from reports.services import _report_dir  # services imports this module

    folder = _report_dir(series.kind, series.key)
    if not folder.is_dir():
        return 0
    doomed = set(temps_stale(folder))
    for tmp in folder.glob(".*.tmp"):
        try:
            if time.time() - tmp.stat().st_mtime > TEMP_GRACE_SECONDS:
                doomed.add(tmp)
        except FileNotFoundError:
            continue
    for tmp in doomed:
        tmp.unlink(missing_ok=True)
    return len(doomed)


# -- temporary files of builds (reports.services._render_temp names them) -----------------
STALE_TEMP_SECONDS = 3600


def _host() -> str:
    return socket.gethostname().replace(".", "_")


def temp_owner() -> str:
    """The part of a temporary file's name that says which process writes it."""
    return f"{_host()}.{os.getpid()}"


def temps_stale(folder: Path, *, now: float | None = None) -> list[Path]:
    """Temporary files no build will finish: written by a process of this machine that
    is gone, or older than an hour (another machine's, or named by older code)."""
    now = time.time() if now is None else now
    stale = []
    for tmp in folder.glob(".*.tmp"):
        parts = tmp.name.split(".")  # "", name…, fmt, host, pid, token, "tmp"
        try:
            old = now - tmp.stat().st_mtime > STALE_TEMP_SECONDS
        except FileNotFoundError:
            continue
        ours = len(parts) >= 6 and parts[-4] == _host() and parts[-3].isdigit()
        if old or (ours and not _process_alive(int(parts[-3]))) or (not ours and not parts[-3].isdigit()):
            stale.append(tmp)
    return stale


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, someone else's
        return True
    return True
