"""Moments as users read them: in the site's time zone (Asia/Shanghai), never UTC.
Templates convert by themselves; Python code that writes a time into text uses this."""

from django.utils import timezone


def local_text(moment, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """`moment` (an aware datetime, stored in UTC) as local wall-clock text."""
    return timezone.localtime(moment).strftime(fmt)
