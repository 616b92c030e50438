"""Admin for the plan's structure, units and users' roles (the office and administrators)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from simple_history.admin import SimpleHistoryAdmin

from actions.admin_base import ReadOnlyAdmin
from actions.hygiene import CleanTextModelForm
from actions.models import ActionArea, Indicator, Membership, Notification, Plan, PlanLoad, Task, TaskReport, Unit
from actions.services import unit_delete, unit_save

admin.site.site_header = "衡阳市优化营商环境攻坚行动监测平台 · 管理后台"
admin.site.site_title = "营商环境监测平台"
admin.site.index_title = "数据与系统管理"


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    form = CleanTextModelForm
    list_display = ["year", "title", "issued", "issuer"]
    search_fields = ["title"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    form = CleanTextModelForm
    list_display = ["code", "name", "kind", "parent", "reports", "needs_approval", "active_from", "active_until"]
    list_filter = ["kind", "reports", "needs_approval"]
    ordering = ["sort_order", "code"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]

    # Through the service: the apps that keep data derived from units are told (stored statuses).
    def save_model(self, request, obj, form, change):
        unit_save(obj)

    def delete_model(self, request, obj):
        unit_delete(obj)

    def delete_queryset(self, request, queryset):
        for unit in queryset:
            unit_delete(unit)


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    form = CleanTextModelForm
    list_display = ["name", "code", "plan", "lead_unit", "chief_name", "chief_post"]
    list_filter = ["plan"]
    search_fields = ["name", "code", "chief_name"]
    list_select_related = ["plan", "lead_unit"]


class TaskInline(admin.TabularInline):
    form = CleanTextModelForm
    model = Task
    fields = ["number", "code", "title", "lead_indicator"]
    extra = 0


@admin.register(ActionArea)
class ActionAreaAdmin(admin.ModelAdmin):
    form = CleanTextModelForm
    list_display = ["name", "number", "code", "plan"]
    list_filter = ["plan"]
    search_fields = ["name", "goals"]
    inlines = [TaskInline]


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    form = CleanTextModelForm
    list_display = ["__str__", "code", "area", "lead_indicator"]
    list_filter = ["plan", "area"]
    search_fields = ["title", "text", "code"]
    list_select_related = ["area", "lead_indicator"]


@admin.register(TaskReport)
class TaskReportAdmin(SimpleHistoryAdmin):
    form = CleanTextModelForm
    list_display = ["unit", "task", "period", "state", "highlight", "updated_at"]
    list_filter = ["state", "highlight", "period", "unit__kind"]
    search_fields = ["unit__name", "task__title", "narrative"]
    list_select_related = ["unit", "task", "task__area"]
    date_hierarchy = "period"


class MembershipInline(admin.StackedInline):
    form = CleanTextModelForm
    model = Membership
    can_delete = False
    verbose_name_plural = "单位与角色"


admin.site.unregister(User)


@admin.register(User)
class MemberUserAdmin(UserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "email", "role", "unit", "is_active", "last_login"]
    list_filter = ["membership__role", "membership__unit__kind", "is_active", "is_staff"]
    search_fields = ["username", "first_name", "email", "membership__unit__name"]
    list_select_related = ["membership", "membership__unit"]

    @admin.display(description="角色")
    def role(self, obj):
        m = getattr(obj, "membership", None)
        return m.get_role_display() if m else "—"

    @admin.display(description="单位")
    def unit(self, obj):
        m = getattr(obj, "membership", None)
        return m.unit if m and m.unit else "—"


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    form = CleanTextModelForm
    list_display = ["user", "role", "unit"]
    list_filter = ["role", "unit__kind"]
    search_fields = ["user__username", "unit__name"]
    list_select_related = ["user", "unit"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    form = CleanTextModelForm
    list_display = ["user", "text", "created_at", "read_at"]
    list_filter = ["read_at"]
    search_fields = ["user__username", "text"]
    list_select_related = ["user"]


@admin.register(PlanLoad)
class PlanLoadAdmin(ReadOnlyAdmin):
    """Who loaded which plan file when, and what it changed: read only."""

    list_display = ["loaded_at", "year", "file_name", "loaded_by", "os_user", "summary"]
    list_filter = ["year"]
    readonly_fields = ["year", "file_name", "sha256", "loaded_by", "os_user", "loaded_at", "summary", "changes"]
