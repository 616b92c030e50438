"""The task ledger's lists as django-tables2 declarations: a unit's deliverables, a
task's deliverables, and the plan's tasks with their counts. Built from selector rows."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from indicators.rules.periods import format_month


def _label(label: str, css: str = "") -> dict:
    td = {"data-label": label}
    if css:
        td["class"] = css
    return {"td": td}


def state_html(state, deliverable=None) -> str:
    """A state's mark; beside it 待核定 when the item's due date or content is still an
    assumption (never 滞后 until the office confirms it)."""
    if state is None:
        return "—"
    html = format_html('<span class="status status-{}" data-testid="ledger-state">{}</span>', state.tone, state.label)
    if deliverable is not None and deliverable.assumed:
        html += format_html(' <span class="badge yellow" data-testid="ledger-pending">{}</span>', "待核定")
    return html


def due_text(d) -> str:
    text = f"{d.due:%Y-%m-%d}" if d.due else "未明确(按年底评判)"
    return text + "(待核定)" if "due" in d.assumed else text


def _links(links) -> str:
    """What the apps above offer beside a late item (indicators.ledger.links), as buttons."""
    return format_html_join("", ' <a class="button" href="{}">{}</a>', ((url, text) for text, url in links))


class UnitLedgerTable(tables.Table):
    """One unit's deliverables in a month (selectors.UnitRow)."""

    deliverable = tables.Column("成果事项", accessor="deliverable__name", orderable=False, attrs=_label("成果事项", "unit"))
    task = tables.Column("任务", accessor="deliverable__task", orderable=False, attrs=_label("任务"))
    role = tables.Column("职责", orderable=False, attrs=_label("职责", "short"))
    due = tables.Column("完成时限", accessor="deliverable", orderable=False, attrs=_label("完成时限", "short"))
    state = tables.Column("状态", orderable=False, attrs=_label("状态", "short"))
    note = tables.Column("本月说明", accessor="report", orderable=False, empty_values=(), attrs=_label("本月说明"))
    evidence = tables.Column("佐证材料", accessor="latest", orderable=False, empty_values=(), attrs=_label("佐证材料"))
    action = tables.Column("", accessor="deliverable__pk", orderable=False, empty_values=(), attrs=_label("操作"))

    class Meta:
        attrs = {"class": "data phone-cards"}
        empty_text = "本单位没有承担任务台账中的成果事项。"

    def __init__(self, rows, *, report_url=None, late_links=None, **kwargs):
        self.report_url = report_url  # deliverable pk → the form's URL, when the viewer may report
        self.late_links = late_links or {}  # deliverable pk → [(text, url)] beside a late item (督办)
        super().__init__(rows, **kwargs)

    def render_task(self, value):
        return f"{value.area.number}.{value.number} {value.title}"

    def render_due(self, value):
        return due_text(value)

    def render_state(self, value, record):
        return state_html(value, record.deliverable)

    def render_note(self, value, record):
        if value is None:  # the latest report stands (a done item is not reported again)
            last = record.latest
            return f"本月未报(沿用{last.period.month}月:{last.get_state_display()})" if last else "本月未报"
        return f"{value.get_state_display()}:{value.note}" if value.note else value.get_state_display()

    def render_evidence(self, value):
        if value is None or not value.evidence.all():
            return "—"
        return format_html_join(
            " ",
            '<a href="{}">{}</a>',
            ((reverse("indicators:ledger-evidence", args=[e.pk]), e.name) for e in value.evidence.all()),
        )

    def render_action(self, value):
        links = [("填报", self.report_url(value))] if self.report_url is not None else []
        return _links(links + self.late_links.get(value, []))


class TaskLedgerTable(tables.Table):
    """A task's deliverables, each with its responsible units' states (selectors.DeliverableRow)."""

    name = tables.Column("成果事项", accessor="deliverable__name", orderable=False, attrs=_label("成果事项", "unit"))
    source = tables.Column("方案原文", accessor="deliverable__source", orderable=False, attrs=_label("方案原文"))
    due = tables.Column("完成时限", accessor="deliverable", orderable=False, attrs=_label("完成时限", "short"))
    state = tables.Column("状态", orderable=False, attrs=_label("状态", "short"))
    units = tables.Column("责任单位 / 配合单位进展", orderable=False, attrs=_label("各单位进展"))

    class Meta:
        attrs = {"class": "data phone-cards"}
        empty_text = "该任务没有列入台账的成果事项。"

    def render_due(self, value):
        return due_text(value)

    def render_state(self, value, record):
        return state_html(value, record.deliverable)

    def __init__(self, rows, *, late_links=None, **kwargs):
        self.late_links = late_links or {}  # (deliverable pk, unit pk) → [(text, url)] beside a late unit (督办)
        super().__init__(rows, **kwargs)

    def render_units(self, value, record):
        d = record.deliverable
        return format_html_join(
            ";",
            "{}{}:{}{}",
            (
                (u.name, "(责任)" if u.pk == d.lead_unit_id else "", s.label, _links(self.late_links.get((d.pk, u.pk), [])))
                for u, s, _ in value
            ),
        )


class LedgerTasksTable(tables.Table):
    """The plan's tasks with their deliverables counted by state (selectors.TaskCount)."""

    task = tables.Column("任务", orderable=False, attrs=_label("任务", "unit"))
    state = tables.Column("任务状态", orderable=False, empty_values=(), attrs=_label("任务状态", "short"))
    done = tables.Column("已完成", accessor="counts", orderable=False, attrs=_label("已完成", "num short"))
    in_progress = tables.Column("推进中", accessor="counts", orderable=False, attrs=_label("推进中", "num short"))
    overdue = tables.Column("滞后", accessor="counts", orderable=False, attrs=_label("滞后", "num short"))
    not_started = tables.Column("未启动", accessor="counts", orderable=False, attrs=_label("未启动", "num short"))

    class Meta:
        attrs = {"class": "data phone-cards"}
        empty_text = "方案中还没有任务台账。"

    def __init__(self, rows, *, period, **kwargs):
        self.period = period
        super().__init__(rows, **kwargs)

    def render_task(self, value):
        url = reverse("indicators:ledger-task", args=[value.plan.year, value.code])
        return format_html(
            '<a href="{}?month={}">{}.{} {}</a>', url, format_month(self.period), value.area.number, value.number, value.title
        )

    def render_state(self, value):
        return state_html(value)

    def render_done(self, record):
        return record.count("done")

    def render_in_progress(self, record):
        return record.count("in_progress")

    def render_overdue(self, record):
        return record.count("overdue")

    def render_not_started(self, record):
        return record.count("not_started")
