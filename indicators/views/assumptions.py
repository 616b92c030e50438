"""The office's page of the plan's assumptions (待核定事项): each value still awaiting
confirmation with a 确认 button, and the record of every confirmation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from actions import access
from actions.models import Plan
from indicators.assumptions import (
    assumption_confirm,
    assumption_key_parse,
    assumptions_open,
    confirmations_of,
    deliverable_confirm,
    deliverable_key_parse,
)
from indicators.models import Deliverable, Metric

DENIED = "只有市优化办可以核定方案中的暂定事项。"


@login_required
def assumptions(request):
    if not access.can_confirm_assumptions(request.user):
        raise PermissionDenied(DENIED)
    plans = Plan.objects.order_by("-year")
    year = request.GET.get("year") or request.POST.get("year")
    plan = get_object_or_404(Plan, year=int(year)) if year and year.isdigit() else plans.first()
    if plan is None:
        return render(request, "indicators/assumptions.html", {"plan": None, "items": [], "history": []})
    if request.method == "POST":
        try:
            key = request.POST.get("key", "")
            if (item := deliverable_key_parse(key)) is not None:  # a task ledger item's due date or content
                deliverable = get_object_or_404(Deliverable, pk=item[0], plan=plan)
                record = deliverable_confirm(deliverable=deliverable, field=item[1], user=request.user)
            else:
                metric_pk, field = assumption_key_parse(key)
                metric = get_object_or_404(Metric, pk=metric_pk, plan=plan) if metric_pk else None
                record = assumption_confirm(
                    plan=plan, metric=metric, field=field, user=request.user, new_value=request.POST.get("new_value", "")
                )
        except ValidationError as exc:
            messages.error(request, ";".join(exc.messages))
        else:
            messages.success(request, f"已核定:{record}。")
        return redirect(f"{request.path}?year={plan.year}")
    context = {"plan": plan, "plans": plans, "items": assumptions_open(plan), "history": confirmations_of(plan)}
    return render(request, "indicators/assumptions.html", context)
