"""The office's page of last year's values (上年基数): a list with filters, and a form to
add, change or delete one. Reporters see these values on their entry sheet, read-only."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django_tables2 import RequestConfig

from actions import access
from indicators.baseline_history import baseline_history
from indicators.filters import BaselineFilter
from indicators.forms.baselines import BaselineForm
from indicators.models import Baseline
from indicators.services.baselines import baseline_delete, baseline_save
from indicators.tables import BaselineTable

DENIED = "只有市优化办可以维护上年基数。"


@login_required
def baselines(request):
    if not access.can_manage_baselines(request.user):
        raise PermissionDenied(DENIED)
    qs = Baseline.objects.select_related("metric__plan", "unit").order_by("-metric__plan__year", "metric__sort_order", "unit")
    f = BaselineFilter(request.GET or None, queryset=qs)
    table = BaselineTable(f.qs)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(request, "indicators/baselines.html", {"filter": f, "table": table, "history": baseline_history(limit=30)})


@login_required
def baseline_edit(request, pk: int | None = None):
    if not access.can_manage_baselines(request.user):
        raise PermissionDenied(DENIED)
    baseline = get_object_or_404(Baseline, pk=pk) if pk else Baseline()
    if request.method == "POST" and "delete" in request.POST and baseline.pk:
        baseline_delete(baseline=baseline, reason=(request.POST.get("reason") or "").strip()[:100])
        messages.success(request, "上年基数已删除。")
        return redirect("indicators:baselines")
    form = BaselineForm(request.POST or None, instance=baseline)
    if request.method == "POST" and form.is_valid():
        try:
            baseline_save(baseline=form.instance, reason=form.cleaned_data.get("reason", ""))
        except ValidationError as exc:  # a constraint on the month, which the form does not hold as a field
            form.add_error(None, exc)
        else:
            messages.success(request, f"已保存:{form.instance}。")
            return redirect("indicators:baselines")
    return render(request, "indicators/baseline_form.html", {"form": form, "baseline": baseline})
