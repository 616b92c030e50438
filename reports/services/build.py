"""Build a report version with all its files (`report_build`: the one function the tasks
and the command call) and request a build on the queue (`report_build_request`).

A build is safe to run twice and at once: the report's series row is locked for the
write, files go to a temporary name and are moved into place whole. A build makes a new
draft and supersedes only the older draft: a version in review or issued never changes
state because of a build (reports.services.issue takes the same lock)."""

from __future__ import annotations

import logging
import os
import uuid
from dataclasses import asdict
from datetime import date
from pathlib import Path

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from actions import clock
from indicators.months import reporting_month_get
from indicators.rules.periods import PeriodError, format_month, parse_month, parse_quarter
from indicators.status.read import boards_kept
from reports.builders.blocks import Document
from reports.builders.bulletin import bulletin_document
from reports.builders.common import BuildError, plan_of
from reports.builders.dispatch import dispatch_document
from reports.jobs import PICKUP_TIMEOUT, Heartbeat, heartbeat_timeout, temps_stale
from reports.models import Kind, Report, ReportSeries
from reports.notices import printed_capture
from reports.schedules import scheduled_build_date
from reports.services.documents import FORMATS_BY_KIND, RENDERERS, doc_number_take, document_head, series_lock, temp_render
from reports.services.issue import issue_check
from reports.storage import report_dir

log = logging.getLogger(__name__)

# Queued by name: reports.tasks imports this module, so this one never imports it back.
BUILD_TASK = "reports.tasks.report_build_task"


class QueueUnavailable(Exception):
    """The Celery broker could not be reached; the message is for users."""


def normalize_key(kind: str, key: str) -> str:
    """'2022-6' → '2022-06' for a dispatch, '2022q2' → '2022Q2' for a bulletin; Chinese
    errors for anything else."""
    if kind == Kind.DISPATCH:
        return format_month(parse_month(key))
    if kind == Kind.BULLETIN:
        year, quarter = parse_quarter(key)
        return f"{year}Q{quarter}"
    raise BuildError(f"报告类别“{kind}”不存在，应为 dispatch(月调度)或 bulletin(季通报)。")


def report_document(
    *, kind: str, key: str, today: date | None = None, changes: list[dict] | None = None, doc_date: date | None = None
) -> Document:
    if kind == Kind.DISPATCH:
        return dispatch_document(period=parse_month(key), today=today, changes=changes, doc_date=doc_date)
    year, quarter = parse_quarter(key)
    return bulletin_document(year=year, quarter=quarter, today=today, changes=changes, doc_date=doc_date)


def default_doc_date(*, kind: str, key: str) -> date:
    """A draft's 成文日期: the day its schedule builds it (for month M's dispatch the
    scheduled day after M's deadline, for a quarter's bulletin the scheduled day after
    the quarter), whatever day the file is really built."""
    if kind == Kind.DISPATCH:
        period = parse_month(key)
        deadline = reporting_month_get(period).deadline
        return scheduled_build_date(kind=kind, period_end=period, deadline=deadline)
    year, quarter = parse_quarter(key)
    end = date(year, quarter * 3, 1)
    return scheduled_build_date(kind=kind, period_end=end, deadline=end)


def _clear_stale_temps(folder: Path) -> None:
    for stale in temps_stale(folder):
        stale.unlink(missing_ok=True)


def report_build(
    *,
    kind: str,
    key: str,
    user=None,
    task_id: str = "",
    changes: list[dict] | None = None,
    issue: bool = False,
    today: date | None = None,
    doc_date: date | None = None,
) -> Report:
    """Build a new version of a report with all its files: it replaces the older draft,
    never a version in review or an issued one (see _report_record).

    `doc_date` is the 成文日期: by default the day the schedule builds the report for a
    draft, today for a version issued at once (a 更正). An issued version takes its
    发文字号 here, and its 印发人 is `user`, who must be allowed to issue (None only from
    the command line, an operator's act).
    Raises BuildError (Chinese message) when the report cannot be built from the data."""
    if issue and user is not None:
        issue_check(user=user)
    try:
        key = normalize_key(kind, key)
    except PeriodError as e:
        raise BuildError(str(e)) from e
    series, _ = ReportSeries.objects.get_or_create(kind=kind, key=key)
    # A build outside a worker (the command, a synchronous correction) starts its own
    # clock, so that the sweep (reports.jobs) never judges it by an older queued job.
    own = {} if task_id else {"task_id": "", "requested_at": timezone.now()}
    ReportSeries.objects.filter(pk=series.pk).update(
        job_state=ReportSeries.Job.RUNNING, error="", heartbeat_at=timezone.now(), **own
    )
    with Heartbeat(series_pk=series.pk, task_id=task_id):
        return _report_build_running(
            series, user=user, task_id=task_id, changes=changes, issue=issue, today=today, doc_date=doc_date
        )


def _report_build_running(series, *, user, task_id, changes, issue, today, doc_date) -> Report:
    """report_build once its job is marked running (and its heartbeat beats): read,
    render outside any transaction, then record in one short one."""
    kind, key = series.kind, series.key
    if doc_date is None:
        doc_date = clock.today() if issue else default_doc_date(kind=kind, key=key)
    try:
        with boards_kept():  # the document and what it prints read each month once
            document = report_document(kind=kind, key=key, today=today, changes=changes, doc_date=doc_date)
            printed = printed_capture(kind=kind, key=key, today=today)
    except BuildError as e:
        report_job_fail(kind=kind, key=key, message=str(e))
        raise
    number = doc_number_take(kind=kind, year=doc_date.year) if issue else ""
    document.head = document_head(document=document, kind=kind, doc_date=doc_date, number=number)
    folder = report_dir(kind, key)
    folder.mkdir(parents=True, exist_ok=True)
    _clear_stale_temps(folder)
    # Render before the transaction: a PDF takes seconds, and on SQLite a transaction
    # holds the whole database's write lock, so every save would wait for it.
    rendered = {}
    try:
        for fmt in FORMATS_BY_KIND[kind]:
            rendered[fmt] = temp_render(folder, f"{kind}-{key}.{fmt}", RENDERERS[fmt], document)
        return _report_record(
            series,
            document,
            rendered,
            user=user,
            task_id=task_id,
            changes=changes,
            issue=issue,
            number=number,
            doc_date=doc_date,
            printed=printed,
        )
    finally:
        for tmp in rendered.values():
            tmp.unlink(missing_ok=True)


def _report_record(series, document, rendered: dict, *, user, task_id, changes, issue, number, doc_date, printed) -> Report:
    """The short transaction of a build: number the version, move its files into place,
    write the rows. The new version replaces the older draft only; an issued version
    stays the current issued one (and one in review stays in review)."""
    kind, key, folder = series.kind, series.key, report_dir(series.kind, series.key)
    now = clock.now()  # shown as 生成于/印发于: the product's clock (the demo's moment in the demo)
    with transaction.atomic():
        # A second build of the same report waits here, then adds the next version.
        series_lock(series.pk, job_state=ReportSeries.Job.RUNNING)
        version = (Report.objects.filter(kind=kind, key=key).aggregate(v=Max("version"))["v"] or 0) + 1
        names = {}
        for fmt, tmp in rendered.items():
            path = folder / f"{kind}-{key}-v{version}.{fmt}"
            os.replace(tmp, path)
            names[fmt] = str(path.relative_to(settings.MEDIA_ROOT))
        replaced = [Report.State.DRAFT, Report.State.ISSUED] if issue else [Report.State.DRAFT]
        Report.objects.filter(kind=kind, key=key, state__in=replaced).update(state=Report.State.SUPERSEDED)
        report = Report.objects.create(
            series=series,
            kind=kind,
            key=key,
            version=version,
            state=Report.State.ISSUED if issue else Report.State.DRAFT,
            issued_at=now if issue else None,
            issued_by=user if issue else None,
            is_correction=bool(changes),
            changes=changes or [],
            title=document.title,
            content=document.content(),
            doc_number=number,
            doc_date=doc_date,
            head=asdict(document.head),
            printed=printed,
            built_at=now,
            built_by=user,
            task_id=task_id,
            **names,
        )
        ReportSeries.objects.filter(pk=series.pk).update(job_state=ReportSeries.Job.DONE, error="", finished_at=timezone.now())
    log.info("built %s %s v%s", kind, key, version)
    return report


def report_job_fail(*, kind: str, key: str, message: str) -> None:
    ReportSeries.objects.filter(kind=kind, key=key).update(
        job_state=ReportSeries.Job.FAILED, error=message, finished_at=timezone.now()
    )


def _enqueue(series: ReportSeries) -> None:
    """Send the job: its kind, key and task id only. What it builds (a 更正's changes,
    whether it is issued, by whom) was recorded on the series row by the service that
    checked the request; the worker reads it there."""
    try:
        current_app.tasks[BUILD_TASK].apply_async(
            args=[series.kind, series.key],
            task_id=series.task_id,
            retry=False,  # fail fast: the office is waiting for an answer
        )
    except BrokerError as e:
        message = "任务队列暂不可用，报告未能开始生成。请稍后重试，或联系管理员检查后台任务服务。"
        report_job_fail(kind=series.kind, key=series.key, message=message)
        raise QueueUnavailable(message) from e


def report_build_request(*, kind: str, key: str, user=None, changes=None, issue: bool = False) -> ReportSeries:
    """Queue a build (on commit). Pressing the button twice queues one job, not two.
    An issued build (a 更正) is asked for by someone who may issue; the request — who,
    what changes, issued or not — is recorded on the series row for the worker."""
    if issue:
        issue_check(user=user)
    try:
        key = normalize_key(kind, key)
    except PeriodError as e:
        raise BuildError(str(e)) from e
    report_document_check(kind=kind, key=key)
    series, _ = ReportSeries.objects.get_or_create(kind=kind, key=key)
    task_id = str(uuid.uuid4())
    now = timezone.now()
    # Busy: running (the sweep fails it if its worker died), or queued and still within
    # the minute a worker takes to pick it up (after that the page offers a retry).
    busy = Q(job_state=ReportSeries.Job.RUNNING, heartbeat_at__gte=now - heartbeat_timeout()) | Q(
        job_state=ReportSeries.Job.QUEUED, requested_at__gte=now - PICKUP_TIMEOUT
    )
    updated = (
        ReportSeries.objects.filter(pk=series.pk)
        .exclude(busy)
        .update(
            job_state=ReportSeries.Job.QUEUED,
            task_id=task_id,
            error="",
            requested_at=timezone.now(),
            requested_by=user,
            finished_at=None,
            changes=changes or [],
            issue=issue,
        )
    )
    series.refresh_from_db()
    if updated or changes:
        if not updated:  # a correction must not be lost behind a plain rebuild
            ReportSeries.objects.filter(pk=series.pk).update(
                task_id=task_id, requested_by=user, changes=changes or [], issue=issue
            )
            series.task_id = task_id
        transaction.on_commit(lambda: _enqueue(series))
    return series


def report_document_check(*, kind: str, key: str) -> None:
    """Refuse at once (before queueing) what cannot be built: a year without a plan."""
    plan_of(int(key[:4]))
