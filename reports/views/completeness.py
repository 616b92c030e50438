"""The completeness board (报送进度) and 催报 from it. The board's figures, its table rows
and the table's HTML are kept in Django's cache while the month's reporting rows, its
dates and the day are unchanged (selectors.completeness.completeness_key): a request
reads them, the 催报 waits, the reminder log and who has no account."""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from django_tables2 import SingleTableMixin
from django_tables2.export import ExportMixin

from actions import access, clock
from indicators.months import collecting_month
from indicators.rules.periods import PeriodError, format_month, parse_month
from indicators.timefmt import local_text
from reports.exports import PlainTableExport
from reports.models import ReportSettings
from reports.selectors.completeness import (
    CompletenessFigures,
    completeness_board,
    completeness_cached,
    completeness_key,
    reminder_log,
    reminder_waits,
    units_without_accounts,
)
from reports.services.reminders import reminders_send
from reports.tables import CompletenessTable, ReminderLogTable
from reports.views.dashboard import _month_context, month_from


class CompletenessView(LoginRequiredMixin, ExportMixin, SingleTableMixin, TemplateView):
    template_name = "reports/dashboard/completeness.html"
    table_class = CompletenessTable
    export_class = PlainTableExport
    export_formats = ("xlsx", "csv")
    table_pagination = False
    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        if not access.can_view_completeness(request.user):
            raise PermissionDenied("报送情况仅市优化办和领导可以查看。")
        self.period, self.error = month_from(request, default=collecting_month)
        today = clock.today()
        self.key = completeness_key(period=self.period, today=today)
        # Computed only when what the cache keeps for the month is stale.
        self.board = SimpleLazyObject(lambda: completeness_board(period=self.period, today=today))
        self.figures = completeness_cached("figures", self.key, lambda: CompletenessFigures.of(self.board))
        self.can_remind = access.can_send_reminders(request.user)
        self.interval = ReportSettings.current().reminder_interval_hours
        waits = reminder_waits(period=self.period, units=self.figures.remindable, hours=self.interval) if self.can_remind else {}
        self.waits = waits
        return super().get(request, *args, **kwargs)

    def get_export_filename(self, export_format):
        return f"completeness-{format_month(self.period)}.{export_format}"

    def get_table_data(self):
        rows = completeness_cached("rows", self.key, lambda: CompletenessTable.rows_from(self.board))
        if self.can_remind:
            by_code = {u.code: self.waits.get(u.pk) for u in self.figures.remindable}
            for row in rows:
                row["remind_after"] = by_code.get(row["code"])
                row["remind"] = row["remind"] and row["remind_after"] is None
        return rows

    def get_table(self, **kwargs):
        table = super().get_table(**kwargs)
        if not self.can_remind:
            table.columns.hide("select")
        return table

    def table_key(self) -> str | None:
        """The table's HTML: the month's rows as kept, sorted and linked by this query,
        with or without the 催报 column and the units waiting to be reminded again."""
        if self.key is None:
            return None
        shown = [self.request.GET.urlencode(), self.can_remind, sorted(self.waits.items())]
        return f"{self.key}:table:{hashlib.sha256(repr(shown).encode()).hexdigest()}"

    def get_context_data(self, **kwargs):
        # The table is built only when its HTML is not in the cache (SingleTableMixin would build it here).
        context = TemplateView.get_context_data(self, **kwargs)
        return (
            context
            | _month_context(self.period, self.error)
            | {
                "table": SimpleLazyObject(lambda: self.get_table(**self.get_table_kwargs())),
                "table_key": self.table_key(),
                "board": self.figures,
                "reminder_log": ReminderLogTable(reminder_log(period=self.period)),
                "phone_units": units_without_accounts(self.figures.remindable),
                "can_remind": self.can_remind,
                "reminder_interval": self.interval,
            }
        )


@login_required
@require_POST
def remind(request):
    if not access.can_send_reminders(request.user):
        raise PermissionDenied("只有市优化办可以催报。")
    try:
        period = parse_month(request.POST.get("period", ""))
    except PeriodError as exc:
        messages.error(request, str(exc))
        return redirect("reports:dashboard-completeness")
    back = f"{redirect('reports:dashboard-completeness').url}?period={format_month(period)}"
    board = completeness_board(period=period)
    due = {r.unit.code: r.unit for r in board.rows if r.state.needs_reminder}
    codes = request.POST.getlist("units")
    if request.POST.get("all"):
        codes = list(due)
    units = [due[c] for c in codes if c in due]
    waits = reminder_waits(period=period, units=units)
    if waits:
        hours = ReportSettings.current().reminder_interval_hours
        names = "、".join(f"{u.name}({local_text(waits[u.pk])} 后可再催)" for u in units if u.pk in waits)
        messages.warning(request, f"同一单位 {hours} 小时内只催报一次,以下单位本次未再催报:{names}。")
        units = [u for u in units if u.pk not in waits]
        if not units:
            return redirect(back)
    if not units:
        messages.error(request, "请先勾选需要催报的单位(只有未报送、草稿或被退回的单位可以催报)。")
        return redirect(back)
    result = reminders_send(period=period, units=units, sender=request.user, robots_later=True)
    for level, text in reminder_messages(result):
        messages.add_message(request, level, text)
    return redirect(back)


def reminder_messages(result) -> list[tuple[int, str]]:
    """What the office reads after 催报: what arrived, what failed, whom to phone."""
    out = []
    mailed = {log.unit_id for log in result.logs if log.channel == "mail" and log.ok}
    if result.sent:
        out.append((messages.SUCCESS, f"已向 {len(mailed)} 个单位的 {result.sent} 位用户发送催报邮件。"))
    if result.robots:
        out.append((messages.SUCCESS, f"已向群机器人发送 {result.robots} 条催报消息。"))
    if result.robots_queued:
        out.append(
            (
                messages.INFO,
                f"正在由后台向群机器人发送 {result.robots_queued} 条催报消息,发送结果将记入下方“催报记录”(稍后刷新本页查看)。",
            )
        )
    if result.failed:
        out.append((messages.ERROR, "以下催报未送达(已记入催报记录):" + ";".join(result.failed)))
    if result.no_account:
        names = "、".join(u.name for u in result.no_account)
        out.append((messages.WARNING, f"以下单位没有可用的账号:{names}。请电话催报。"))
    in_app_only = [u for u in result.unreachable if u not in result.no_account and u not in result.robot_units]
    if in_app_only:
        names = "、".join(u.name for u in in_app_only)
        out.append((messages.WARNING, f"以下单位只收到站内通知(没有邮箱,也没有群机器人):{names}。请电话催报。"))
    return out
