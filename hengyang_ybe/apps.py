"""The site itself as an app: wiring that belongs to no domain app."""

from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in


def _session_started(sender, request, user, **kwargs):
    from hengyang_ybe.middleware import session_touch

    session_touch(request)


def chinese_cron_description(expression: str, options=None) -> str:
    """cron-descriptor's wording of a schedule, in Chinese and on a 24-hour clock (it
    otherwise follows the server's locale, English on ours)."""
    from cron_descriptor import ExpressionDescriptor, Options

    options = options or Options()
    options.locale_code, options.use_24hour_time_format = "zh_CN", True
    return ExpressionDescriptor(expression, options).get_description()


class SiteConfig(AppConfig):
    name = "hengyang_ybe"
    verbose_name = "站点"

    def ready(self):
        # The idle clock starts at sign-in, written with the sign-in's own session save.
        user_logged_in.connect(_session_started, dispatch_uid="hengyang-session-started")
        # The office reads the periodic schedules in admin ("在 09:00, 每月的 3 和 5 号").
        import django_celery_beat.models as beat_models

        beat_models.get_description = chinese_cron_description
