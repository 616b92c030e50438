"""Tables of the dashboards, declared once: sorting, pagination and export to Excel/CSV.
Status is always an icon and a word, never colour alone; exports are safe to open in
Excel (reports.exports: plain text, typed numbers and times)."""

from functools import lru_cache

import django_tables2 as tables
from django.template import Context
from django.template.base import render_value_in_context
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from indicators.rules.periods import format_month
from indicators.rules.reporting import ReportState
from indicators.rules.types import Status
from reports.exports import Number
from reports.selectors.common import KIND_ORDER, STATUS_ORDER, row_value_text


def status_html(status: Status):
    return format_html('<span class="status status-{}">{} {}</span>', status.value, status.icon, status.label)


class StatusColumn(tables.Column):
    def render(self, value):
        return status_html(value)

    def value(self, value):
        return value.label


class StatusTable(tables.Table):
    """One row per metric × unit (and the city) of a month: the overview as a list."""

    metric = tables.Column(verbose_name="目标指标", order_by=("sort",))
    area = tables.Column(verbose_name="行动", order_by=("area_number", "sort"))
    indicator = tables.Column(verbose_name="一级指标")
    unit = tables.Column(verbose_name="单位", order_by=("unit_sort",))
    kind = tables.Column(verbose_name="类别")
    value = tables.Column(verbose_name="数值", order_by=("number",), attrs={"th": {"class": "num"}, "td": {"class": "num"}})
    measure_unit = tables.Column(verbose_name="计量单位", visible=False)  # exports: the number's unit beside it
    target = tables.Column(verbose_name="目标", orderable=False)
    status = StatusColumn(verbose_name="状态", order_by=("status_order", "sort"))

    class Meta:
        attrs = {"class": "data"}
        per_page = 50
        order_by = ("status",)
        empty_text = "没有符合筛选条件的数据。"

    def render_metric(self, value, record):
        if not record["url"]:
            return value
        return format_html('<a href="{}">{}</a>', record["url"], value)

    def value_metric(self, value):
        return value

    def value_value(self, value, record):
        return record.get("cell", value)

    @staticmethod
    def rows_from(rows, period, may_view_metric=None) -> list[dict]:
        """`may_view_metric(metric)` (actions.access) says whether a city row links to
        the metric's page; without it every city row does."""
        out = []
        for r in rows:
            m = r.metric
            if r.unit is None:
                may = may_view_metric is None or may_view_metric(m)
                url = reverse("reports:dashboard-metric", args=[period.year, m.code]) if may else None
            else:
                url = reverse("reports:dashboard-figure", args=[m.code, r.unit.code, format_month(period)])
            out.append(
                {
                    "metric": m.name,
                    "sort": m.area.number * 1000 + m.sort_order,
                    "area": m.area.name,
                    "area_number": m.area.number,
                    "indicator": m.indicator.name,
                    "unit": r.unit.name if r.unit else "全市",
                    "unit_sort": (0, 0, "") if r.unit is None else (1, r.unit.sort_order, r.unit.code),
                    "kind": r.unit.get_kind_display() if r.unit else "全市汇总",
                    "value": row_value_text(r),
                    "number": r.value if r.value is not None else None,
                    "cell": figure_cell(m, r.value, row_value_text(r)),
                    "measure_unit": "%" if m.is_percent else (m.unit_of_measure or ""),
                    "target": m.target_text(),
                    "status": r.status,
                    "status_order": STATUS_ORDER[r.status],
                    "url": url,
                }
            )
        return out


def figure_cell(metric, value, text: str):
    """A figure as an export holds it: a number (percentages as percentages), or its words
    (a milestone's state, "—")."""
    if value is None or metric.measure == metric.Measure.MILESTONE:
        return text
    return Number(value, percent=metric.is_percent, thresholds=metric.target.thresholds)


class MovementColumn(tables.Column):
    def render(self, value):
        if value is None:
            return mark_safe('<span class="move move-new" title="上月无排名">新</span>')
        if value > 0:
            return format_html('<span class="move move-up" title="较上月上升{}位">▲ {}</span>', value, value)
        if value < 0:
            return format_html('<span class="move move-down" title="较上月下降{}位">▼ {}</span>', -value, -value)
        return mark_safe('<span class="move move-same" title="与上月持平">■ 0</span>')

    def value(self, value):
        if value is None:
            return "新"
        return f"上升{value}" if value > 0 else (f"下降{-value}" if value < 0 else "持平")


class RankingTable(tables.Table):
    rank = tables.Column(verbose_name="名次", order_by=("rank_sort",), attrs={"th": {"class": "num"}, "td": {"class": "num"}})
    movement = MovementColumn(verbose_name="较上月", order_by=("movement_sort",))
    name = tables.Column(verbose_name="单位")
    score = tables.Column(verbose_name="综合得分", attrs={"th": {"class": "num"}, "td": {"class": "num"}})
    met = tables.Column(verbose_name="达标", orderable=False)
    timeliness = tables.Column(verbose_name="按时报送", orderable=False)
    improvement = tables.Column(verbose_name="改善", orderable=False)

    class Meta:
        attrs = {"class": "data"}
        order_by = ("rank",)
        empty_text = "暂无排名(本期尚无单位报送)。"
        # The body is drawn in Python (body_rows): a province page has three tables of up
        # to 600 units, and django-tables2's cell-by-cell rendering took seconds.
        template_name = "reports/dashboard/_ranking_table.html"

    def body_rows(self) -> list[tuple[str, str]]:
        """(even/odd, the row's cells as HTML) for each row in the table's order: the cells
        django-tables2 would draw (a column's default for an empty value, its render
        otherwise, localized and escaped as a template does), without its machinery."""
        context = Context()
        columns = [(bc, bc.attrs["td"].as_html(), getattr(self, f"render_{bc.name}", None)) for bc in self.columns]
        out = []
        for i, record in enumerate(self.data):
            cells = []
            for bc, td, render in columns:
                value = record.get(bc.accessor)
                if value in bc.column.empty_values:
                    cell = bc.default
                elif render is not None:
                    cell = render(value, record)
                else:
                    cell = bc.column.render(value)
                cells.append(f"<td {td}>{render_value_in_context(cell, context)}</td>")
            out.append(("odd" if i % 2 else "even", mark_safe("".join(cells))))  # noqa: S308 (escaped above)
        return out

    def render_name(self, value, record):
        if not record.get("link"):  # set by the view from actions.access: no link that would 403
            return value
        return format_html('<a href="{}">{}</a>', unit_url_pattern().replace("__unit__", record["code"], 1), value)

    @staticmethod
    def rows_from(ranked, inputs) -> list[dict]:
        out = []
        for r in ranked:
            i = inputs[r.unit]
            out.append(
                {
                    "rank": r.rank_text,
                    "rank_sort": r.rank,
                    "movement": r.movement,
                    "movement_sort": -(r.movement or 0),
                    "name": r.name,
                    "code": r.unit,
                    "score": r.score,
                    "met": f"{i.met}/{i.judged}",
                    "timeliness": f"{i.on_time}/{i.expected}",
                    "improvement": f"{i.improved}/{i.comparable}",
                }
            )
        return out


@lru_cache(maxsize=1)
def unit_url_pattern() -> str:
    """A unit page's URL with "__unit__" for its code: reversed once, not for each of a
    province's 600 rows or column heads (codes are slugs)."""
    return reverse("reports:dashboard-unit", args=["__unit__"])


def report_state_html(state: ReportState):
    icon = {"green": "✔", "yellow": "!", "grey": "–", "red": "✖"}[state.tone]
    return format_html('<span class="status status-{}">{} {}</span>', state.tone, icon, state.label)


class ReportStateColumn(tables.Column):
    def render(self, value):
        return report_state_html(value)

    def value(self, value):
        return value.label


class CompletenessTable(tables.Table):
    select = tables.TemplateColumn(
        '{% if record.remind %}<input type="checkbox" name="units" value="{{ record.code }}"'
        ' aria-label="选择{{ record.name }}">{% endif %}',
        verbose_name="催报",
        orderable=False,
        exclude_from_export=True,
    )
    name = tables.Column(verbose_name="单位", order_by=("sort",))
    kind = tables.Column(verbose_name="类别")
    state = ReportStateColumn(verbose_name="报送状态", order_by=("state_order", "sort"))
    submitted_at = tables.DateTimeColumn(verbose_name="提交时间", format="Y-m-d H:i", default="—")
    days = tables.Column(verbose_name="截止日", order_by=("days_number",))

    class Meta:
        attrs = {"class": "data"}
        order_by = ("state",)
        empty_text = "本月没有应报送的单位。"
        # The body is written out row by row (600 units at province size): the generic
        # cell-by-cell rendering took over a second. Sorting and export stay the table's.
        template_name = "reports/dashboard/_completeness_table.html"

    @property
    def select_shown(self) -> bool:
        return self.columns["select"].visible

    def value_submitted_at(self, value):
        return value  # exports: a date-time cell in local time (reports.exports)

    @staticmethod
    def rows_from(board) -> list[dict]:
        order = list(ReportState)
        severity = [ReportState.MISSING, ReportState.RETURNED, ReportState.DRAFT, ReportState.NOT_STARTED]
        return [
            {
                "code": r.unit.code,
                "name": r.unit.name,
                "sort": (list(KIND_ORDER).index(r.unit.kind), r.unit.sort_order, r.unit.code),
                "kind": r.unit.get_kind_display(),
                "state": r.state,
                "state_html": report_state_html(r.state),
                "state_order": severity.index(r.state) if r.state in severity else 10 + order.index(r.state),
                "submitted_at": r.submission.submitted_at if r.submission else None,
                "days": r.days_text,
                "days_number": r.days,
                "remind": r.state.needs_reminder,
            }
            for r in board.rows
        ]


class ReminderLogTable(tables.Table):
    """The month's 催报 deliveries (reports.models.ReminderLog), built from model rows."""

    sent_at = tables.DateTimeColumn(verbose_name="时间", format="Y-m-d H:i", orderable=False)
    unit = tables.Column(verbose_name="单位", accessor="unit__name", orderable=False)
    user = tables.Column(verbose_name="接收人", orderable=False, default="—")
    channel = tables.Column(verbose_name="方式", orderable=False)
    ok = tables.Column(verbose_name="结果", orderable=False)
    sent_by = tables.Column(verbose_name="催报人", orderable=False, default="定时任务")

    class Meta:
        attrs = {"class": "data", "id": "reminder-log"}
        empty_text = "本月还没有催报记录。"

    def render_user(self, value):
        return value.get_full_name() or value.get_username()

    def render_sent_by(self, value):
        return value.get_full_name() or value.get_username()

    def render_ok(self, value, record):
        if record.channel == "phone":
            return format_html('<span class="status status-yellow">{}</span>', "无账号,请电话联系")
        if value:
            return format_html('<span class="status status-green">{}</span>', "已送达")
        return format_html('<span class="status status-red">{}</span> {}', "未送达", record.error)
