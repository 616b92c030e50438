"""The archive list as a declared table and filter (kept apart from the dashboards'
tables.py and filters.py): one row per report version, newest period first."""

from __future__ import annotations

import django_filters
import django_tables2 as tables
from django import forms
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from reports.models import Kind, Report
from reports.services.documents import FORMAT_LABELS, FORMATS_BY_KIND

_STATE_CLASS = {
    Report.State.ISSUED: "status-green",
    Report.State.REVIEW: "status-yellow",
    Report.State.DRAFT: "status-grey",
    Report.State.SUPERSEDED: "status-grey",
}


class ArchiveTable(tables.Table):
    key = tables.Column(
        verbose_name="期次", linkify=lambda record: reverse("reports:archive-detail", args=[record.kind, record.key])
    )
    kind = tables.Column(verbose_name="报告")
    version = tables.Column(verbose_name="版本")
    state = tables.Column(verbose_name="状态")
    built_at = tables.DateTimeColumn(verbose_name="生成时间", format="Y-m-d H:i")
    notices = tables.Column(verbose_name="更正通知", empty_values=(), orderable=False)
    downloads = tables.Column(verbose_name="下载", empty_values=(), orderable=False)

    class Meta:
        model = Report
        fields = ("key", "kind", "version", "state", "built_at")
        order_by = ("-key", "-version")
        attrs = {"class": "archive"}

    def render_version(self, record):
        badge = format_html(' <span class="status status-yellow">{}</span>', "更正") if record.is_correction else ""
        return format_html("第{}版{}", record.version, badge)

    def render_state(self, record):
        label = record.get_state_display()
        if record.state == Report.State.ISSUED and record.doc_number:
            label += f" {record.doc_number}"
        if record.state == Report.State.SUPERSEDED and record.issued_at:
            label += "(曾印发)"
        return format_html('<span class="status {}">{}</span>', _STATE_CLASS[record.state], label)

    def render_notices(self, record):
        """The 更正通知 of an issued version, linked to the version's page (prefetched:
        leaders see the issued ones only)."""
        notices = [n for n in record.notices.all()]
        if not notices:
            return "—"
        url = reverse("reports:archive-detail", args=[record.kind, record.key]) + f"?v={record.version}"
        labels = [n.doc_number or f"{n.get_state_display()}" for n in notices]
        return format_html('<a href="{}#notices">{}</a>', url, "、".join(labels))

    def value_notices(self, record):
        return "、".join(n.doc_number for n in record.notices.all() if n.doc_number)

    def render_downloads(self, record):
        links = [
            (
                reverse("reports:archive-download", args=[record.pk, fmt]),
                FORMAT_LABELS[fmt] + ("(定稿)" if fmt == "docx" and record.final_docx else ""),
            )
            for fmt in FORMATS_BY_KIND[record.kind]
            if getattr(record, fmt)
        ]
        return format_html_join(" ", '<a class="button" href="{}">{}</a>', links)

    def value_downloads(self, record):
        return ""


class ArchiveFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label="报告", choices=Kind.choices, empty_label="全部")
    year = django_filters.NumberFilter(label="年度", field_name="key", lookup_expr="startswith")
    current = django_filters.BooleanFilter(label="仅看当前版本", method="filter_current", widget=forms.CheckboxInput)

    class Meta:
        model = Report
        fields = ["kind"]

    def filter_current(self, queryset, name, value):
        if value:
            return queryset.exclude(state=Report.State.SUPERSEDED)
        return queryset
