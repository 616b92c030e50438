"""The page raising an order on a deliverable 滞后 in the task ledger (the office): the
facts, the prefilled problem, the requirements, due date and level. Reached from the
ledger pages' 督办 beside a late item (reports.supervision.deliverables.late_item_links)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from actions import access
from actions.models import Unit
from indicators.ledger.models import Deliverable
from indicators.rules.periods import format_month
from indicators.selectors import plan_for_year
from reports.supervision.deliverables import deliverable_order_raise, late_item
from reports.supervision.forms import FindingOrderForm, default_due
from reports.supervision.models import quoted
from reports.views.dashboard import month_from


@login_required
def raise_on_deliverable(request, pk, unit_code):
    """GET: the late item's facts and the form (problem prefilled); POST: raise the order."""
    if not access.can_manage_orders(request.user):
        raise PermissionDenied("只有市优化办可以交办督办单。")
    period, error = month_from(request)
    plan = plan_for_year(period.year) if period else None
    if plan is None or error:
        raise Http404(error or "该月份没有方案。")
    deliverable = get_object_or_404(Deliverable.objects.select_related("task__area", "lead_unit"), pk=pk, plan=plan)
    unit = get_object_or_404(Unit, code=unit_code)
    item = late_item(plan=plan, period=period, deliverable=deliverable, unit=unit)
    if item is None:
        messages.error(request, f"{unit.name}的成果事项{quoted(deliverable.name)}{format_month(period)}不是滞后状态。")
        return redirect("indicators:ledger-home")
    form = FindingOrderForm(request.POST or None, initial={"due": default_due(), "problem": item.problem})
    if request.method == "POST" and form.is_valid():
        try:  # the form's fields are the service's: problem, required, due, level
            order = deliverable_order_raise(
                plan=plan, period=period, deliverable=deliverable, unit=unit, user=request.user, **form.cleaned_data
            )
        except ValidationError as e:
            form.add_error(None, e.messages[0])
        else:
            messages.success(request, f"已交办督办单 {order.number_text}。")
            return redirect("reports:supervision-detail", pk=order.pk)
    context = {"item": item, "form": form, "period": period}
    return render(request, "reports/supervision/deliverable_order.html", context, status=400 if form.errors else 200)
