"""Admin for the report archive: versions, build jobs and the bulletin's case texts;
and the periodic schedules (django-celery-beat's admin, narrowed for the office)."""

from django import forms
from django.contrib import admin, messages
from django_celery_beat.admin import PeriodicTaskAdmin as BeatPeriodicTaskAdmin
from django_celery_beat.models import PeriodicTask

from actions.hygiene import CleanTextModelForm
from reports.models import (
    BulletinNote,
    CorrectionNotice,
    DocNumber,
    FinalDocx,
    ReminderLog,
    Report,
    ReportSeries,
    ReportSettings,
)
from reports.schedules import OFFICE_SCHEDULES, SCHEDULES, schedule_retime


@admin.register(ReportSeries)
class ReportSeriesAdmin(admin.ModelAdmin):
    form = CleanTextModelForm
    list_display = ["kind", "key", "job_state", "requested_at", "finished_at", "error"]
    list_filter = ["kind", "job_state"]
    readonly_fields = ["task_id", "requested_at", "requested_by", "finished_at"]


FILES = ["docx", "pdf", "xlsx", "final_docx"]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    form = CleanTextModelForm
    list_display = ["kind", "key", "version", "state", "is_correction", "built_at", "issued_at"]
    list_filter = ["kind", "state", "is_correction"]
    search_fields = ["key", "title"]
    # The state and what an issued version printed change only through the archive's
    # steps (送审, 印发), never by editing a row; the files are built by the system or
    # uploaded through the archive page, which checks a final .docx before anything opens it.
    readonly_fields = [
        "series",
        "kind",
        "key",
        "version",
        "state",
        "content",
        "changes",
        "printed",
        "doc_number",
        "issued_at",
        "issued_by",
        "built_at",
        "built_by",
        "task_id",
        *FILES,
    ]


@admin.register(CorrectionNotice)
class CorrectionNoticeAdmin(admin.ModelAdmin):
    """更正通知 are drafted and issued on the archive pages; here they are read only."""

    form = CleanTextModelForm
    list_display = ["title", "state", "doc_number", "drafted_at", "issued_at", "issued_by"]
    list_filter = ["state"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(BulletinNote)
class BulletinNoteAdmin(admin.ModelAdmin):
    form = CleanTextModelForm
    list_display = ["key", "kind", "unit", "text", "created_at"]
    list_filter = ["key", "kind"]


@admin.register(ReminderLog)
class ReminderLogAdmin(admin.ModelAdmin):
    """催报 deliveries are a record: read, never edited."""

    form = CleanTextModelForm
    list_display = ["sent_at", "period", "unit", "user", "channel", "ok", "error", "sent_by"]
    list_filter = ["channel", "ok", "period"]
    search_fields = ["unit__name", "user__username", "error"]
    list_select_related = ["unit", "user", "sent_by"]

    def get_exclude(self, request, obj=None):
        # What a robot answered may name hosts of the internal network: admins only.
        return [] if request.user.is_superuser else ["detail"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ReportSettings)
class ReportSettingsAdmin(admin.ModelAdmin):
    form = CleanTextModelForm
    list_display = ["issuer", "issuer_short", "sealed", "red_black_list"]

    def has_add_permission(self, request):  # one row
        return not ReportSettings.objects.exists()


@admin.register(DocNumber)
class DocNumberAdmin(admin.ModelAdmin):
    form = CleanTextModelForm
    list_display = ["series", "year", "last"]
    readonly_fields = ["series", "year", "last"]  # numbers are never given back


@admin.register(FinalDocx)
class FinalDocxAdmin(admin.ModelAdmin):
    form = CleanTextModelForm
    list_display = ["report", "uploaded_at", "uploaded_by", "file"]
    readonly_fields = ["report", "file", "uploaded_at", "uploaded_by"]


# -- the periodic schedules (django-celery-beat) as the office may use them -------------
class OfficeScheduleForm(forms.ModelForm):
    """All the office may change on a schedule: its time of day, and on or off."""

    time = forms.TimeField(label="执行时间", help_text="每天几点几分(北京时间),如 9:30;执行的日期不变。", input_formats=["%H:%M"])

    class Meta:
        model = PeriodicTask
        fields = ["enabled"]
        labels = {"enabled": "启用"}
        help_texts = {"enabled": "取消勾选即停用,到点不再运行;重新勾选即恢复。"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        crontab = self.instance.crontab
        if crontab and crontab.hour.isdigit() and crontab.minute.isdigit():
            self.initial.setdefault("time", f"{int(crontab.hour)}:{int(crontab.minute):02d}")

    def save(self, commit=True):
        when = self.cleaned_data["time"]
        schedule_retime(task=self.instance, hour=when.hour, minute=when.minute)
        return super().save(commit=commit)


admin.site.unregister(PeriodicTask)


@admin.register(PeriodicTask)
class ScheduleAdmin(BeatPeriodicTaskAdmin):
    """Administrators get django-celery-beat's full admin. Office staff see the declared
    schedules of the monthly rhythm (not the sweep) and change only the time of day and
    whether each runs: no task names, arguments, new tasks or "run selected tasks"."""

    office_fieldsets = ((None, {"fields": ("name", "description", "days", "time", "enabled")}),)
    office_readonly = ("name", "description", "days")

    @staticmethod
    def _admin(request) -> bool:
        return request.user.is_superuser

    @admin.display(description="执行规则")
    def days(self, obj):
        return obj.crontab.human_readable if obj.crontab else "—"

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs if self._admin(request) else qs.filter(name__in=[s.name for s in OFFICE_SCHEDULES])

    def has_add_permission(self, request):
        return self._admin(request) and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return self._admin(request) and super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not self._admin(request):
            actions = {k: v for k, v in actions.items() if k in ("enable_tasks", "disable_tasks")}
        return actions

    @admin.action(description="立即运行所选定时任务(仅限系统定义的任务)")
    def run_tasks(self, request, queryset):
        """Only the declared schedules, as declared: a row naming another task or carrying
        arguments of its own is refused (a report is built through its service only)."""
        declared = {(s.name, s.task) for s in SCHEDULES}
        odd = [t.name for t in queryset if (t.name, t.task) not in declared or t.args != "[]" or t.kwargs != "{}"]
        if odd:
            self.message_user(request, f"不能运行:{'、'.join(odd)} 不是系统定义的定时任务(或带有参数)。", level=messages.ERROR)
            return None
        return super().run_tasks(request, queryset)

    def get_list_display(self, request):
        return super().get_list_display(request) if self._admin(request) else ("name", "enabled", "days", "last_run_at")

    def get_list_filter(self, request):
        return super().get_list_filter(request) if self._admin(request) else ["enabled"]

    def get_fieldsets(self, request, obj=None):
        return super().get_fieldsets(request, obj) if self._admin(request) else self.office_fieldsets

    def get_readonly_fields(self, request, obj=None):
        return super().get_readonly_fields(request, obj) if self._admin(request) else self.office_readonly

    def get_form(self, request, obj=None, **kwargs):
        if not self._admin(request):
            kwargs["form"] = OfficeScheduleForm
        return super().get_form(request, obj, **kwargs)


from reports.supervision import admin as _supervision_admin  # noqa: E402,F401  (督查督办)
