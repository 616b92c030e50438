"""The site itself as an app: wiring that belongs to no domain app."""

from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in


def _session_started(sender, request, user, **kwargs):
    from hengyang_ybe.middleware import session_touch

    session_touch(request)


class SiteConfig(AppConfig):
    name = "hengyang_ybe"
    verbose_name = "站点"

    def ready(self):
        # The idle clock starts at sign-in, written with the sign-in's own session save.
        user_logged_in.connect(_session_started, dispatch_uid="hengyang-session-started")
