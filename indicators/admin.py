"""Admin for metrics, assignments, figures and the monthly workflow records."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from actions.admin_base import ReadOnlyAdmin
from actions.hygiene import CleanTextModelForm
from indicators.models import (
    Assignment,
    AssumptionConfirmation,
    Baseline,
    Benchmark,
    CorrectionRequest,
    Figure,
    Metric,
    ReportingMonth,
    Submission,
)
from indicators.status.refresh import status_refresh_on_commit, status_refresh_years_on_commit


class RefreshesStatus:
    """An edit in admin refreshes the stored statuses of what it touched, on commit (the
    admin saves inside a transaction), like every service that writes."""

    def refresh(self, obj) -> None:
        if isinstance(obj, Metric):  # a target: its year, and next year's last-year comparisons
            status_refresh_years_on_commit({obj.plan.year, obj.plan.year + 1})
        elif isinstance(obj, (Assignment, Baseline)):  # who reports, or what a year is compared with
            status_refresh_years_on_commit({obj.metric.plan.year})
        else:
            status_refresh_on_commit([obj.period], next_year=isinstance(obj, Figure))

    def save_model(self, request, obj, form, change):
        if change and not isinstance(obj, Metric) and {"period", "metric"} & set(form.changed_data):
            self.refresh(type(obj).objects.get(pk=obj.pk))  # the month (or plan year) it leaves
        super().save_model(request, obj, form, change)
        self.refresh(obj)

    def delete_model(self, request, obj):
        self.refresh(obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.refresh(obj)
        super().delete_queryset(request, queryset)


class BenchmarkInline(admin.TabularInline):
    form = CleanTextModelForm
    model = Benchmark
    extra = 0


class AssignmentInline(admin.TabularInline):
    form = CleanTextModelForm
    model = Assignment
    extra = 0
    autocomplete_fields = ["unit"]


@admin.register(Metric)
class MetricAdmin(RefreshesStatus, admin.ModelAdmin):
    form = CleanTextModelForm
    list_display = ["name", "code", "area", "indicator", "measure", "scope", "kind", "target_text", "tolerance"]
    list_filter = ["plan", "area", "indicator", "kind", "measure", "scope"]
    search_fields = ["name", "code", "source"]
    list_select_related = ["area", "indicator", "relative_metric"]
    inlines = [BenchmarkInline, AssignmentInline]
    fieldsets = [
        (None, {"fields": ["plan", "area", "indicator", "task", "code", "name", "unit_of_measure", "sort_order"]}),
        ("计量", {"fields": ["measure", "aggregate", "basis", "scope"]}),
        (
            "目标",
            {
                "fields": [
                    "kind",
                    "value",
                    "low",
                    "high",
                    "direction",
                    "relative_metric",
                    "due",
                    "checkpoints",
                    "stretch",
                    "tolerance",
                    "pace",
                    "pace_from",
                    "pace_profile",
                    "batch_months",
                    "year_end_only",
                    "baseline",
                ]
            },
        ),
        ("来源", {"fields": ["source", "reading"]}),
    ]

    @admin.display(description="目标")
    def target_text(self, obj):
        return obj.target_text()


@admin.register(Assignment)
class AssignmentAdmin(RefreshesStatus, admin.ModelAdmin):
    form = CleanTextModelForm
    list_display = ["metric", "unit"]
    list_filter = ["metric__plan", "metric__area", "unit__kind"]
    search_fields = ["metric__name", "unit__name"]
    list_select_related = ["metric", "unit"]


@admin.register(Figure)
class FigureAdmin(RefreshesStatus, SimpleHistoryAdmin):
    form = CleanTextModelForm
    list_display = ["unit", "metric", "period", "value", "numerator", "denominator", "cases", "state", "source", "updated_at"]
    list_filter = ["period", "source", "metric__area", "unit__kind"]
    search_fields = ["unit__name", "metric__name", "explanation"]
    list_select_related = ["unit", "metric"]
    date_hierarchy = "period"
    readonly_fields = ["entered_by", "updated_at"]


@admin.register(ReportingMonth)
class ReportingMonthAdmin(RefreshesStatus, admin.ModelAdmin):
    form = CleanTextModelForm
    list_display = ["period", "deadline", "lock_date"]
    date_hierarchy = "period"


@admin.register(Submission)
class SubmissionAdmin(RefreshesStatus, SimpleHistoryAdmin):
    form = CleanTextModelForm
    list_display = ["unit", "period", "state", "is_late", "submitted_at", "accepted_at"]
    list_filter = ["state", "is_late", "period", "unit__kind"]
    search_fields = ["unit__name"]
    list_select_related = ["unit"]
    date_hierarchy = "period"


@admin.register(CorrectionRequest)
class CorrectionRequestAdmin(SimpleHistoryAdmin):
    form = CleanTextModelForm
    list_display = ["unit", "period", "state", "requested_by", "requested_at", "decided_by", "decided_at"]
    list_filter = ["state", "period", "unit__kind"]
    search_fields = ["unit__name", "reason"]
    list_select_related = ["unit", "requested_by", "decided_by"]
    readonly_fields = ["requested_by", "requested_at", "decided_by", "decided_at"]


@admin.register(Baseline)
class BaselineAdmin(RefreshesStatus, SimpleHistoryAdmin):
    """Last year's values; the office's page (/indicators/baselines/) is the usual way in."""

    form = CleanTextModelForm

    list_display = ["metric", "unit", "period", "value", "note", "updated_at"]
    list_filter = ["metric__plan"]
    search_fields = ["metric__name", "metric__code", "unit__name"]
    list_select_related = ["metric", "unit"]
    autocomplete_fields = ["unit"]


from indicators.ledger import admin as ledger_admin  # noqa: E402, F401 (the task ledger's admin)


@admin.register(AssumptionConfirmation)
class AssumptionConfirmationAdmin(ReadOnlyAdmin):
    """The office's confirmations of the plan's assumptions (待核定) are a record: read,
    searched and filtered here; a confirmation is made only on the office's page
    (/indicators/assumptions/, indicators.assumptions), which keeps the metric's
    `confirmed` and the stored statuses in step with it."""

    list_display = ["confirmed_at", "plan", "metric", "deliverable", "label", "old_value", "new_value", "confirmed_by"]
    list_filter = ["plan", "label", "confirmed_by"]  # the label: the 核定事项 in Chinese
    search_fields = ["metric__name", "metric__code", "deliverable__name", "label", "old_value", "new_value"]
    list_select_related = ["plan", "metric", "deliverable", "confirmed_by"]
    date_hierarchy = "confirmed_at"
