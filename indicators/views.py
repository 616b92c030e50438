"""HTML and JSON views of monthly reporting: the entry sheet of a unit and month, its
live status, the Excel round trip, the workflow steps, corrections, the office's month
overview and a figure's history. Every view checks access through actions.access."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST
from django_tables2 import RequestConfig

from actions import access, clock
from actions.models import Unit
from indicators import excel
from indicators.filters import CorrectionFilter
from indicators.forms import (
    INPUT_LABELS,
    BulkStepForm,
    CorrectionDecisionForm,
    CorrectionRequestForm,
    EntryForm,
    ReportingMonthForm,
    ReturnForm,
    UploadForm,
    check_row,
    input_names,
    ratio_text,
)
from indicators.models import CorrectionRequest, Figure, Metric, Submission
from indicators.months import collecting_month, reporting_month_get
from indicators.rules.inputs import entry_text
from indicators.rules.periods import PeriodError, add_months, format_month, parse_month
from indicators.rules.types import MilestoneState
from indicators.rules.workflow import can_request_correction, edit_block
from indicators.selectors import entry_sheet, month_overview, submission_timeline
from indicators.services.workflow import (
    StaleVersion,
    WorkflowError,
    correction_decide,
    correction_request,
    entry_save,
    notes_copy_last_month,
    submission_accept,
    submission_approve,
    submission_return,
    submissions_accept_bulk,
    submissions_return_bulk,
)
from indicators.status.refresh import status_refresh_on_commit
from indicators.tables import BULK_STATES, CorrectionTable, MonthOverviewTable


def _period(text: str) -> date:
    try:
        return parse_month(text)
    except PeriodError:
        raise Http404("月份格式不正确") from None


def _unit_for(request, unit_code: str) -> Unit:
    unit = get_object_or_404(Unit, code=unit_code)
    if not access.can_view_unit(request.user, unit):
        raise PermissionDenied("您无权查看该单位的数据。")
    return unit


@login_required
def entry_home(request):
    """Where “月度填报” leads: the user's own unit, or the office's month overview."""
    period = request.GET.get("period")
    period = _period(period) if period else collecting_month()
    unit = access.unit_of(request.user)
    if access.reads_everything(request.user) or unit is None:
        return redirect("indicators:month", format_month(period))
    return redirect("indicators:entry", unit.code, format_month(period))


def _shown(field, name: str) -> str:
    """An input's value in words for a read-only sheet: a milestone's state by its
    label, never its code."""
    value = field.value()
    if value in (None, ""):
        return "—"
    if name == "state":
        return MilestoneState(value).label if value in set(MilestoneState) else str(value)
    return str(value)


def _entry_context(request, sheet, form):
    user, sub, unit = request.user, sheet.submission, sheet.unit
    today = clock.today()
    block = edit_block(
        state=sub.state, reopened=sub.reopened, needs_approval=unit.needs_approval, today=today, lock_date=sheet.month.lock_date
    )
    may_edit = access.can_edit_unit(user, unit)
    office = access.is_office(user)
    ready = Submission.State.APPROVED if unit.needs_approval else Submission.State.SUBMITTED
    pending = CorrectionRequest.objects.filter(unit=unit, period=sheet.period, state=CorrectionRequest.State.PENDING).first()
    checks = getattr(form, "checks", {}) if form.is_bound else {}
    rows = []
    initial = form.initial
    for row in sheet.rows:
        code = row.metric.code
        names = input_names(row.metric)
        check = checks.get(row.metric.pk)
        if check is None:
            raw = {k: (form.data.get(f"{code}-{k}") if form.is_bound else initial.get(f"{code}-{k}", "")) for k in INPUT_LABELS}
            check = check_row(row, raw, period=sheet.period, submit=False)
        rows.append(
            {
                "row": row,
                "inputs": [form[f"{code}-{n}"] for n in names],
                "cells": [{"field": form[f"{code}-{n}"], "shown": _shown(form[f"{code}-{n}"], n)} for n in names],
                "no_business": form[f"{code}-no_business"],
                "explanation": form[f"{code}-explanation"],
                "measures": form[f"{code}-measures"],
                "status": check.status,
                "label": check.label,
                "ratio": ratio_text(check.figure.numerator, check.figure.denominator, row.metric)
                if row.metric.measure == Metric.Measure.RATIO
                else "",
            }
        )
    areas: dict[int, tuple] = {}
    for r in rows:
        areas.setdefault(r["row"].metric.area_id, (r["row"].metric.area, []))[1].append(r)
    tasks = [
        {"task": t, "report": rep, "state": form[f"task-{t.code}-state"], "narrative": form[f"task-{t.code}-narrative"]}
        for t, rep in sheet.tasks
    ]
    noted = any(r.last_month and (r.last_month.explanation or r.last_month.measures) for r in sheet.rows)
    return {
        "sheet": sheet,
        "unit": unit,
        "period": sheet.period,
        "period_text": format_month(sheet.period),
        "prev_text": format_month(add_months(sheet.period, -1)),
        "next_text": format_month(add_months(sheet.period, 1)),
        "sub": sub,
        "form": form,
        "areas": list(areas.values()),
        "tasks": tasks,
        "lock_reason": block if may_edit else None,
        "can_edit": may_edit and block is None,
        "read_only_reason": None if may_edit else "只读:只有本单位填报员可以填写和修改本单位数据。",
        "can_approve": access.can_approve_unit(user, unit) and unit.needs_approval and sub.state == Submission.State.SUBMITTED,
        "can_accept": office and sub.pk is not None and sub.state == ready,
        "can_return_office": office and sub.state in (Submission.State.SUBMITTED, Submission.State.APPROVED),
        "can_correct": may_edit
        and pending is None
        and can_request_correction(state=sub.state, reopened=sub.reopened, today=today, lock_date=sheet.month.lock_date),
        "pending_correction": pending,
        "attention": form.attention() if form.is_bound else [],
        "timeline": submission_timeline(sub),
        "can_copy_notes": may_edit and block is None and noted,
        "return_form": ReturnForm(),
        "correction_form": CorrectionRequestForm(),
    }


@login_required
def entry(request, unit_code: str, period: date):
    """The monthly entry sheet: every metric assigned to the unit and every task it
    carries, saved as a draft or submitted; read-only for those who may only look.

    A draft always saves (a malformed number is kept back with its error); the checks
    that make a sheet complete block only 提交, and a blocked submit is saved as a draft
    and answered with a list of the rows that need attention."""
    unit = _unit_for(request, unit_code)
    sheet = entry_sheet(unit=unit, period=period)
    if request.method != "POST":
        return render(request, "indicators/entry.html", _entry_context(request, sheet, EntryForm(sheet=sheet)))
    if not access.can_edit_unit(request.user, unit):
        raise PermissionDenied("只有本单位填报员可以填写和修改本单位数据。")
    action = request.POST.get("action")
    submit = action == "submit"
    form = EntryForm(request.POST, sheet=sheet, submit=submit)
    valid = form.is_valid()
    if "version" in form.errors:
        messages.error(request, "表单版本信息缺失或有误,未保存。请重新载入本页后填写。")
        return render(request, "indicators/entry.html", _entry_context(request, sheet, form), status=400)
    try:
        with transaction.atomic():
            sub = entry_save(
                unit=unit,
                period=sheet.period,
                user=request.user,
                version=form.cleaned_data["version"],
                figures=form.figure_values(),
                tasks=form.task_values(),
                submit=submit and valid,
            )
            copied = notes_copy_last_month(unit=unit, period=sheet.period, user=request.user) if action == "copy_notes" else None
    except StaleVersion as exc:
        messages.error(request, str(exc))
        context = _entry_context(request, sheet, form) | {"stale_changes": exc.changes}
        return render(request, "indicators/entry.html", context, status=409)
    except WorkflowError as exc:
        messages.error(request, str(exc))
        return render(request, "indicators/entry.html", _entry_context(request, sheet, form), status=409)
    if copied is not None:
        sub = copied.submission
    if valid:
        if copied is not None:
            messages.success(request, copied.message())
        else:
            messages.success(request, "已提交,等待审核。" if submit else "草稿已保存。")
        return redirect("indicators:entry", unit.code, period)
    # Saved as a draft, with what needs attention listed; the user's typing stays on screen.
    sheet = entry_sheet(unit=unit, period=sheet.period)
    data = request.POST.copy()
    data["version"] = str(sub.version)
    if copied is not None:
        for row in sheet.rows:
            for name in ("explanation", "measures"):
                key = f"{row.metric.code}-{name}"
                if row.figure is not None and not (data.get(key) or "").strip():
                    data[key] = getattr(row.figure, name)
    form = EntryForm(data, sheet=sheet, submit=submit)
    form.is_valid()
    n = len(form.attention())
    if submit:
        messages.error(request, f"未提交:有 {n} 项需要处理(见页面上方清单)。您填写的内容已保存为草稿。")
    else:
        messages.warning(request, f"草稿已保存,但有 {n} 项数据格式有误未保存(见页面上方清单),请按红字修改后再保存。")
    if copied is not None:
        messages.success(request, copied.message())
    return render(request, "indicators/entry.html", _entry_context(request, sheet, form) | {"submit_blocked": submit}, status=400)


@require_GET
@login_required
def entry_status(request, unit_code: str, period: date):
    """Live status of one metric as the user types: the same rules as saving."""
    unit = _unit_for(request, unit_code)
    sheet = entry_sheet(unit=unit, period=period)
    row = next((r for r in sheet.rows if r.metric.code == request.GET.get("metric")), None)
    if row is None:
        return JsonResponse({"error": "本单位本月不报送该指标。"}, status=404)
    raw = {k: request.GET.get(k, "") for k in INPUT_LABELS}
    check = check_row(row, raw, period=sheet.period, submit=False)
    return JsonResponse(
        {
            "status": check.status.value,
            "label": check.label,
            "icon": check.status.icon,
            "needs_explanation": check.needs_explanation,
            "ratio": ratio_text(check.figure.numerator, check.figure.denominator, row.metric),
            "errors": {k: v for k, v in check.errors.items() if k not in ("explanation", "measures")},
        }
    )


@require_POST
@login_required
def entry_step(request, unit_code: str, period: date, step: str):
    """One workflow step on a unit-month: approve, accept or return (with a reason)."""
    unit = _unit_for(request, unit_code)
    month = period
    user = request.user
    try:
        if step == "approve":
            if not access.can_approve_unit(user, unit):
                raise PermissionDenied("只有本单位审核人可以审核。")
            submission_approve(unit=unit, period=month, user=user)
            messages.success(request, "已审核通过,已报送市优化办。")
        elif step == "accept":
            if not access.is_office(user):
                raise PermissionDenied("只有市优化办可以采纳。")
            submission_accept(unit=unit, period=month, user=user)
            messages.success(request, f"已采纳{unit.name}本月数据。")
        elif step == "return":
            office = access.is_office(user)
            if not (office or access.can_approve_unit(user, unit)):
                raise PermissionDenied("您无权退回该单位的数据。")
            form = ReturnForm(request.POST)
            if not form.is_valid():
                raise WorkflowError("请填写退回原因。")
            submission_return(unit=unit, period=month, user=user, reason=form.cleaned_data["reason"], by_office=office)
            messages.success(request, "已退回,并通知了填报员。")
        elif step == "correction":
            if not access.can_edit_unit(user, unit):
                raise PermissionDenied("只有本单位填报员可以申请更正。")
            form = CorrectionRequestForm(request.POST)
            if not form.is_valid():
                raise WorkflowError("请填写更正理由。")
            correction_request(unit=unit, period=month, user=user, reason=form.cleaned_data["reason"])
            messages.success(request, "更正申请已提交,等待市优化办审批。")
        else:
            raise Http404("没有这个操作")
    except WorkflowError as exc:
        messages.error(request, str(exc))
    return redirect("indicators:entry", unit.code, period)


# -- Excel round trip -----------------------------------------------------------------


@login_required
def excel_download(request, unit_code: str, period: date):
    unit = _unit_for(request, unit_code)
    sheet = entry_sheet(unit=unit, period=period)
    content = excel.template_build(sheet)
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    filename = f"{unit.name}_{format_month(period)}_数据填报模板.xlsx"
    response["Content-Disposition"] = (
        f"attachment; filename=\"entry-{unit.code}-{format_month(period)}.xlsx\"; filename*=UTF-8''{quote(filename)}"
    )
    return response


def _upload_key(unit, period):
    return f"excel-upload:{unit.code}:{format_month(period)}"


@login_required
def excel_upload(request, unit_code: str, period: date):
    """Upload a filled template: checked whole, then a preview of what will change;
    nothing is written until the user confirms."""
    unit = _unit_for(request, unit_code)
    if not access.can_edit_unit(request.user, unit):
        raise PermissionDenied("只有本单位填报员可以上传本单位数据。")
    sheet = entry_sheet(unit=unit, period=period)
    context = {"unit": unit, "period_text": format_month(period), "sheet": sheet}
    block = _block_of(sheet)
    if block:
        messages.error(request, block)
        return redirect("indicators:entry", unit.code, period)
    if request.method == "POST" and excel.request_too_big(request.META.get("CONTENT_LENGTH")):
        # refused before Django reads the body into a temporary file
        context |= {"form": UploadForm(), "problems": [excel.TOO_BIG]}
        return render(request, "indicators/upload.html", context, status=400)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = excel.upload_check(sheet, form.cleaned_data["file"])
        except excel.UploadRejected as exc:
            context |= {"form": form, "problems": exc.problems, "stale_changes": exc.changes}
            return render(request, "indicators/upload.html", context, status=400)
        request.session[_upload_key(unit, period)] = result.data
        return render(request, "indicators/upload_preview.html", context | {"changes": result.changes, "result": result})
    return render(request, "indicators/upload.html", context | {"form": form})


def _block_of(sheet):
    return edit_block(
        state=sheet.submission.state,
        reopened=sheet.submission.reopened,
        needs_approval=sheet.unit.needs_approval,
        today=clock.today(),
        lock_date=sheet.month.lock_date,
    )


@require_POST
@login_required
def excel_confirm(request, unit_code: str, period: date):
    unit = _unit_for(request, unit_code)
    if not access.can_edit_unit(request.user, unit):
        raise PermissionDenied("只有本单位填报员可以上传本单位数据。")
    data = request.session.pop(_upload_key(unit, period), None)
    if data is None:
        messages.error(request, "没有待确认的上传文件(可能已确认过或已过期),请重新上传。")
        return redirect("indicators:excel-upload", unit.code, period)
    sheet = entry_sheet(unit=unit, period=period)
    form = EntryForm(data=data, sheet=sheet)
    if not form.is_valid():  # the plan or the month changed between preview and confirm
        messages.error(request, "数据在预览后发生了变化,请重新上传。")
        return redirect("indicators:excel-upload", unit.code, period)
    try:
        entry_save(
            unit=unit,
            period=sheet.period,
            user=request.user,
            version=form.cleaned_data["version"],
            figures=form.figure_values(),
            tasks=form.task_values(),
            source=Figure.Source.EXCEL,
            reason="Excel导入",
        )
    except StaleVersion as exc:
        messages.error(request, str(exc) + " " + ";".join(exc.changes))
        return redirect("indicators:entry", unit.code, period)
    except WorkflowError as exc:
        messages.error(request, str(exc))
        return redirect("indicators:entry", unit.code, period)
    messages.success(request, "Excel 数据已导入并保存为草稿,请核对后提交。")
    return redirect("indicators:entry", unit.code, period)


# -- the office's month overview, dates and corrections -------------------------------


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


# -- audit ----------------------------------------------------------------------------


@login_required
def figure_history(request, pk: int):
    """Every change to one figure: who, when, old and new value, and why."""
    figure = get_object_or_404(Figure.objects.select_related("unit", "metric__indicator"), pk=pk)
    if not access.can_view_metric_of_unit(request.user, figure.metric, figure.unit):
        raise PermissionDenied("您无权查看该单位的数据。")
    records = list(figure.history.select_related("history_user").order_by("history_date", "history_id"))
    entries, previous = [], None
    for h in records:
        entries.append(
            {
                "h": h,
                "who": (h.history_user.first_name or h.history_user.username) if h.history_user else "系统",
                "old": (entry_text(previous) or "(空)") if previous else "—",
                "new": entry_text(h) or "(空)",
                "explanation_changed": previous is not None
                and (previous.explanation, previous.measures) != (h.explanation, h.measures),
            }
        )
        previous = h
    entries.reverse()
    return render(
        request,
        "indicators/figure_history.html",
        {"figure": figure, "entries": entries, "period_text": format_month(figure.period)},
    )
