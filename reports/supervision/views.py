"""Pages of 督查督办: the order list (table, filters, export), an order with its answers,
evidence and history and the step its viewer may take, raising from the month's red
list, findings and proposals. Each view checks access through actions.access, calls
one service or selector, and renders or redirects."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin
from django_tables2.export import ExportMixin

from actions import access, clock
from actions.evidence import CONTENT_TYPES
from actions.models import Unit
from indicators.rules.periods import format_month
from indicators.selectors import plan_for_year
from reports.exports import PlainTableExport
from reports.supervision import proposals as proposing
from reports.supervision import selectors, services
from reports.supervision.filters import OrderFilter
from reports.supervision.forms import (
    AnswerForm,
    BatchForm,
    DecisionForm,
    FindingForm,
    FindingOrderForm,
    ReasonForm,
    SettingsForm,
    default_due,
)
from reports.supervision.models import Evidence, Finding, OrderProposal, SupervisionOrder, SupervisionSettings
from reports.supervision.rules import Stage
from reports.supervision.tables import OrderTable
from reports.views.dashboard import month_from


def _office_only(user):
    if not access.can_manage_orders(user):
        raise PermissionDenied("只有市优化办可以办理此事项。")


class OrderListView(LoginRequiredMixin, ExportMixin, SingleTableMixin, FilterView):
    """Every order the user may see; filtered, sorted, exported as shown."""

    template_name = "reports/supervision/list.html"
    table_class = OrderTable
    filterset_class = OrderFilter
    export_class = PlainTableExport
    export_formats = ("xlsx", "csv")
    table_pagination = {"per_page": 50}
    http_method_names = ["get"]

    def get_queryset(self):
        return selectors.orders_visible(self.request.user)

    def get_filterset_kwargs(self, filterset_class):
        return super().get_filterset_kwargs(filterset_class) | {"today": clock.today()}

    def get_table_kwargs(self):
        return {"today": clock.today()}

    def get_export_filename(self, export_format):
        return f"supervision-orders.{export_format}"

    def get_dataset_kwargs(self):
        return {"title": "督办单"}

    def get_context_data(self, **kwargs):
        params = self.request.GET.copy()
        for key in ("_export", "page", "sort"):
            params.pop(key, None)
        user = self.request.user
        return super().get_context_data(**kwargs) | {
            "export_query": params.urlencode(),
            "is_office": access.can_manage_orders(user),
            "proposals": selectors.pending_proposals().count() if access.can_manage_orders(user) else 0,
            "settings_row": SupervisionSettings.current(),
        }


def _visible_order(request, pk) -> SupervisionOrder:
    try:
        order = selectors.order_detail(pk)
    except SupervisionOrder.DoesNotExist:
        raise Http404("督办单不存在。") from None
    if not access.can_view_order(request.user, order):
        raise PermissionDenied("您无权查看此督办单。")
    return order


@login_required
def order_detail(request, pk):
    order = _visible_order(request, pk)
    user = request.user
    stage = Stage(order.stage)
    context = {
        "order": order,
        "state": order.state(clock.today()),
        "may_answer": stage in (Stage.OPEN, Stage.RETURNED) and access.can_answer_order(user, order),
        "may_approve": stage == Stage.APPROVING and access.can_approve_order_answer(user, order),
        "may_review": stage == Stage.REVIEWING and access.can_review_order(user, order),
        "may_decide": stage != Stage.CLOSED and access.can_manage_orders(user),
        "returned": selectors.last_return(order) if stage == Stage.RETURNED else None,
    }
    context["answer_form"] = AnswerForm(initial={"version": order.version}) if context["may_answer"] else None
    context["decision_form"] = DecisionForm(initial={"version": order.version})
    return render(request, "reports/supervision/detail.html", context)


@require_POST
@login_required
def order_answer(request, pk):
    order = _visible_order(request, pk)
    if not access.can_answer_order(request.user, order):
        raise PermissionDenied("您无权答复此督办单。")
    form = AnswerForm(request.POST, request.FILES)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.order_answer(
                order=order,
                user=request.user,
                measures=d["measures"],
                progress=d["progress"],
                expected_done=d["expected_done"],
                files=d["files"],
                version=d["version"],
            )
        except ValidationError as e:
            messages.error(request, e.messages[0])
        else:
            messages.success(request, f"{order.number_text}已答复。")
            return redirect("reports:supervision-detail", pk=order.pk)
    state = order.state(clock.today())
    context = {"order": order, "state": state, "may_answer": True, "answer_form": form, "decision_form": None}
    return render(request, "reports/supervision/detail.html", context, status=400)


STEPS = {
    "approve": (lambda o, u, note, v: services.order_approve(order=o, user=u, approve=True, note=note, version=v), "已审核通过"),
    "unit-return": (
        lambda o, u, note, v: services.order_approve(order=o, user=u, approve=False, note=note, version=v),
        "已退回填报员",
    ),
    "review": (
        lambda o, u, note, v: services.order_review(order=o, user=u, agree=True, note=note, version=v),
        "已审核,转市优化办",
    ),
    "lead-return": (
        lambda o, u, note, v: services.order_review(order=o, user=u, agree=False, note=note, version=v),
        "已退回责任单位",
    ),
    "close": (lambda o, u, note, v: services.order_close(order=o, user=u, note=note, version=v), "已销号"),
    "return": (lambda o, u, note, v: services.order_return(order=o, user=u, reason=note, version=v), "已退回责任单位"),
}


@require_POST
@login_required
def order_step(request, pk, step):
    """One decision on an order; the service checks who may take it."""
    if step not in STEPS:
        raise Http404()
    order = _visible_order(request, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "表单已过期,请刷新页面后再试。")
    else:
        act, done = STEPS[step]
        try:
            act(order, request.user, form.cleaned_data["note"], form.cleaned_data["version"])
        except ValidationError as e:
            messages.error(request, e.messages[0])
        else:
            messages.success(request, f"{order.number_text}{done}。")
    return redirect("reports:supervision-detail", pk=order.pk)


@login_required
def evidence_download(request, pk):
    ev = get_object_or_404(Evidence.objects.select_related("answer__order__metric__indicator", "finding"), pk=pk)
    if ev.answer_id:
        allowed = access.can_view_order(request.user, ev.answer.order)
    else:
        allowed = access.can_view_findings(request.user)
    if not allowed:
        raise PermissionDenied("您无权查看此材料。")
    try:
        fh = ev.file.open("rb")
    except FileNotFoundError:
        raise Http404("文件已不存在。") from None
    response = FileResponse(fh, as_attachment=True, filename=ev.name, content_type=CONTENT_TYPES.get(ev.extension))
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def raise_from_red(request):
    """The month's red list with checkboxes: one cell (?metric=&unit=), one unit's
    (?unit=) or a batch; the problem of each prefilled from the stored facts."""
    _office_only(request.user)
    period, error = month_from(request)
    plan = plan_for_year(period.year) if period else None
    unit = Unit.objects.filter(code=request.GET.get("unit") or "").first()
    cells = selectors.red_list(plan=plan, period=period, unit=unit) if plan else []
    chosen = [c.key for c in cells if c.row.metric.code == request.GET.get("metric")] or []
    form = BatchForm(request.POST or None, cells=cells, initial={"due": default_due(), "keys": chosen})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            orders = services.orders_raise_batch(
                plan=plan,
                period=period,
                keys=d["keys"],
                required=d["required"],
                due=d["due"],
                level=d["level"],
                user=request.user,
            )
        except ValidationError as e:
            messages.error(request, e.messages[0])
        else:
            messages.success(request, f"已交办 {len(orders)} 件督办单:{orders[0].number_text} 至 {orders[-1].number_text}。")
            return redirect("reports:supervision-list")
    context = {
        "period": period,
        "period_text": format_month(period) if period else "",
        "period_error": error,
        "cells": cells,
        "form": form,
        "unit": unit,
    }
    return render(request, "reports/supervision/raise.html", context, status=400 if request.method == "POST" else 200)


@login_required
def findings(request):
    if not access.can_view_findings(request.user):
        raise PermissionDenied("您无权查看问题线索。")
    form = FindingForm(request.POST or None, request.FILES or None, initial={"received": clock.today()})
    if request.method == "POST":
        _office_only(request.user)
        if form.is_valid():
            d = form.cleaned_data
            services.finding_record(
                source=d["source"],
                received=d["received"],
                unit=d["unit"],
                description=d["description"],
                user=request.user,
                files=d["files"],
            )
            messages.success(request, "问题线索已录入。")
            return redirect("reports:supervision-findings")
    rows = Finding.objects.select_related("unit", "order").prefetch_related("evidence")
    context = {"form": form, "findings": rows, "is_office": access.can_manage_orders(request.user), "reason_form": ReasonForm()}
    return render(request, "reports/supervision/findings.html", context, status=400 if request.method == "POST" else 200)


@require_POST
@login_required
def finding_close(request, pk):
    _office_only(request.user)
    finding = get_object_or_404(Finding, pk=pk)
    form = ReasonForm(request.POST)
    try:
        services.finding_close(finding=finding, user=request.user, reason=form.data.get("reason", ""))
    except ValidationError as e:
        messages.error(request, e.messages[0])
    else:
        messages.success(request, "线索已办结。")
    return redirect("reports:supervision-findings")


@login_required
def finding_order(request, pk):
    _office_only(request.user)
    finding = get_object_or_404(Finding.objects.select_related("unit"), pk=pk, state=Finding.State.OPEN)
    form = FindingOrderForm(
        request.POST or None,
        initial={"due": default_due(), "problem": f"{finding.get_source_display()}反映:{finding.description}"[:1000]},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            order = services.order_raise(
                unit=finding.unit,
                finding=finding,
                problem=d["problem"],
                required=d["required"],
                due=d["due"],
                level=d["level"],
                user=request.user,
            )
        except ValidationError as e:
            messages.error(request, e.messages[0])
        else:
            messages.success(request, f"已转为督办单 {order.number_text}。")
            return redirect("reports:supervision-detail", pk=order.pk)
    return render(request, "reports/supervision/finding_order.html", {"finding": finding, "form": form})


def _month_plan(request):
    """The plan of the month the dashboards open on (or ?period=)."""
    period, _ = month_from(request)
    return plan_for_year(period.year) if period else None


@login_required
def proposals(request):
    _office_only(request.user)
    if request.method == "POST":
        period, _ = month_from(request)
        plan = _month_plan(request)
        n = proposing.proposals_refresh(plan=plan, period=period) if plan else 0
        messages.success(request, f"已按规则生成 {n} 条新建议,请逐条确认或驳回。")
        return redirect("reports:supervision-proposals")
    context = {
        "pending": selectors.pending_proposals(),
        "decided": OrderProposal.objects.exclude(state=OrderProposal.State.PENDING).select_related(
            "unit", "metric", "deliverable", "decided_by"
        )[:50],
        "rules": selectors.rule_lines(_month_plan(request), SupervisionSettings.current()),
        "due": default_due(),
    }
    return render(request, "reports/supervision/proposals.html", context)


@require_POST
@login_required
def proposal_decide(request, pk):
    _office_only(request.user)
    proposal = get_object_or_404(
        OrderProposal.objects.select_related("unit", "metric__plan", "deliverable__plan", "order"), pk=pk
    )
    note = request.POST.get("reason", "")
    try:
        if request.POST.get("decision") == "confirm":
            proposing.proposal_confirm(
                proposal=proposal,
                user=request.user,
                due=default_due(),
                required=BatchForm.base_fields["required"].initial,
                note=note,
            )
            messages.success(request, f"已确认:{proposal.get_kind_display()}。")
        else:
            proposing.proposal_dismiss(proposal=proposal, user=request.user, reason=note)
            messages.success(request, "已驳回该建议。")
    except ValidationError as e:
        messages.error(request, e.messages[0])
    return redirect("reports:supervision-proposals")


@require_POST
@login_required
def remind(request):
    _office_only(request.user)
    n = services.overdue_remind(user=request.user)
    messages.success(request, f"已向 {n} 个可办理的账号发送逾期提醒。" if n else "今天已提醒过,或没有逾期的督办单。")
    return redirect("reports:supervision-list")


@login_required
def settings_edit(request):
    """The office's thresholds and whether (and how much) an overdue order costs points;
    the scoring shows 待核定 until the office ticks it confirmed."""
    _office_only(request.user)
    form = SettingsForm(request.POST or None, instance=SupervisionSettings.current())
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "督查督办设置已保存。")
        return redirect("reports:supervision-settings")
    return render(request, "reports/supervision/settings.html", {"form": form}, status=400 if request.method == "POST" else 200)
