"""Admin for the report archive: versions, build jobs and the bulletin's case texts.
The periodic schedule itself is django-celery-beat's admin (定时任务)."""

from django.contrib import admin

from reports.models import BulletinNote, DocNumber, FinalDocx, ReminderLog, Report, ReportSeries, ReportSettings


@admin.register(ReportSeries)
class ReportSeriesAdmin(admin.ModelAdmin):
    list_display = ["kind", "key", "job_state", "requested_at", "finished_at", "error"]
    list_filter = ["kind", "job_state"]
    readonly_fields = ["task_id", "requested_at", "requested_by", "finished_at"]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["kind", "key", "version", "state", "is_correction", "built_at", "issued_at"]
    list_filter = ["kind", "state", "is_correction"]
    search_fields = ["key", "title"]
    readonly_fields = ["series", "kind", "key", "version", "content", "changes", "built_at", "built_by", "task_id"]


@admin.register(BulletinNote)
class BulletinNoteAdmin(admin.ModelAdmin):
    list_display = ["key", "kind", "unit", "text", "created_at"]
    list_filter = ["key", "kind"]


@admin.register(ReminderLog)
class ReminderLogAdmin(admin.ModelAdmin):
    """催报 deliveries are a record: read, never edited."""

    list_display = ["sent_at", "period", "unit", "user", "channel", "ok", "error", "sent_by"]
    list_filter = ["channel", "ok", "period"]
    search_fields = ["unit__name", "user__username", "error"]
    list_select_related = ["unit", "user", "sent_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ReportSettings)
class ReportSettingsAdmin(admin.ModelAdmin):
    list_display = ["issuer", "issuer_short", "sealed", "red_black_list"]

    def has_add_permission(self, request):  # one row
        return not ReportSettings.objects.exists()


@admin.register(DocNumber)
class DocNumberAdmin(admin.ModelAdmin):
    list_display = ["series", "year", "last"]
    readonly_fields = ["series", "year", "last"]  # numbers are never given back


@admin.register(FinalDocx)
class FinalDocxAdmin(admin.ModelAdmin):
    list_display = ["report", "uploaded_at", "uploaded_by", "file"]
    readonly_fields = ["report", "file", "uploaded_at", "uploaded_by"]


from reports.supervision import admin as _supervision_admin  # noqa: E402,F401  (督查督办)
