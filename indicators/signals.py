"""Unit and assignment edits (admin, shell) change which rows a month has and who is
expected to report (for a unit, only when whether or when it reports changed), and the
office's baselines (admin, its page, a file) change what a year's figures are compared
with: their months are refreshed on commit. Every other write goes through
a service that calls indicators.status_store itself."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save, pre_save

from actions.models import Unit
from indicators.models import Assignment, Baseline
from indicators.status.refresh import status_refresh_years_on_commit


def _assignment_changed(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata (restore) refreshes everything itself
        return
    plan_year = getattr(getattr(instance, "metric", None), "plan", None)
    status_refresh_years_on_commit({plan_year.year} if plan_year else None)


# What of a unit its stored rows depend on: names, kinds and order are read live.
UNIT_FIELDS = ("reports", "active_from", "active_until")


def _unit_saving(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        return
    old = sender.objects.filter(pk=instance.pk).values(*UNIT_FIELDS).first()
    instance._status_unchanged = old is not None and all(old[f] == getattr(instance, f) for f in UNIT_FIELDS)


def _baseline_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    status_refresh_years_on_commit({instance.metric.plan.year})


def _unit_changed(sender, instance, raw=False, **kwargs):
    if raw or getattr(instance, "_status_unchanged", False):
        return
    status_refresh_years_on_commit(None)  # a unit reports in every year


def connect() -> None:
    """Called from IndicatorsConfig.ready()."""
    for signal in (post_save, post_delete):
        signal.connect(_assignment_changed, sender=Assignment, dispatch_uid=f"status-assignment-{signal is post_save}")
        signal.connect(_unit_changed, sender=Unit, dispatch_uid=f"status-unit-{signal is post_save}")
        signal.connect(_baseline_changed, sender=Baseline, dispatch_uid=f"status-baseline-{signal is post_save}")
    pre_save.connect(_unit_saving, sender=Unit, dispatch_uid="status-unit-before")
