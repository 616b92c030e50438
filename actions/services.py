"""Writes of the actions app: in-app notifications (mailed too where the user has an
address) and task progress."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from actions.models import Membership, Notification, Unit

log = logging.getLogger(__name__)


def users_with_role(role: str, unit: Unit | None = None):
    qs = get_user_model().objects.filter(is_active=True, membership__role=role)
    if unit is not None:
        qs = qs.filter(membership__unit=unit)
    return list(qs)


def office_users():
    return users_with_role(Membership.Role.OFFICE)


def notify(*, users, text: str, url: str = "") -> int:
    """One notification per distinct user; mail is sent after commit, and a mail server
    that is down never undoes the workflow step that triggered it."""
    distinct = {u.pk: u for u in users if u is not None}
    Notification.objects.bulk_create([Notification(user=u, text=text[:300], url=url) for u in distinct.values()])
    addresses = [u.email for u in distinct.values() if u.email]
    if addresses:
        link = f"\n\n{settings.SITE_URL.rstrip('/')}{url}" if url and getattr(settings, "SITE_URL", "") else ""

        def mail():
            try:
                send_mail("【营商环境监测平台】" + text[:60], text + link, None, addresses, fail_silently=False)
            except Exception:  # mail is best effort; the in-app notice is kept
                log.exception("notification mail failed")

        transaction.on_commit(mail)
    return len(distinct)


def notifications_mark_read(*, user, ids: list[int] | None = None) -> int:
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())


def notifications_clear(*, users, url: str) -> int:
    """Mark read the unread notifications of `users` that point to `url`: once someone
    has acted on a submission, the request to act on it no longer waits in anyone's list."""
    ids = [u.pk for u in users if u is not None]
    if not ids or not url:
        return 0
    return Notification.objects.filter(user_id__in=ids, url=url, read_at__isnull=True).update(read_at=timezone.now())


# What the apps above do when a unit is saved or deleted (indicators refreshes the stored
# statuses that depend on it), registered from their AppConfig.ready(): actions imports no
# app above it. Each hook is called as hook(before, after): the unit as stored before the
# write (None: a new unit) and after it (None: deleted).
UNIT_CHANGED_HOOKS: list = []


def unit_save(unit: Unit) -> Unit:
    """Save a unit (admin, shell) and tell the apps that depend on it."""
    before = Unit.objects.filter(pk=unit.pk).first() if unit.pk is not None else None
    unit.save()
    for hook in UNIT_CHANGED_HOOKS:
        hook(before, unit)
    return unit


def unit_delete(unit: Unit) -> None:
    """Delete a unit (admin) and tell the apps that depend on it."""
    unit.delete()
    for hook in UNIT_CHANGED_HOOKS:
        hook(unit, None)
