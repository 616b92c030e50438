"""Admin of the task ledger: deliverables come from the plan file (read here, edited in
the file); reports and their history are read here, entered on the ledger pages."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from actions.hygiene import CleanTextModelForm
from indicators.ledger.models import Deliverable, DeliverableEvidence, DeliverableReport


@admin.register(Deliverable)
class DeliverableAdmin(admin.ModelAdmin):
    form = CleanTextModelForm
    list_display = ["code", "name", "task", "lead_unit", "due"]
    list_filter = ["plan", "task__area"]
    search_fields = ["code", "name", "source"]
    filter_horizontal = ["co_units"]
    # 已核定事项 changes only on the office's 核定 page (indicators.assumptions), with its record.
    readonly_fields = ["confirmed"]


class EvidenceInline(admin.TabularInline):
    model = DeliverableEvidence
    form = CleanTextModelForm
    extra = 0
    fields = ["name", "extension", "size", "sha256", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    can_delete = False


@admin.register(DeliverableReport)
class DeliverableReportAdmin(SimpleHistoryAdmin):
    form = CleanTextModelForm
    list_display = ["deliverable", "unit", "period", "state", "updated_at"]
    list_filter = ["state", "period", "unit"]
    search_fields = ["deliverable__name", "note"]
    inlines = [EvidenceInline]
    readonly_fields = ["entered_by", "updated_at"]
