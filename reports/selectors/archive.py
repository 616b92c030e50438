"""Reads of the report archive: what each role may see, a build job's progress and the
units still missing before an issue."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Prefetch
from django.utils import timezone
from django_celery_results.models import TaskResult

from indicators.rules.periods import parse_month, quarter_months
from indicators.selectors import plan_for_year, status_board
from reports.builders.common import reporting_of
from reports.jobs import NOT_PICKED_UP, WORKER_DIED, job_heart_stopped, job_not_picked_up
from reports.models import CorrectionNotice, Report, ReportSeries


def visible_versions(*, office: bool):
    """Leaders see what was issued (a superseded issued version stays, beside its
    correction); the office sees drafts too."""
    notices = CorrectionNotice.objects.defer("printed").order_by("drafted_at", "pk")
    if not office:
        notices = notices.filter(state=CorrectionNotice.State.ISSUED)
    # What a version printed is read by a correction only (a year-end bulletin's is large).
    qs = Report.objects.defer("printed").select_related("series").prefetch_related(Prefetch("notices", queryset=notices))
    return qs if office else qs.filter(issued_at__isnull=False)


def report_for(*, kind: str, key: str, office: bool, version: int | None = None) -> Report | None:
    """The version to show: the one asked for, else the newest (the office's draft) for
    the office, the current issued one for leaders (a later draft or review beside it
    changes nothing for them)."""
    qs = visible_versions(office=office).filter(kind=kind, key=key)
    if version is not None:
        return qs.filter(version=version).first()
    if not office:
        current = qs.filter(state=Report.State.ISSUED).first()
        if current is not None:
            return current
    return qs.order_by("-version").first()


def notices_of(report: Report, *, office: bool) -> list[CorrectionNotice]:
    """The 更正通知 of a version: every one for the office, the issued ones for leaders."""
    qs = report.notices.defer("printed").select_related("issued_by").order_by("drafted_at", "pk")
    return list(qs if office else qs.filter(state=CorrectionNotice.State.ISSUED))


def job_status(series: ReportSeries, *, now: datetime | None = None) -> dict:
    """A build job's progress for the page that polls it: our own state, which says
    why in Chinese, plus Celery's state of the task where the result backend knows it.
    A job no worker picked up within a minute says the background service is not
    running (`stuck`); `retry` says the page should offer to queue it again."""
    celery_state = None
    if series.task_id:
        celery_state = TaskResult.objects.filter(task_id=series.task_id).values_list("status", flat=True).first()
    latest = series.versions.order_by("-version").first()
    now = now or timezone.now()
    stuck = job_not_picked_up(series, celery_state=celery_state, now=now)
    # A build whose heartbeat stopped is over, whether or not the sweep has said so yet.
    stopped = job_heart_stopped(series, now=now)
    if stuck:
        label, error = "后台任务服务未运行", NOT_PICKED_UP
    elif stopped:
        label, error = "生成中断", WORKER_DIED
    else:
        label, error = series.get_job_state_display(), series.error
    return {
        "kind": series.kind,
        "key": series.key,
        "state": ReportSeries.Job.FAILED if stopped else series.job_state,
        "label": label,
        "error": error,
        "celery_state": celery_state,
        "finished": stopped or series.job_state in (ReportSeries.Job.DONE, ReportSeries.Job.FAILED, ReportSeries.Job.IDLE),
        "stuck": stuck,
        "retry": stuck or stopped or series.job_state == ReportSeries.Job.FAILED,
        "version": latest.version if latest else None,
    }


def issue_missing_units(*, report: Report) -> list[str]:
    """Units still missing in the month a report covers (a bulletin: its quarter's last
    month): what the office confirms before it issues on incomplete data."""
    if report.kind == "dispatch":
        period = parse_month(report.key)
    else:
        period = quarter_months(int(report.key[:4]), int(report.key[-1]))[-1]
    plan = plan_for_year(period.year)
    if plan is None:
        return []
    return [u.name for u in reporting_of(status_board(plan=plan, period=period)).missing]
