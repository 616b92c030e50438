"""The entry sheet's Excel round trip: download a template, upload a filled one, see
what it would change, confirm."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from actions import access, clock
from indicators.excel.reading import TOO_BIG, UploadRejected, request_too_big
from indicators.excel.template import template_build
from indicators.excel.upload import upload_check
from indicators.forms.entry import EntryForm, UploadForm
from indicators.models import Figure
from indicators.rules.periods import format_month
from indicators.rules.workflow import edit_block
from indicators.selectors import entry_sheet
from indicators.services.workflow import StaleVersion, WorkflowError, entry_save
from indicators.views.entry import _unit_for


@login_required
def excel_download(request, unit_code: str, period: date):
    unit = _unit_for(request, unit_code)
    sheet = entry_sheet(unit=unit, period=period)
    content = template_build(sheet)
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
    if request.method == "POST" and request_too_big(request.META.get("CONTENT_LENGTH")):
        # refused before Django reads the body into a temporary file
        context |= {"form": UploadForm(), "problems": [TOO_BIG]}
        return render(request, "indicators/upload.html", context, status=400)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = upload_check(sheet, form.cleaned_data["file"])
        except UploadRejected as exc:
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
