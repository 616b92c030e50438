"""The order list as a django-tables2 Table: display on the page, values in the export."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from reports.supervision.models import SupervisionOrder


class OrderTable(tables.Table):
    number = tables.Column(verbose_name="编号", order_by=("year", "number"))
    unit = tables.Column(verbose_name="责任单位", accessor="unit__name", order_by=("unit__sort_order",))
    about = tables.Column(verbose_name="指标/成果事项/线索", empty_values=(), orderable=False)
    problem = tables.Column(verbose_name="问题", orderable=False)
    level = tables.Column(verbose_name="级别")
    due = tables.DateColumn(verbose_name="答复期限", format="Y-m-d")
    state = tables.Column(verbose_name="状态", empty_values=(), orderable=False)
    stage = tables.Column(verbose_name="办理环节")
    raised_at = tables.DateColumn(verbose_name="交办日期", format="Y-m-d")

    class Meta:
        model = SupervisionOrder
        fields = ()
        sequence = ("number", "unit", "about", "problem", "level", "due", "state", "stage", "raised_at")
        attrs = {"class": "data orders"}
        order_by = ("-number",)

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def render_number(self, record):
        return format_html('<a href="{}">{}</a>', reverse("reports:supervision-detail", args=[record.pk]), record.number_text)

    def value_number(self, record):
        return record.number_text

    def render_about(self, record):
        return record.about_text

    def value_about(self, record):
        return self.render_about(record)

    def render_problem(self, value):
        return value if len(value) <= 60 else value[:60] + "…"

    def value_problem(self, value):
        return value

    def render_state(self, record):
        s = record.state(self.today)
        return format_html('<span class="status status-{}" data-state="{}">{}</span>', s.tone, s.value, s.label)

    def value_state(self, record):
        return record.state(self.today).label

    def render_stage(self, record):
        return record.get_stage_display()

    def render_level(self, record):
        return record.get_level_display()
