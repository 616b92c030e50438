"""The report archive: every dispatch and bulletin by month and quarter with downloads
per format; the office builds, rebuilds (watching the job), issues, uploads the final
Word file, and enters the bulletin's good practices and negative cases."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from actions.access import OFFICE_ROLES, READ_ALL_ROLES, is_office, role_required
from actions.hygiene import CleanTextMixin
from actions.ids import parse_id_or_none
from actions.models import Unit
from indicators.rules.periods import PeriodError
from reports import notices
from reports.archive_tables import ArchiveFilter, ArchiveTable
from reports.builders.common import BuildError
from reports.models import BulletinNote, CorrectionNotice, Kind, Report, ReportSeries, ReportSettings
from reports.selectors import archive as selectors
from reports.services import build, issue
from reports.services.documents import FORMAT_LABELS

READERS = tuple(READ_ALL_ROLES)
OFFICE = tuple(OFFICE_ROLES)


def _kind_or_404(kind: str) -> str:
    if kind not in Kind.values:
        raise Http404("报告类别不存在。")
    return kind


class BuildForm(CleanTextMixin, forms.Form):
    kind = forms.ChoiceField(label="报告", choices=Kind.choices)
    key = forms.CharField(label="期次", max_length=10, help_text="月调度填月份如 2022-06,季通报填季度如 2022Q2")

    def clean(self):
        data = super().clean()
        if "kind" in data and "key" in data:
            try:
                data["key"] = build.normalize_key(data["kind"], data["key"])
            except (PeriodError, BuildError) as e:
                raise ValidationError(str(e)) from e
        return data


class IssueForm(forms.Form):
    doc_date = forms.DateField(label="成文日期", required=False, help_text="默认为印发当天")
    confirm_missing = forms.BooleanField(required=False)


class SettingsForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = ReportSettings
        fields = [
            "issuer",
            "issuer_short",
            "dispatch_to",
            "bulletin_to",
            "cc",
            "sealed",
            "red_black_list",
            "reminder_interval_hours",
            "disclosure",
            "contact",
        ]


class UploadForm(forms.Form):
    file = forms.FileField(label="定稿 Word 文件(.docx)")


class NoteForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = BulletinNote
        fields = ["kind", "unit", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3, "maxlength": 500})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(reports=True)
        self.fields["unit"].required = False


@role_required(*READERS)
def archive_list(request):
    office = is_office(request.user)
    filterset = ArchiveFilter(request.GET or None, queryset=selectors.visible_versions(office=office))
    table = ArchiveTable(filterset.qs)
    table.empty_text = "尚未生成报告。在上方选择期次生成,或等待定时任务自动生成。" if office else "暂无已印发的报告。"
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(
        request,
        "reports/archive/list.html",
        {"table": table, "filter": filterset, "office": office, "form": BuildForm()},
    )


def _queue(request, kind: str, key: str):
    try:
        build.report_build_request(kind=kind, key=key, user=request.user)
    except build.QueueUnavailable as e:
        messages.error(request, str(e))
    except BuildError as e:
        messages.error(request, str(e))
    else:
        messages.success(request, "已开始生成,请稍候,本页会自动显示进度。")


@require_POST
@role_required(*OFFICE)
def archive_build(request):
    form = BuildForm(request.POST)
    if not form.is_valid():
        for err in form.non_field_errors() or [e for errs in form.errors.values() for e in errs]:
            messages.error(request, err)
        return redirect("reports:archive")
    kind, key = form.cleaned_data["kind"], form.cleaned_data["key"]
    _queue(request, kind, key)
    return redirect("reports:archive-detail", kind=kind, key=key)


@role_required(*READERS)
def archive_detail(request, kind, key):
    kind = _kind_or_404(kind)
    office = is_office(request.user)
    version = request.GET.get("v")
    version = parse_id_or_none(version) if version else None
    series = ReportSeries.objects.filter(kind=kind, key=key).first()
    if series is None and not office:
        raise Http404("该期报告不存在。")
    report = selectors.report_for(kind=kind, key=key, office=office, version=version)
    versions = list(selectors.visible_versions(office=office).filter(kind=kind, key=key).order_by("-version"))
    current_issued = next((v for v in versions if v.state == Report.State.ISSUED), None)
    return render(
        request,
        "reports/archive/detail.html",
        {
            "kind": kind,
            "kind_label": Kind(kind).label,
            "key": key,
            "series": series,
            "report": report,
            "versions": versions,
            "current_issued": current_issued,
            "notices": selectors.notices_of(report, office=office) if report else [],
            "office": office,
            "job": selectors.job_status(series) if series else None,
            "upload_form": UploadForm(),
            "formats": FORMAT_LABELS,
        },
    )


@require_POST
@role_required(*OFFICE)
def archive_rebuild(request, kind, key):
    _queue(request, _kind_or_404(kind), key)
    return redirect("reports:archive-detail", kind=kind, key=key)


@role_required(*OFFICE)
def archive_job(request, kind, key):
    series = ReportSeries.objects.filter(kind=_kind_or_404(kind), key=key).first()
    if series is None:
        return JsonResponse({"state": "idle", "label": "无任务", "error": "", "finished": True, "version": None})
    return JsonResponse(selectors.job_status(series))


@require_POST
@role_required(*OFFICE)
def archive_issue(request, pk):
    """印发: the office chooses the 成文日期 (today by default); when units are still
    missing it first confirms, on a page that names them."""
    report = get_object_or_404(Report, pk=pk)
    form = IssueForm(request.POST)
    if not form.is_valid():
        messages.error(request, "成文日期格式不正确，应为 YYYY-MM-DD。")
        return redirect("reports:archive-detail", kind=report.kind, key=report.key)
    doc_date = form.cleaned_data["doc_date"]
    if report.is_working and not form.cleaned_data["confirm_missing"]:
        missing = selectors.issue_missing_units(report=report)
        if missing:
            return render(
                request,
                "reports/archive/issue_confirm.html",
                {"report": report, "missing": missing, "doc_date": doc_date.isoformat() if doc_date else ""},
            )
    try:
        issue.report_issue(report=report, user=request.user, doc_date=doc_date)
    except ValidationError as e:
        messages.error(request, e.messages[0])
    else:
        report.refresh_from_db()
        messages.success(request, f"{report}已印发（{report.doc_number}），领导可以下载。")
    return redirect("reports:archive-detail", kind=report.kind, key=report.key)


@require_POST
@role_required(*OFFICE)
def archive_review(request, pk):
    """送审: the office sends the current draft for review before it is issued."""
    report = get_object_or_404(Report, pk=pk)
    try:
        issue.report_submit_review(report=report, user=request.user)
    except ValidationError as e:
        messages.error(request, e.messages[0])
    else:
        messages.success(request, f"{report}已送审，重新生成不会替换它；审定后请印发。")
    return redirect(reverse("reports:archive-detail", args=[report.kind, report.key]) + f"?v={report.version}")


@require_POST
@role_required(*OFFICE)
def notice_review(request, pk):
    notice = get_object_or_404(CorrectionNotice.objects.select_related("original"), pk=pk)
    try:
        notices.notice_submit_review(notice=notice, user=request.user)
    except ValidationError as e:
        messages.error(request, e.messages[0])
    else:
        messages.success(request, "更正通知已送审。")
    return redirect(_original_url(notice))


@require_POST
@role_required(*OFFICE)
def notice_issue(request, pk):
    """The office issues a 更正通知 with its own 发文字号 and 成文日期 (today by default)."""
    notice = get_object_or_404(CorrectionNotice.objects.select_related("original"), pk=pk)
    form = IssueForm(request.POST)
    if not form.is_valid():
        messages.error(request, "成文日期格式不正确，应为 YYYY-MM-DD。")
        return redirect(_original_url(notice))
    try:
        notice = notices.notice_issue(notice=notice, user=request.user, doc_date=form.cleaned_data["doc_date"])
    except ValidationError as e:
        messages.error(request, e.messages[0])
    else:
        messages.success(request, f"更正通知已印发（{notice.doc_number}），领导可以下载。")
    return redirect(_original_url(notice))


def _original_url(notice: CorrectionNotice) -> str:
    r = notice.original
    return reverse("reports:archive-detail", args=[r.kind, r.key]) + f"?v={r.version}"


@role_required(*READERS)
def notice_download(request, pk, fmt):
    office = is_office(request.user)
    qs = CorrectionNotice.objects.all() if office else CorrectionNotice.objects.filter(state=CorrectionNotice.State.ISSUED)
    notice = get_object_or_404(qs, pk=pk)
    field = getattr(notice, fmt) if fmt in ("docx", "pdf") else None
    if not field:
        raise Http404("该格式的文件不存在。")
    try:
        fh = field.open("rb")
    except FileNotFoundError as e:
        raise Http404("文件已丢失。") from e
    content_type = mimetypes.guess_type(field.name)[0] or "application/octet-stream"
    return FileResponse(fh, as_attachment=True, filename=f"{notice.title}{Path(field.name).suffix}", content_type=content_type)


@require_POST
@role_required(*OFFICE)
def archive_upload(request, pk):
    report = get_object_or_404(Report, pk=pk)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请选择要上传的 Word 文件。")
    else:
        try:
            issue.report_final_upload(report=report, upload=form.cleaned_data["file"], user=request.user)
        except ValidationError as e:
            messages.error(request, e.messages[0])
        else:
            messages.success(request, "定稿已上传,领导下载的 Word 文件即为此定稿。")
    return redirect("reports:archive-detail", kind=report.kind, key=report.key)


@role_required(*READERS)
def archive_download(request, pk, fmt):
    report = get_object_or_404(selectors.visible_versions(office=is_office(request.user)), pk=pk)
    field = report.file_for(fmt)
    if not field:
        raise Http404("该格式的文件不存在。")
    try:
        fh = field.open("rb")
    except FileNotFoundError as e:
        raise Http404("文件已丢失,请市优化办重新生成。") from e
    suffix = "-定稿" if fmt == "docx" and report.final_docx else ""
    name = f"{report.title}-第{report.version}版{suffix}{Path(field.name).suffix}"
    content_type = mimetypes.guess_type(field.name)[0] or "application/octet-stream"
    return FileResponse(fh, as_attachment=True, filename=name, content_type=content_type)


@role_required(*OFFICE)
def archive_notes(request, key):
    try:
        key = build.normalize_key(Kind.BULLETIN, key)
    except (PeriodError, BuildError) as e:
        raise Http404(str(e)) from e
    form = NoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        note = form.save(commit=False)
        note.key, note.created_by = key, request.user
        note.full_clean()
        note.save()
        messages.success(request, "已添加,重新生成本季通报后生效。")
        return redirect("reports:archive-notes", key=key)
    notes = BulletinNote.objects.filter(key=key).select_related("unit")
    return render(request, "reports/archive/notes.html", {"key": key, "form": form, "notes": notes})


@require_POST
@role_required(*OFFICE)
def archive_note_delete(request, pk):
    note = get_object_or_404(BulletinNote, pk=pk)
    note.delete()
    messages.success(request, "已删除。")
    return redirect(reverse("reports:archive-notes", kwargs={"key": note.key}))


@role_required(*OFFICE)
def archive_settings(request):
    """The office's 公文 settings: issuer, 主送, 抄送, seal mode, 红黑榜 (apply to the next
    build; issued versions keep what they were issued with)."""
    current = ReportSettings.objects.order_by("pk").first() or ReportSettings()
    form = SettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "公文设置已保存，重新生成报告后生效。")
        return redirect("reports:archive-settings")
    return render(request, "reports/archive/settings.html", {"form": form})
