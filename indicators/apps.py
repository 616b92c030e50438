from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "indicators"
    verbose_name = "指标与数据"

    def ready(self):
        from indicators import signals  # here: models must be loaded before the app is ready

        signals.connect()
