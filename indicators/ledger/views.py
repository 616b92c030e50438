"""Pages of the task ledger: where 任务台账 leads (a unit's own page, or the plan's tasks
for those who read everything), a unit's deliverables in a month, the form for one
deliverable, a task's deliverables across its units, and an evidence download."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.http.response import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET
from django_tables2 import RequestConfig

from actions import access, clock
from actions.evidence import CONTENT_TYPES
from actions.models import Task, Unit
from indicators.ledger import selectors
from indicators.ledger.forms import DeliverableReportForm
from indicators.ledger.links import late_item_links
from indicators.ledger.models import Deliverable, DeliverableEvidence
from indicators.ledger.services import deliverable_report
from indicators.ledger.tables import LedgerTasksTable, TaskLedgerTable, UnitLedgerTable
from indicators.months import collecting_month
from indicators.rules.ledger import LedgerState
from indicators.rules.periods import PeriodError, format_month, parse_month
from indicators.selectors import plan_for_year


def _month(request):
    """?month=YYYY-MM, else the month being collected; a bad month says so in Chinese."""
    raw = (request.GET.get("month") or "").strip()
    if raw:
        try:
            return parse_month(raw), None
        except PeriodError as exc:
            return collecting_month(), str(exc)
    return collecting_month(), None


def _plan(period):
    plan = plan_for_year(period.year)
    if plan is None:
        raise Http404(f"系统中没有{period.year}年的方案。")
    return plan


@login_required
@require_GET
def ledger_home(request):
    """A unit's users go to their unit's ledger; the office and leaders see every task."""
    period, error = _month(request)
    if not access.reads_everything(request.user):
        own = access.unit_of(request.user)
        if own is None:
            raise PermissionDenied("您的账号不属于任何单位,无法查看任务台账。")
        return redirect("indicators:ledger-unit", own.code, format_month(period))
    plan = _plan(period)
    summary = selectors.ledger_summary(plan=plan, period=period, today=clock.today())
    table = LedgerTasksTable(summary.tasks, period=period)
    RequestConfig(request, paginate=False).configure(table)
    # Each late unit of each overdue item, with what the apps above offer on it (督办).
    items = [(r.deliverable, u) for r in summary.overdue for u in r.late_units]
    links = late_item_links(user=request.user, period=period, items=items)
    overdue = [(r, [(u, links.get((r.deliverable.pk, u.pk), [])) for u in r.late_units]) for r in summary.overdue]
    context = {"plan": plan, "period": period, "period_error": error, "summary": summary, "table": table, "overdue": overdue}
    return render(request, "indicators/ledger_home.html", context)


@login_required
@require_GET
def ledger_unit(request, unit_code, period):
    unit = get_object_or_404(Unit, code=unit_code)
    if not access.can_view_unit(request.user, unit):
        raise PermissionDenied("您只能查看本单位的任务台账。")
    plan = _plan(period)
    rows = selectors.unit_ledger(plan=plan, unit=unit, period=period, today=clock.today())
    may_report = access.can_report_deliverables(request.user, unit) and period <= collecting_month()
    url = None
    if may_report:
        month = format_month(period)

        def url(pk):
            return reverse("indicators:ledger-report", args=[unit.code, month, pk])

    # A late item shows what the apps above offer on it (the open order, or 督办).
    late = [(r.deliverable, unit) for r in rows if r.state == LedgerState.OVERDUE]
    found = late_item_links(user=request.user, period=period, items=late)
    links = {d.pk: found[(d.pk, unit.pk)] for d, _ in late if (d.pk, unit.pk) in found}
    table = UnitLedgerTable(rows, report_url=url, late_links=links)
    RequestConfig(request, paginate=False).configure(table)
    # A lead department (指标长) also follows the tasks it leads, across every unit.
    led = [t for t in plan.tasks.select_related("area", "lead_indicator") if t.lead_indicator.lead_unit_id == unit.pk]
    led = [t for t in led if access.can_view_task_ledger(request.user, t)]
    context = {"unit": unit, "plan": plan, "period": period, "table": table, "may_report": may_report, "rows": rows, "led": led}
    return render(request, "indicators/ledger_unit.html", context)


@login_required
def ledger_report(request, unit_code, period, pk):
    """GET: the form for one deliverable's month; POST: save it (one service) and back."""
    unit = get_object_or_404(Unit, code=unit_code)
    if not access.can_report_deliverables(request.user, unit):
        raise PermissionDenied("只有本单位的填报员可以填报任务台账。")
    if period > collecting_month():
        raise PermissionDenied("不能填报尚未开始的月份。")
    plan = _plan(period)
    deliverable = get_object_or_404(Deliverable.objects.select_related("task__area", "lead_unit"), pk=pk, plan=plan)
    rows = {r.deliverable.pk: r for r in selectors.unit_ledger(plan=plan, unit=unit, period=period, today=clock.today())}
    row = rows.get(deliverable.pk)
    if row is None:
        raise PermissionDenied(f"{unit.name}不是“{deliverable.name}”的责任单位或配合单位。")
    current = row.report or row.latest
    initial = {"state": current.state, "note": row.report.note if row.report else ""} if current else {}
    form = DeliverableReportForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            deliverable_report(
                deliverable=deliverable,
                unit=unit,
                period=period,
                state=form.cleaned_data["state"],
                note=form.cleaned_data["note"],
                files=form.cleaned_data["files"],
                user=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as e:
            form.add_error(None, e.messages[0])
        else:
            messages.success(request, f"“{deliverable.name}”{format_month(period)}进展已保存。")
            return redirect("indicators:ledger-unit", unit.code, format_month(period))
    context = {"unit": unit, "period": period, "deliverable": deliverable, "row": row, "form": form}
    return render(request, "indicators/ledger_report.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
def ledger_task(request, year, code):
    task = get_object_or_404(Task.objects.select_related("plan", "area", "lead_indicator__lead_unit"), plan__year=year, code=code)
    if not access.can_view_task_ledger(request.user, task):
        raise PermissionDenied("任务台账仅市优化办、领导和该任务的指标牵头单位可以查看。")
    period, error = _month(request)
    if period.year != year:  # another year's task: its latest month so far
        period = min(collecting_month(), parse_month(f"{year}-12"))
    rows, state = selectors.task_ledger(task=task, period=period, today=clock.today())
    late = [(r.deliverable, u) for r in rows for u in r.late_units]
    table = TaskLedgerTable(rows, late_links=late_item_links(user=request.user, period=period, items=late))
    RequestConfig(request, paginate=False).configure(table)
    context = {"task": task, "period": period, "period_error": error, "state": state, "table": table}
    return render(request, "indicators/ledger_task.html", context)


@login_required
@require_GET
def ledger_evidence(request, pk):
    ev = get_object_or_404(
        DeliverableEvidence.objects.select_related("report__unit", "report__deliverable__task__lead_indicator"), pk=pk
    )
    if not access.can_view_deliverable_report(request.user, ev.report):
        raise PermissionDenied("您无权查看此材料。")
    try:
        fh = ev.file.open("rb")
    except FileNotFoundError:
        raise Http404("文件已不存在。") from None
    response = FileResponse(fh, as_attachment=True, filename=ev.name, content_type=CONTENT_TYPES.get(ev.extension))
    response["X-Content-Type-Options"] = "nosniff"
    return response
