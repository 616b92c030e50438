"""Admin access that follows a user's role: the office (市优化办) edits the periodic
schedules (django-celery-beat) in admin, so office users are staff and belong to the
OFFICE_GROUP that holds exactly those permissions. Kept in step on every save of a
membership and after every migrate (users who existed before)."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db.models.signals import post_save
from django.dispatch import receiver

from actions.models import Membership

OFFICE_GROUP = "市优化办(周期任务管理)"
# The schedule rows, to see and to change: the admin (reports.admin) narrows a change to
# the time of day and on/off. No crontab, interval or other schedule rows, no new tasks.
OFFICE_PERMISSIONS = (("django_celery_beat", "view_periodictask"), ("django_celery_beat", "change_periodictask"))


def office_group() -> Group:
    """The group with exactly OFFICE_PERMISSIONS (created, completed, or narrowed: a
    database from before also loses what the group held then)."""
    group, _ = Group.objects.get_or_create(name=OFFICE_GROUP)
    wanted = set(
        Permission.objects.filter(
            content_type__app_label__in={app for app, _c in OFFICE_PERMISSIONS},
            codename__in={c for _a, c in OFFICE_PERMISSIONS},
        ).values_list("pk", flat=True)
    )
    if set(group.permissions.values_list("pk", flat=True)) != wanted:
        group.permissions.set(wanted)
    return group


def office_admin_sync(*, membership: Membership) -> None:
    """Make an office user staff in OFFICE_GROUP; take the group (and the staff flag it
    gave) from a user who is no longer office. Superusers and administrators keep theirs."""
    user = membership.user
    if membership.role == Membership.Role.OFFICE:
        user.groups.add(office_group())
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        return
    group = Group.objects.filter(name=OFFICE_GROUP).first()
    if group is not None and user.groups.filter(pk=group.pk).exists():
        user.groups.remove(group)
        if user.is_staff and not user.is_superuser and membership.role != Membership.Role.ADMIN:
            user.is_staff = False
            user.save(update_fields=["is_staff"])


def office_admin_sync_all(**kwargs) -> int:
    """After migrate: every office user (including those made before this rule) is in step."""
    memberships = Membership.objects.filter(role=Membership.Role.OFFICE).select_related("user")
    for membership in memberships:
        office_admin_sync(membership=membership)
    return len(memberships)


@receiver(post_save, sender=Membership, dispatch_uid="actions-office-admin-sync")
def _membership_saved(sender, instance: Membership, raw=False, **kwargs):
    if not raw:  # not while loading a backup: its rows carry their own groups
        office_admin_sync(membership=instance)
