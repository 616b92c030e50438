"""Django's cache, keyed by the stored rows' last refresh: a result drawn from a month's
rows is kept until that month is refreshed."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable
from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.db import connection

from actions.models import Plan
from indicators.models import StatusMonth

log = logging.getLogger(__name__)


def rows_key(name: str, parts: Iterable, periods: Iterable[date]) -> str | None:
    """A cache key for a result drawn from the stored rows of `periods`: it changes with
    every refresh of those months. None (do not cache) when a month has no current rows
    or the result cache is off. One query."""
    return rows_keys(name, {None: (parts, periods)})[None]


def rows_keys(name: str, wanted: dict) -> dict:
    """rows_key for several results at once, `wanted` mapping each to its (parts,
    periods): one query for all their months (two when a month without rows is in a
    year with a plan)."""
    if not settings.RESULT_CACHE:
        return dict.fromkeys(wanted)
    wanted = {k: (list(parts), sorted(set(periods))) for k, (parts, periods) in wanted.items()}
    every = {p for _parts, periods in wanted.values() for p in periods}
    months = StatusMonth.objects.filter(period__in=every).values_list("period", "computed_at", "pending_since")
    found = {p: (c, s) for p, c, s in months}
    absent_years = {p.year for p in every if p not in found}
    # A month of a year without a plan has no rows and nothing to change (the December
    # before a plan's first month); any other month without rows is computed each time.
    planned = set(Plan.objects.filter(year__in=absent_years).values_list("year", flat=True)) if absent_years else set()
    database = connection.settings_dict["NAME"]
    out = {}
    for k, (parts, periods) in wanted.items():
        if any(p in found and (found[p][0] is None or found[p][1] is not None) for p in periods):
            out[k] = None
            continue
        if any(p not in found and p.year in planned for p in periods):
            out[k] = None
            continue
        stamps = [f"{p}={found[p][0].isoformat() if p in found else '-'}" for p in periods]
        raw = "|".join([str(database), name, *map(str, parts), *stamps])
        out[k] = f"rows:{name}:{hashlib.sha256(raw.encode()).hexdigest()}"
    return out


_MISSING = object()


def rows_cached(name: str, parts: Iterable, periods: Iterable[date], compute: Callable[[], object]):
    """compute(), or its result from the cache while the rows of `periods` are unchanged."""
    key = rows_key(name, parts, periods)
    if key is None:
        return compute()
    value = cache_get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache_put(key, value)
    return value


# The cache only saves time: when its server (Redis) is down or slow, a read is a miss and
# a write is skipped, logged, and the page is computed as if there were no cache.
def cache_get(key: str, default=None):
    try:
        return cache.get(key, default)
    except Exception as exc:  # any backend failure (connection refused, timeout…)
        log.warning("result cache unavailable, computing instead: %s", exc)
        return default


def cache_get_many(keys: Iterable[str]) -> dict:
    """The values kept under `keys` (the missing ones left out), in one round trip."""
    try:
        return cache.get_many(list(keys))
    except Exception as exc:
        log.warning("result cache unavailable, computing instead: %s", exc)
        return {}


def cache_put(key: str, value) -> None:
    try:
        cache.set(key, value, settings.RESULT_CACHE_SECONDS)
    except Exception as exc:
        log.warning("result cache unavailable, result not kept: %s", exc)
