"""The office's month overview (with bulk accept and return), the month's dates, and the
correction requests to decide."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from actions import access, clock
from indicators.filters import CorrectionFilter
from indicators.forms.review import BulkStepForm, CorrectionDecisionForm, ReportingMonthForm
from indicators.models import CorrectionRequest
from indicators.months import reporting_month_get
from indicators.rules.periods import add_months, format_month
from indicators.selectors import month_overview
from indicators.services.review import submissions_accept_bulk, submissions_return_bulk
from indicators.services.workflow import WorkflowError, correction_decide
from indicators.status.refresh import status_refresh_on_commit
from indicators.tables import BULK_STATES, CorrectionTable, MonthOverviewTable


@login_required
def month(request, period: date):
    """Per month: who submitted, who is late, who is missing, and the completeness rate."""
    if not access.reads_everything(request.user):
        raise PermissionDenied("只有市优化办和领导可以查看全市报送情况。")
    overview = month_overview(period=period)
    office = access.is_office(request.user)
    table = MonthOverviewTable(
        overview.rows,
        period_text=format_month(period),
        deadline=overview.month.deadline,
        today=clock.today(),
        exclude=() if office else ("pick",),
    )
    RequestConfig(request, paginate=False).configure(table)
    return render(
        request,
        "indicators/month.html",
        {
            "overview": overview,
            "table": table,
            "period_text": format_month(period),
            "prev_text": format_month(add_months(overview.period, -1)),
            "next_text": format_month(add_months(overview.period, 1)),
            "is_office": office,
            "can_bulk": office and any(r.submission and r.submission.state in BULK_STATES for r in overview.rows),
        },
    )


@require_POST
@login_required
def month_bulk(request, period: date):
    """The office accepts, or returns with one reason, every unit-month ticked on the
    month page: each with the checks of the single step, all or nothing."""
    if not access.is_office(request.user):
        raise PermissionDenied("只有市优化办可以批量采纳或退回。")
    month = period
    form = BulkStepForm(request.POST)
    if not form.is_valid():
        messages.error(request, ";".join(e for errors in form.errors.values() for e in errors))
        return redirect("indicators:month", period)
    ids, action = form.cleaned_data["unit"], form.cleaned_data["action"]
    try:
        if action == "accept":
            done = submissions_accept_bulk(unit_ids=ids, period=month, user=request.user)
            messages.success(request, f"已采纳 {len(done)} 个单位的本月数据:" + "、".join(s.unit.name for s in done) + "。")
        else:
            reason = form.cleaned_data["reason"]
            done = submissions_return_bulk(unit_ids=ids, period=month, user=request.user, reason=reason)
            messages.success(request, f"已退回 {len(done)} 个单位,并通知了填报员:" + "、".join(s.unit.name for s in done) + "。")
    except WorkflowError as exc:
        messages.error(request, str(exc))
    return redirect("indicators:month", period)


@login_required
def month_dates(request, period: date):
    """The office sets a month's on-time deadline and lock date."""
    if not access.is_office(request.user):
        raise PermissionDenied("只有市优化办可以修改报送日期。")
    rm = reporting_month_get(period)
    form = ReportingMonthForm(request.POST or None, instance=rm)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            status_refresh_on_commit([rm.period], next_year=False)  # timeliness follows the dates
        messages.success(request, f"{period:%Y年%-m月}的截止日和锁定日已更新。")
        return redirect("indicators:month", period)
    return render(request, "indicators/month_dates.html", {"form": form, "period_text": format_month(period)})


@login_required
def corrections(request):
    if not access.is_office(request.user):
        raise PermissionDenied("只有市优化办可以审批更正申请。")
    qs = CorrectionRequest.objects.select_related("unit", "requested_by", "decided_by")
    f = CorrectionFilter(request.GET or None, queryset=qs)
    table = CorrectionTable(f.qs)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(request, "indicators/corrections.html", {"filter": f, "table": table})


@login_required
def correction_decide_view(request, pk: int):
    if not access.is_office(request.user):
        raise PermissionDenied("只有市优化办可以审批更正申请。")
    req = get_object_or_404(CorrectionRequest.objects.select_related("unit", "requested_by"), pk=pk)
    form = CorrectionDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            correction_decide(
                request_id=req.pk,
                user=request.user,
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
            )
            messages.success(request, "已审批,并通知了申请人。")
        except WorkflowError as exc:
            messages.error(request, str(exc))
        return redirect("indicators:corrections")
    return render(request, "indicators/correction_decide.html", {"req": req, "form": form})
