from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "indicators"
    verbose_name = "指标与数据"

    def ready(self):
        from indicators import signals  # here: models must be loaded before the app is ready
        from indicators.status import refresh
        from indicators.tasks import status_refresh_task

        signals.connect()
        refresh.status_refresh_queue_set(status_refresh_task)
