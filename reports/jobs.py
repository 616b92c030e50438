"""Report build jobs that never hang: a job no worker picked up is shown as such (the
background service is not running) and may be retried; a running build touches its
heartbeat every few seconds, and a build whose heartbeat stopped (its worker was killed,
whatever the worker was called) is shown as interrupted with a retry, and failed by the
periodic sweep, which also removes the half-written files it left."""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone

from reports.models import ReportSeries
from reports.storage import report_dir

log = logging.getLogger(__name__)

# A queued job no worker took within this time: the background service is not running.
PICKUP_TIMEOUT = timedelta(seconds=60)
# No build takes this long (a bulletin takes seconds), even with a beating heart.
RUN_TIMEOUT = timedelta(minutes=30)
# A temporary file of a dead job untouched this long is not being written by anyone.
TEMP_GRACE_SECONDS = 60

NOT_PICKED_UP = (
    "报告生成任务排队已超过 1 分钟仍未开始:后台任务服务未运行(或已停止)。"
    "请联系系统管理员启动后台任务服务(Celery worker),然后点击“重试”。"
)
WORKER_DIED = "生成失败:负责生成的后台任务进程已停止(可能被重启或终止),本次生成没有完成。请点击“重试”重新生成。"
TOO_LONG = "生成失败:生成时间超过 30 分钟仍未完成,后台任务进程可能已停止。请点击“重试”重新生成。"


def heartbeat_interval() -> float:
    """Seconds between two heartbeats of a running build (settings, default 10)."""
    return float(settings.REPORT_HEARTBEAT_SECONDS)


def heartbeat_timeout() -> timedelta:
    """A running build silent this long has lost its worker (settings, default 60 s)."""
    return timedelta(seconds=settings.REPORT_HEARTBEAT_TIMEOUT)


def job_not_picked_up(series: ReportSeries, *, celery_state: str | None, now: datetime) -> bool:
    """Queued for longer than PICKUP_TIMEOUT and no worker has started it."""
    return (
        series.job_state == ReportSeries.Job.QUEUED
        and celery_state in (None, "PENDING")
        and series.requested_at is not None
        and now - series.requested_at > PICKUP_TIMEOUT
    )


def job_heart_stopped(series: ReportSeries, *, now: datetime) -> bool:
    """Running, and its heartbeat (or, before the first one, its request) is older than
    the timeout: whoever was building it is gone."""
    beat = series.heartbeat_at or series.requested_at
    return series.job_state == ReportSeries.Job.RUNNING and beat is not None and now - beat > heartbeat_timeout()


class Heartbeat:
    """While a build runs, a thread touches its series' heartbeat every interval. The
    update is conditional on the job still being this one (a retry has a new task id),
    and a failed beat (a busy database) is only logged: the next one will do."""

    def __init__(self, *, series_pk: int, task_id: str):
        self.series_pk, self.task_id = series_pk, task_id
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"report-heartbeat-{series_pk}", daemon=True)

    def beat(self) -> int:
        return ReportSeries.objects.filter(pk=self.series_pk, job_state=ReportSeries.Job.RUNNING, task_id=self.task_id).update(
            heartbeat_at=timezone.now()
        )

    def _run(self) -> None:
        try:
            while not self._stop.wait(heartbeat_interval()):
                try:
                    self.beat()
                except Exception:
                    log.warning("report heartbeat failed", exc_info=True)
                    close_old_connections()
        finally:
            connection.close()  # this thread's own connection

    def __enter__(self):
        # Inside a caller's transaction the running state is not committed, and a beat
        # from another connection would only wait for the caller's lock (and the build's
        # end for the beat): no thread then.
        if not connection.in_atomic_block:
            self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=max(5.0, heartbeat_interval() * 2))
        return False


def report_jobs_sweep(*, now: datetime | None = None) -> list[str]:
    """Fail every running build whose heartbeat stopped (or that ran longer than any
    build), and remove its temporary files. Returns what was failed, for the result."""
    now = now or timezone.now()
    failed = []
    for series in ReportSeries.objects.filter(job_state=ReportSeries.Job.RUNNING):
        if series.requested_at and now - series.requested_at > RUN_TIMEOUT:
            message = TOO_LONG
        elif job_heart_stopped(series, now=now):
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
    folder = report_dir(series.kind, series.key)
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


# -- temporary files of builds (reports.services.documents.temp_render names them) -----------------
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
