"""List pages of the indicators app as django-tables2 declarations: the office's month
overview and the correction requests."""

from datetime import date

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from indicators.models import CorrectionRequest
from indicators.rules.types import format_number
from indicators.timefmt import local_text

BULK_STATES = ("submitted", "approved")  # rows waiting for the office: accepted or returned in bulk


def _who(user):
    return (user.first_name or user.username) if user else ""


def _label(label: str, css: str = "") -> dict:
    """td attributes of a table that turns into one card per row on a phone
    (reporting.css, table.phone-cards): each cell says what it is."""
    td = {"data-label": label}
    if css:
        td["class"] = css
    return {"td": td}


class MonthOverviewTable(tables.Table):
    """One row per unit expected to report (selectors.UnitMonthRow)."""

    pick = tables.Column("选择", accessor="unit__pk", orderable=False, empty_values=(), attrs=_label("选择"))
    unit = tables.Column("单位", accessor="unit__name", orderable=False, attrs={"td": {"class": "unit"}})
    state = tables.Column(
        "报送状态", accessor="submission", orderable=False, empty_values=(), attrs=_label("报送状态", css="short")
    )
    late = tables.Column("是否逾期", accessor="is_late", orderable=False, attrs=_label("是否逾期", css="short"))
    filled = tables.Column("已填数据", accessor="filled", orderable=False, attrs=_label("已填数据", css="num short"))
    submitted = tables.Column("提交人 / 时间", accessor="submission", orderable=False, empty_values=(), attrs=_label("提交"))
    accepted = tables.Column("采纳人 / 时间", accessor="submission", orderable=False, empty_values=(), attrs=_label("采纳"))
    link = tables.Column("", accessor="unit__code", orderable=False, empty_values=())

    class Meta:
        attrs = {"class": "overview phone-cards"}
        empty_text = "本月没有需要报送的单位。"

    def __init__(self, *args, period_text: str, deadline: date, today: date, **kwargs):
        self.period_text, self.deadline, self.today = period_text, deadline, today
        super().__init__(*args, **kwargs)

    def render_pick(self, value, record):
        """A checkbox of the month page's bulk form (outside the table) on each row the
        office can accept or return at once; the view excludes the column for leaders."""
        if not record.submission or record.submission.state not in BULK_STATES:
            return ""
        return format_html(
            '<input type="checkbox" name="unit" value="{}" form="bulk-form" aria-label="选择{}" data-testid="pick">',
            value,
            record.unit.name,
        )

    def render_state(self, value, record):
        state = record.report_state(deadline=self.deadline, today=self.today)
        note = "(数据已齐全,尚未提交)" if record.complete and not record.counts else ""
        return format_html('<span class="status status-{}">{}</span>{}', state.tone, state.label, note)

    def render_late(self, value):
        return format_html('<span class="status status-red">{}</span>', "逾期") if value else "按时"

    def render_filled(self, value, record):
        return f"{value} / {record.expected}"

    def render_submitted(self, value):
        if not value or not value.last_submitted_at:
            return "—"
        return f"{_who(value.submitted_by)} {local_text(value.last_submitted_at)}"

    def render_accepted(self, value):
        if not value or not value.accepted_at:
            return "—"
        return f"{_who(value.accepted_by)} {local_text(value.accepted_at)}"

    def render_link(self, value):
        return format_html('<a href="{}">查看</a>', reverse("indicators:entry", args=[value, self.period_text]))


class CorrectionTable(tables.Table):
    unit = tables.Column("单位", accessor="unit__name")
    period = tables.DateColumn(verbose_name="月份", format="Y-m")
    reason = tables.Column("更正理由", orderable=False)
    requested = tables.Column("申请人 / 时间", accessor="requested_at")
    state = tables.Column("状态")
    decision = tables.Column("审批", accessor="pk", orderable=False, empty_values=())

    class Meta:
        model = CorrectionRequest
        fields = ["unit", "period", "reason", "requested", "state", "decision"]
        empty_text = "没有更正申请。"

    def render_requested(self, value, record):
        return f"{_who(record.requested_by)} {local_text(value)}"

    def render_state(self, value, record):
        css = {"pending": "yellow", "approved": "green", "refused": "red"}[record.state]
        return format_html('<span class="status status-{}">{}</span>', css, value)

    def render_decision(self, value, record):
        if record.state != CorrectionRequest.State.PENDING:
            note = f":{record.decision_note}" if record.decision_note else ""
            return f"{_who(record.decided_by)} {local_text(record.decided_at)}{note}"
        return format_html('<a href="{}">审批</a>', reverse("indicators:correction-decide", args=[value]))


class BaselineTable(tables.Table):
    """Last year's values, as the office keeps them (indicators.Baseline)."""

    year = tables.Column("方案年度", accessor="metric__plan__year")
    metric = tables.Column("指标", accessor="metric__name", order_by=("metric__sort_order",))
    unit = tables.Column("单位", accessor="unit__name", default="全市")
    period = tables.Column("上年月份", empty_values=())
    value = tables.Column("上年值", attrs={"td": {"class": "num"}})
    note = tables.Column("说明", orderable=False)
    edit = tables.Column("", accessor="pk", orderable=False, empty_values=())

    class Meta:
        attrs = {"class": "data"}
        empty_text = "还没有上年基数。请点击“添加上年基数”逐条录入。"

    def render_period(self, record):
        return f"{record.period:%Y-%m}" if record.period else "全年"

    def value_period(self, record):
        return self.render_period(record)

    def render_value(self, value, record):
        return f"{format_number(value)} {record.metric.unit_of_measure}".strip()

    def render_edit(self, value):
        return format_html('<a href="{}">修改</a>', reverse("indicators:baseline-edit", args=[value]))


class PlanLoadTable(tables.Table):
    """Who loaded which plan file when, and what it changed (actions.PlanLoad)."""

    loaded_at = tables.Column("载入时间")
    year = tables.Column("方案年度")
    file_name = tables.Column("文件", orderable=False)
    sha256 = tables.Column("SHA-256", orderable=False)
    loaded_by = tables.Column("载入人", empty_values=(), orderable=False)
    summary = tables.Column("变更", orderable=False)

    class Meta:
        attrs = {"class": "data"}
        empty_text = "还没有载入记录。"

    def render_loaded_at(self, value):
        return local_text(value)

    def render_sha256(self, value):
        return format_html('<code title="{}">{}…</code>', value, value[:12])

    def render_loaded_by(self, record):
        if record.loaded_by:
            return record.loaded_by.first_name or record.loaded_by.username
        return f"系统用户 {record.os_user}" if record.os_user else "—"

    def render_summary(self, value, record):
        if not record.changes:
            return value
        return format_html("{}<details><summary>明细</summary><pre>{}</pre></details>", value, record.changes)
