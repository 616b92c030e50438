from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "indicators"
    verbose_name = "指标与数据"

    def ready(self):
        # Here: models must be loaded before the app is ready. The lower layer (actions) and
        # the status package call up through what is registered here, never by an import.
        from actions.services import UNIT_CHANGED_HOOKS
        from indicators.status import refresh
        from indicators.tasks import status_refresh_task

        if refresh.unit_changed not in UNIT_CHANGED_HOOKS:
            UNIT_CHANGED_HOOKS.append(refresh.unit_changed)
        refresh.status_refresh_queue_set(status_refresh_task)
        # load_plan keeps the task ledger's deliverables (the file's `deliverables:`)
        from indicators.ledger.services import deliverables_sync
        from indicators.services.plan import PLAN_LOADED_HOOKS

        if deliverables_sync not in PLAN_LOADED_HOOKS:
            PLAN_LOADED_HOOKS.append(deliverables_sync)
