"""Template context: the signed-in user's membership (unit and role) and their unread
notification count (counted only when a template shows it)."""


def membership(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"membership": None, "unread_notifications": 0}

    def unread():
        from actions.models import Notification

        return Notification.objects.filter(user=user, read_at__isnull=True).count()

    return {"membership": getattr(user, "membership", None), "unread_notifications": unread}
