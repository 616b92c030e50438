"""Celery tasks of the indicators app: thin wrappers over services."""

from celery import shared_task

from indicators.models import Figure


@shared_task
def figures_count(period: str | None = None) -> int:
    """How many figures the database holds (for a month, if given): a cheap real task
    that proves the broker, the worker and the database are wired together."""
    from indicators.rules.periods import parse_month

    qs = Figure.objects.all()
    if period:
        qs = qs.filter(period=parse_month(period))
    return qs.count()
