"""Login throttling on top of django-axes: axes locks an account after a few failures
whatever the address (AXES_LOCKOUT_PARAMETERS = ["username"]); this handler also refuses
an address that failed many times across usernames (one password sprayed over many
accounts). An office behind one NAT address shares that address, hence a higher limit."""

from __future__ import annotations

from datetime import timedelta
from ipaddress import ip_address

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone


def client_ip(request) -> str | None:
    """The client's address. Behind the local TLS proxy every request comes from loopback;
    the proxy appends the address it saw to X-Forwarded-For, so the last entry is the one
    to trust (earlier entries are whatever the client chose to send)."""
    remote = request.META.get("REMOTE_ADDR")
    if settings.BEHIND_TLS_PROXY and remote and _is_loopback(remote):
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if forwarded and _is_address(forwarded[-1]):
            return forwarded[-1]
    return remote


def _is_address(text: str) -> bool:
    try:
        ip_address(text)
    except ValueError:
        return False
    return True


def _is_loopback(text: str) -> bool:
    return _is_address(text) and ip_address(text).is_loopback


def ip_failures(ip: str | None, *, now=None) -> int:
    """Failed logins from `ip` within the cool-off window, over every username."""
    if not ip:
        return 0
    since = (now or timezone.now()) - timedelta(hours=settings.AXES_COOLOFF_TIME)
    attempts = AccessAttempt.objects.filter(ip_address=ip, attempt_time__gte=since)
    return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0


def ip_throttled(request) -> bool:
    return ip_failures(getattr(request, "axes_ip_address", None)) >= settings.AXES_IP_FAILURE_LIMIT


class ThrottlingHandler(AxesDatabaseHandler):
    def is_locked(self, request, credentials=None) -> bool:
        if super().is_locked(request, credentials):
            return True
        if ip_throttled(request):
            request.axes_ip_throttled = True  # the lockout page says why
            return True
        return False

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is not None and not getattr(request, "axes_locked_out", False) and ip_throttled(request):
            request.axes_locked_out = True
            request.axes_ip_throttled = True
            request.axes_credentials = credentials
