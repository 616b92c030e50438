"""督查督办 in admin: the office's settings (one row), the plan's rules and the number
sequence read-only, orders and findings for lookup (their steps go through the pages,
which record who, when and why)."""

from django.contrib import admin

from actions.admin_base import ReadOnlyAdmin
from actions.hygiene import CleanTextModelForm
from reports.supervision.models import Finding, OrderNumber, ProposalRule, SupervisionOrder, SupervisionSettings


@admin.register(SupervisionSettings)
class SupervisionSettingsAdmin(admin.ModelAdmin):
    form = CleanTextModelForm
    list_display = [
        "red_supervise",
        "red_listed",
        "overdue_interview",
        "green_close",
        "deliverable_supervise",
        "answer_days",
        "overdue_points",
        "overdue_points_confirmed",
    ]

    def has_add_permission(self, request):  # one row
        return not SupervisionSettings.objects.exists()


@admin.register(ProposalRule)
class ProposalRuleAdmin(ReadOnlyAdmin):
    list_display = ["plan", "when", "propose", "sort_order"]


@admin.register(OrderNumber)
class OrderNumberAdmin(ReadOnlyAdmin):
    list_display = ["year", "last"]


@admin.register(SupervisionOrder)
class SupervisionOrderAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "unit", "metric", "deliverable", "level", "stage", "due", "raised_at"]
    list_filter = ["stage", "level"]
    search_fields = ["problem"]


@admin.register(Finding)
class FindingAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "source", "unit", "state"]
    list_filter = ["source", "state"]
