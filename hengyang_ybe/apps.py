"""The site itself as an app: wiring that belongs to no domain app."""

from axes.apps import AppConfig as AxesAppConfig
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
        _beat_labels(beat_models)


def _beat_labels(beat_models) -> None:
    """The few labels of django-celery-beat's admin that no catalogue can translate (a
    plain-string field name, property names shown as columns); the rest is in locale/."""
    from django_celery_beat import admin as beat_admin

    beat_models.PeriodicTask._meta.get_field("task").verbose_name = "任务名称"
    beat_models.PeriodicTask.scheduler.fget.short_description = "执行计划"
    beat_models.CrontabSchedule.human_readable.fget.short_description = "执行规则"
    beat_admin.PeriodicTaskAdmin.crontab_translation.short_description = "执行规则"


class AxesConfig(AxesAppConfig):
    """django-axes as the office sees it in admin (the package gives its app no name);
    its models' and fields' names are translated in locale/."""

    verbose_name = "登录安全"
