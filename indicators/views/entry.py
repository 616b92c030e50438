"""The entry sheet of a unit and month: the page itself (fill in, save, copy last
month's notes), its live status, and the workflow steps taken from it. Every view checks
access through actions.access."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from actions import access, clock
from actions.models import Unit
from indicators.forms.entry import INPUT_LABELS, EntryForm, check_row, checkpoint_fields, input_names, ratio_text, reached_from
from indicators.forms.review import CorrectionRequestForm, ReturnForm
from indicators.models import CorrectionRequest, Metric, Submission
from indicators.months import collecting_month
from indicators.rules.periods import PeriodError, add_months, format_month, parse_month
from indicators.rules.types import MilestoneState
from indicators.rules.workflow import can_request_correction, edit_block
from indicators.selectors import entry_sheet, submission_timeline
from indicators.services.review import submission_accept, submission_approve, submission_return
from indicators.services.workflow import StaleVersion, WorkflowError, correction_request, entry_save, notes_copy_last_month


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
        cps = checkpoint_fields(row.metric)
        if check is None:
            typed = lambda k, code=code: form.data.get(f"{code}-{k}") if form.is_bound else initial.get(f"{code}-{k}", "")  # noqa: E731
            raw = {k: typed(k) for k in INPUT_LABELS} | {"checkpoints_reached": reached_from(typed, row.metric)}
            check = check_row(row, raw, period=sheet.period, submit=False)
        rows.append(
            {
                "row": row,
                "inputs": [form[f"{code}-{n}"] for n in names],
                "cells": [{"field": form[f"{code}-{n}"], "shown": _shown(form[f"{code}-{n}"], n)} for n in names],
                "no_business": form[f"{code}-no_business"],
                "checkpoints": [{"checkpoint": c, "date": form[f"{code}-{d}"], "note": form[f"{code}-{n}"]} for d, n, c in cps],
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
    raw["checkpoints_reached"] = reached_from(lambda k: request.GET.get(k, ""), row.metric)
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
