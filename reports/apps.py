from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_schedules(sender, **kwargs):
    from reports.schedules import schedules_sync

    schedules_sync()


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = "报告与看板"

    def ready(self):
        # After every migrate, the declared schedules exist (missing ones are created).
        post_migrate.connect(_sync_schedules, sender=self, dispatch_uid="reports-schedules-sync")
        # load_plan tells this app of the file's 督查督办 rules (a hook: indicators never
        # imports reports).
        from indicators.services.plan import PLAN_LOADED_HOOKS
        from reports.supervision.proposals import proposal_rules_sync

        if proposal_rules_sync not in PLAN_LOADED_HOOKS:
            PLAN_LOADED_HOOKS.append(proposal_rules_sync)
        # The ledger pages show the open order on a late deliverable, or 督办 to the office.
        from indicators.ledger.links import LATE_ITEM_LINKS_HOOKS
        from reports.supervision.deliverables import late_item_links

        if late_item_links not in LATE_ITEM_LINKS_HOOKS:
            LATE_ITEM_LINKS_HOOKS.append(late_item_links)
        # An accepted correction of a printed month drafts its 更正通知 (the same way round).
        from indicators.services.workflow import CORRECTIONS_ACCEPTED_HOOKS
        from reports.services.corrections import corrections_accepted

        if corrections_accepted not in CORRECTIONS_ACCEPTED_HOOKS:
            CORRECTIONS_ACCEPTED_HOOKS.append(corrections_accepted)
        # The tasks are registered with Celery in every process, the web's too: the services
        # queue them by name (reports.tasks imports the services, never the reverse).
        import reports.tasks  # noqa: F401
