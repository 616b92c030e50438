"""Celery tasks of the report archive: thin wrappers that take ids and period strings,
load, and call one service. Safe to run twice (acks late redelivers a job whose worker
died): a build adds a version and supersedes the older one, never two current ones."""

from __future__ import annotations

import logging

from celery import Task, shared_task
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from actions import clock
from actions.models import Unit
from indicators.months import reporting_month_get
from indicators.rules.periods import add_months, format_month, parse_month, quarter_months
from reports.builders.common import BuildError
from reports.jobs import report_jobs_sweep
from reports.models import Report, ReportSeries

# Modules, not names: a test replaces a service on its module and the task calls the stand-in.
from reports.services import build, reminders

log = logging.getLogger(__name__)

# Errors worth a retry: the database went away or was busy (SQLite "database is locked").
TRANSIENT = (OperationalError, InterfaceError)
FAILED_TRANSIENT = "生成失败：系统暂时无法完成(数据库繁忙或连接中断),已多次重试仍未成功，请稍后点击“立即重新生成”。"


class ReportTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        if len(args) < 2:
            return
        kind, key = args[0], args[1]
        message = (
            FAILED_TRANSIENT if isinstance(exc, TRANSIENT) else f"生成失败：系统内部错误({type(exc).__name__}),请联系管理员。"
        )
        try:
            # Only the job this task was queued for: a stray or forged task fails alone.
            ReportSeries.objects.filter(kind=kind, key=key, task_id=task_id).update(
                job_state=ReportSeries.Job.FAILED, error=message, finished_at=timezone.now()
            )
        except Exception:  # the database may be the thing that is down
            log.exception("could not record the failure of %s %s", kind, key)


@shared_task(
    bind=True,
    base=ReportTask,
    acks_late=True,
    autoretry_for=TRANSIENT,
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
)
def report_build_task(self, kind: str, key: str):
    """Build the job that reports.services.build.report_build_request recorded under this
    task's id. What to build (a 更正's changes, whether it is issued and by whom) is read
    from that record, never from the task's arguments: a task sent by anyone else (the
    scheduler admin's "run", a forged message) finds no request of its own and does nothing."""
    series = ReportSeries.objects.filter(kind=kind, key=key).select_related("requested_by").first()
    if series is None or not self.request.id or series.task_id != self.request.id:
        # A retry (or a correction) was queued after this job, or nobody asked for it.
        return {"ok": False, "skipped": "已被后来排队的任务取代或不是经系统提交的生成请求"}
    try:
        report = build.report_build(
            kind=kind,
            key=key,
            user=series.requested_by,
            task_id=self.request.id,
            changes=series.changes or None,
            issue=series.issue,
        )
    except BuildError as e:  # the data cannot make this report: no retry helps
        build.report_job_fail(kind=kind, key=key, message=str(e))
        return {"ok": False, "error": str(e)}
    except ValidationError as e:  # the requester may no longer issue: no retry helps
        build.report_job_fail(kind=kind, key=key, message=f"生成失败:{e.messages[0]}")
        return {"ok": False, "error": e.messages[0]}
    return {"ok": True, "report": report.pk, "version": report.version}


def _previous_month(today):
    return add_months(today.replace(day=1), -1)


@shared_task(acks_late=True)
def dispatch_scheduled():
    """Build last month's dispatch once its on-time deadline has passed (the schedule
    runs on several mornings, so a deadline moved by a holiday is still honoured)."""
    today = clock.today()
    period = _previous_month(today)
    deadline = reporting_month_get(period).deadline
    key = format_month(period)
    if today <= deadline:
        return f"{key}: 截止日 {deadline} 未过，暂不生成"
    if Report.objects.filter(kind="dispatch", key=key).exists():
        return f"{key}: 已生成"
    build.report_build_request(kind="dispatch", key=key)
    return f"{key}: 已排队生成"


@shared_task(acks_late=True)
def bulletin_scheduled():
    """Build last quarter's bulletin (run early in the quarter's first month)."""
    today = clock.today()
    previous = _previous_month(today)
    year, quarter = previous.year, (previous.month - 1) // 3 + 1
    if previous != quarter_months(year, quarter)[-1]:
        return "不是季度首月，跳过"
    key = f"{year}Q{quarter}"
    if Report.objects.filter(kind="bulletin", key=key).exists():
        return f"{key}: 已生成"
    build.report_build_request(kind="bulletin", key=key)
    return f"{key}: 已排队生成"


@shared_task(acks_late=True)
def reminders_scheduled():
    """催报: before last month's deadline, remind units that have not submitted."""
    today = clock.today()
    period = _previous_month(today)
    deadline = reporting_month_get(period).deadline
    if today > deadline:
        return f"{format_month(period)}: 截止日已过，不再催报"
    return reminders.missing_units_remind(period=period, today=today)


@shared_task(acks_late=True)
def reminder_robots_task(period: str, unit_ids: list[int], sender_id: int | None = None):
    """The group-robot part of an office's 催报 (reports.services.reminders.reminders_send with
    robots_later): each robot within its deadline, every delivery in 催报记录."""
    units = list(Unit.objects.filter(pk__in=unit_ids).order_by("sort_order", "code"))
    sender = get_user_model().objects.filter(pk=sender_id).first() if sender_id else None
    result = reminders.reminder_robots_send(period=parse_month(period), units=units, sender=sender)
    return {"robots": result.robots, "failed": len(result.failed)}


@shared_task(acks_late=True)
def month_lock_scheduled():
    """Close last month at its lock date."""
    today = clock.today()
    period = _previous_month(today)
    return reminders.month_lock(period=period, today=today)


@shared_task(acks_late=True)
def supervision_overdue_scheduled():
    """Remind those who can act on each overdue 督办单 (at most once a day per order, so a
    redelivered or repeated run sends nothing more)."""
    from reports.supervision.services import overdue_remind

    sent = overdue_remind(today=clock.today())
    return f"已向 {sent} 个可办理的账号发送逾期提醒" if sent else "没有需要提醒的逾期督办单"


@shared_task(acks_late=True)
def report_jobs_sweep_scheduled():
    """Fail the report builds whose heartbeat stopped, and remove their half-written files."""
    return report_jobs_sweep() or "没有中断的生成任务"
