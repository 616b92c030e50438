"""Reads of the report archive: what each role may see, and a build job's progress."""

from __future__ import annotations

from reports.models import Report, ReportSeries


def visible_versions(*, office: bool):
    """Leaders see what was issued (a superseded issued version stays, beside its
    correction); the office sees drafts too."""
    qs = Report.objects.select_related("series")
    return qs if office else qs.filter(issued_at__isnull=False)


def report_for(*, kind: str, key: str, office: bool, version: int | None = None) -> Report | None:
    """The version to show: the one asked for, else the current one (office) or the
    latest issued one (leaders)."""
    qs = visible_versions(office=office).filter(kind=kind, key=key)
    if version is not None:
        return qs.filter(version=version).first()
    return qs.order_by("-version").first()


def job_status(series: ReportSeries) -> dict:
    """A build job's progress for the page that polls it: our own state, which says
    why in Chinese, plus Celery's state of the task where the result backend knows it."""
    celery_state = None
    if series.task_id:
        from django_celery_results.models import TaskResult

        celery_state = TaskResult.objects.filter(task_id=series.task_id).values_list("status", flat=True).first()
    latest = series.versions.order_by("-version").first()
    return {
        "kind": series.kind,
        "key": series.key,
        "state": series.job_state,
        "label": series.get_job_state_display(),
        "error": series.error,
        "celery_state": celery_state,
        "finished": series.job_state in (ReportSeries.Job.DONE, ReportSeries.Job.FAILED, ReportSeries.Job.IDLE),
        "version": latest.version if latest else None,
    }


def issue_missing_units(*, report: Report) -> list[str]:
    """Units still missing in the month a report covers (a bulletin: its quarter's last
    month): what the office confirms before it issues on incomplete data."""
    from indicators.rules.periods import parse_month, quarter_months
    from indicators.selectors import plan_for_year, status_board
    from reports.builders.common import reporting_of

    if report.kind == "dispatch":
        period = parse_month(report.key)
    else:
        period = quarter_months(int(report.key[:4]), int(report.key[-1]))[-1]
    plan = plan_for_year(period.year)
    if plan is None:
        return []
    return [u.name for u in reporting_of(status_board(plan=plan, period=period)).missing]
