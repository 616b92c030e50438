"""Results computed from the figures (status boards, scorecards, rankings, a metric's
year), kept in Django's cache under version tokens of the data they were read from.

Every write to those data puts a new random token on its slice (signals below, or
`bump` from code that writes in bulk), so a cached result is never served after a change
to what it was computed from: a page after a saved figure is computed afresh, and every
later request for it is a cache read. The slices:

- STRUCTURE: plans, areas, tasks, indicators, metrics, assignments, units, benchmarks,
  baselines, reporting months; also bumped by bulk loads (seed, load_plan, restore).
- "figures:YYYY-MM" and "figures:YYYY": the figures of a month, of a year.
- "submissions:YYYY": the submissions of a year (timeliness in scores and scorecards).

The token of each slice lives in the database (indicators.CacheVersion), so every web
and worker process agrees on it whatever cache backend it uses. Tokens are read in one
query per cached call."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from uuid import uuid4

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction

logger = logging.getLogger(__name__)

STRUCTURE = "structure"
_MISSING = object()
_pending: ContextVar[set | None] = ContextVar("cache_bumps_pending", default=None)


def month_key(period: date) -> str:
    return f"figures:{period:%Y-%m}"


def year_key(year: int) -> str:
    return f"figures:{year}"


def submissions_key(year: int) -> str:
    return f"submissions:{year}"


def submissions_month_key(period: date) -> str:
    return f"submissions:{period:%Y-%m}"


def _as_month(period: date | str) -> date:
    if isinstance(period, str):  # a row saved with its month as text ("2022-06-01")
        return date.fromisoformat(period[:10])
    return period


def figure_keys(period: date | str) -> tuple[str, str]:
    period = _as_month(period)
    return month_key(period), year_key(period.year)


def bump(*keys: str) -> None:
    """Give each slice a new token (inside `deferred()`, once at its end)."""
    pending = _pending.get()
    if pending is not None:
        pending.update(keys)
        return
    _write(keys)


@contextmanager
def deferred():
    """Collect the bumps of a batch of writes and make each once, at the end: a form
    saving 40 figures bumps its month once, not 40 times."""
    if _pending.get() is not None:
        yield
        return
    keys: set[str] = set()
    reset = _pending.set(keys)
    try:
        yield
    finally:
        _pending.reset(reset)
        if keys:
            _write(keys)


def _write(keys: Iterable[str]) -> None:
    from indicators.models import CacheVersion

    for key in sorted(set(keys)):  # one order everywhere: no deadlock between writers
        token = uuid4().hex
        if CacheVersion.objects.filter(key=key).update(token=token):
            continue
        try:
            with transaction.atomic():
                CacheVersion.objects.create(key=key, token=token)
        except IntegrityError:  # created meanwhile by another writer
            CacheVersion.objects.filter(key=key).update(token=token)


def tokens(keys: Iterable[str]) -> dict[str, str]:
    from indicators.models import CacheVersion

    keys = sorted(set(keys))
    found = dict(CacheVersion.objects.filter(key__in=keys).values_list("key", "token"))
    return {k: found.get(k, "-") for k in keys}


def key_for(name: str, parts: Iterable, keys: Iterable[str]) -> str | None:
    """The cache key of a result: its name, what tells its calls apart (plan, month,
    unit, filters…) and the current tokens of the slices `keys` (one query). None when
    the result cache is off."""
    if not settings.RESULT_CACHE:
        return None
    current = tokens([STRUCTURE, *keys])
    # The database too: two sites (or test runs) sharing one Redis never share results.
    database = connection.settings_dict["NAME"]
    raw = "|".join([str(database), name, *map(str, parts), *(f"{k}={v}" for k, v in current.items())])
    return f"result:{name}:{hashlib.sha256(raw.encode()).hexdigest()}"


def cached(name: str, parts: Iterable, keys: Iterable[str], compute: Callable[[], object]):
    """`compute()`, or its result from the cache when none of the slices `keys` has
    changed since it was computed. `parts` tell apart the calls (plan, month, unit…)."""
    key = key_for(name, parts, keys)
    if key is None:
        return compute()
    value = get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        put(key, value)
    return value


# The cache only saves time: when its server (Redis) is down or slow, a read is a miss and
# a write is skipped, logged, and the page is computed as if there were no cache.
def get(key: str, default=None):
    try:
        return cache.get(key, default)
    except Exception as exc:  # any backend failure (connection refused, timeout…)
        logger.warning("result cache unavailable, computing instead: %s", exc)
        return default


def put(key: str, value) -> None:
    try:
        cache.set(key, value, settings.RESULT_CACHE_SECONDS)
    except Exception as exc:
        logger.warning("result cache unavailable, result not kept: %s", exc)


# -- what bumps what ----------------------------------------------------------------------
# Rows loaded raw (loaddata: `restore`) bring back their own tokens with them.
def _figure_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        bump(*figure_keys(instance.period))


def _submission_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        period = _as_month(instance.period)
        bump(submissions_key(period.year), submissions_month_key(period))


def _structure_changed(sender, raw=False, **kwargs):
    if not raw:
        bump(STRUCTURE)


def connect() -> None:
    """Called from IndicatorsConfig.ready()."""
    from django.db.models.signals import post_delete, post_save

    from actions.models import ActionArea, Indicator, Plan, Task, Unit
    from indicators.models import Assignment, Baseline, Benchmark, Figure, Metric, ReportingMonth, Submission

    for signal in (post_save, post_delete):
        signal.connect(_figure_changed, sender=Figure, dispatch_uid=f"cache-figure-{signal is post_save}")
        signal.connect(_submission_changed, sender=Submission, dispatch_uid=f"cache-submission-{signal is post_save}")
        for model in (Plan, ActionArea, Task, Indicator, Unit, Metric, Assignment, Benchmark, Baseline, ReportingMonth):
            signal.connect(_structure_changed, sender=model, dispatch_uid=f"cache-{model.__name__}-{signal is post_save}")
