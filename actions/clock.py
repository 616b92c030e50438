"""The product's "today" and "now" for business dates (deadlines, locks, 成文日期, 字号,
submission times): the real date, or the demo's fixed date (settings.DEMO_TODAY) at the
real time of day. Read it here, never from timezone.localdate() elsewhere, so that the
demo shows one moment. Technical times (job heartbeats, sessions, throttling) stay real."""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.utils import timezone


def today() -> date:
    return settings.DEMO_TODAY or timezone.localdate()


def now() -> datetime:
    real = timezone.now()
    demo = settings.DEMO_TODAY
    if demo is None:
        return real
    local = timezone.localtime(real)
    return local.replace(year=demo.year, month=demo.month, day=demo.day)
