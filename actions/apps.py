from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_office_admin(sender, **kwargs):
    from actions.staff import office_admin_sync_all

    office_admin_sync_all()


class ActionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "actions"
    verbose_name = "行动与单位"

    def ready(self):
        # Office users edit the schedules in admin: staff, in the office group (actions.staff).
        import actions.staff  # noqa: F401  (connects the membership receiver)

        post_migrate.connect(_sync_office_admin, sender=self, dispatch_uid="actions-office-admin-sync")
