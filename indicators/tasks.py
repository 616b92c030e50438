"""Celery tasks of the indicators app: thin wrappers over services."""

from datetime import date

from celery import shared_task
from django.db import InterfaceError, OperationalError

from indicators.models import Figure
from indicators.rules.periods import parse_month
from indicators.status.refresh import status_refresh, status_refresh_open


@shared_task
def figures_count(period: str | None = None) -> int:
    """How many figures the database holds (for a month, if given): a cheap real task
    that proves the broker, the worker and the database are wired together."""
    qs = Figure.objects.all()
    if period:
        qs = qs.filter(period=parse_month(period))
    return qs.count()


@shared_task(acks_late=True, autoretry_for=(OperationalError, InterfaceError), retry_backoff=5, max_retries=5)
def status_refresh_task(periods: list[str]) -> int:
    """Refresh the stored statuses of months given as "YYYY-MM-DD" (queued on commit by
    status_refresh_on_commit when STATUS_REFRESH_ASYNC). Safe to run twice."""

    return status_refresh(periods=[date.fromisoformat(p) for p in periods])


@shared_task(acks_late=True, autoretry_for=(OperationalError, InterfaceError), retry_backoff=5, max_retries=5)
def status_refresh_open_task() -> list[str]:
    """Daily: refresh the months whose statuses move with the calendar (the running
    month's judgement date, pace and due dates; the month before's deadline)."""
    return [p.isoformat() for p in status_refresh_open()]
