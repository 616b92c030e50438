from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "indicators"
    verbose_name = "指标与数据"

    def ready(self):
        from indicators import signals  # here: models must be loaded before the app is ready

        signals.connect()
        # load_plan keeps the task ledger's deliverables (the file's `deliverables:`)
        from indicators.ledger.services import deliverables_sync
        from indicators.services.plan import PLAN_LOADED_HOOKS

        if deliverables_sync not in PLAN_LOADED_HOOKS:
            PLAN_LOADED_HOOKS.append(deliverables_sync)
