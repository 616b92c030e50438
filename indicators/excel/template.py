"""Writing a unit's entry template for a month: locked reference columns, validated
input cells, last month for reference, task progress on a second sheet, hidden codes and
the unit-month's version that identify the file."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, PatternFill, Protection
from openpyxl.worksheet.datavalidation import DataValidation

from actions.models import TaskReport
from indicators.excel.cells import protect, put, sheet_head
from indicators.excel.checkpoints import checkpoints_sheet_build
from indicators.excel.layout import (
    COL,
    COLUMNS,
    FIRST_ROW,
    LETTER,
    MAIN_SHEET,
    META_SHEET,
    NUMBER_KEYS,
    STATE_LABELS,
    TASK_COLUMNS,
    TASK_SHEET,
    TCOL,
    TEMPLATE_KIND,
    TEXT_KEYS,
    TLETTER,
    _number_text,
)
from indicators.forms.entry import input_names
from indicators.rules.inputs import counts_whole, entry_text
from indicators.rules.periods import format_month
from indicators.selectors import EntrySheet


def _validation(kind: str, *, error: str, title: str, **kwargs) -> DataValidation:
    dv = DataValidation(type=kind, **kwargs)
    dv.error, dv.errorTitle = error, title
    dv.showErrorMessage = True
    dv.allow_blank = True
    return dv


def template_build(sheet: EntrySheet) -> bytes:
    """The unit's template for the month, with this month's saved figures and task
    progress filled in, and the unit-month's version (to refuse it once stale)."""
    wb = Workbook()
    ws = wb.active
    ws.title = MAIN_SHEET
    month = f"{sheet.period.year}年{sheet.period.month}月"
    sheet_head(
        ws,
        title=f"{sheet.unit.name} {month} 目标指标数据填报表",
        note=(
            "说明:只填写白色单元格;灰色列(目标、上月数据等)已锁定。比率类填写分子和分母;平均值类填写数值和件数;"
            "未达标或预警的指标须填写情况说明和整改措施。任务进展在“任务进展”工作表中填写。"
            "请勿修改表格结构,填好后在网页上传;上传前若有人在网页上修改过本月数据,须重新下载模板。"
        ),
        columns=COLUMNS,
        col=COL,
        letter=LETTER,
    )
    ws["A2"].alignment = Alignment(wrap_text=True)  # the long note, on three lines
    ws.row_dimensions[2].height = 48
    locked_fill = PatternFill("solid", fgColor="EAEEF2")

    numbers = _validation(
        "decimal",
        operator="between",
        formula1="-99999999999",
        formula2="99999999999",
        error="请填写数字(不要带单位或文字)。",
        title="不是数字",
    )
    whole = _validation("whole", operator="greaterThanOrEqual", formula1="0", error="件数应为不小于 0 的整数。", title="件数有误")
    states = _validation(
        "list",
        formula1='"' + ",".join(STATE_LABELS.values()) + '"',
        error="请从下拉列表中选择:未启动 / 推进中 / 已完成。",
        title="完成状态有误",
    )
    counts = _validation(
        "whole",
        operator="between",
        formula1="-99999999999",
        formula2="99999999999",
        error="这是整数计数(如家数、次数),请填写整数。",
        title="应为整数",
    )
    for dv in (numbers, whole, states, counts):
        ws.add_data_validation(dv)

    for i, row in enumerate(sheet.rows):
        r = FIRST_ROW + i
        m, f = row.metric, row.figure
        inputs = set(input_names(m)) | set(TEXT_KEYS)
        current = {
            "value": f.value if f else None,
            "numerator": f.numerator if f else None,
            "denominator": f.denominator if f else None,
            "cases": f.cases if f else None,
            "state": STATE_LABELS.get(f.state, "") if f and f.state else None,
            "explanation": f.explanation if f else None,
            "measures": f.measures if f else None,
        }
        fixed = {
            "code": m.code,
            "area": m.area.name,
            "name": m.name,
            "target": m.target_text(),
            "uom": m.unit_of_measure,
            "last_month": entry_text(row.last_month),
            "last_year": _number_text(row.last_year_value),
        }
        for key, *_ in COLUMNS:
            cell = ws.cell(row=r, column=COL[key])
            if key in fixed:
                put(cell, fixed[key])
                cell.fill = locked_fill
            elif key in inputs:
                v = current.get(key)
                put(cell, float(v) if v is not None and key in NUMBER_KEYS else v)
                cell.protection = Protection(locked=False)
                if key == "value" and counts_whole(m.measure, m.unit_of_measure):
                    counts.add(cell)
                elif key in ("value", "numerator", "denominator"):
                    numbers.add(cell)
                elif key == "cases":
                    whole.add(cell)
                elif key == "state":
                    states.add(cell)
                else:
                    cell.alignment = Alignment(wrap_text=True)
            else:
                cell.fill = locked_fill
    protect(ws)
    _tasks_sheet_build(wb, sheet, locked_fill)
    checkpoints_sheet_build(wb, sheet, locked_fill)

    meta = wb.create_sheet(META_SHEET)
    for r, (k, v) in enumerate(
        [
            ("kind", TEMPLATE_KIND),
            ("unit", sheet.unit.code),
            ("period", format_month(sheet.period)),
            ("version", sheet.submission.version),
        ],
        start=1,
    ):
        meta.cell(row=r, column=1, value=k)
        meta.cell(row=r, column=2, value=v)
    meta.sheet_state = "veryHidden"
    meta.protection.sheet = True
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _tasks_sheet_build(wb, sheet: EntrySheet, locked_fill) -> None:
    ws = wb.create_sheet(TASK_SHEET)
    sheet_head(
        ws,
        title=f"{sheet.unit.name} {sheet.period.year}年{sheet.period.month}月 任务进展",
        note="说明:“进展”从下拉列表选择;进度滞后的任务须在“进展情况”中说明原因和下一步措施。",
        columns=TASK_COLUMNS,
        col=TCOL,
        letter=TLETTER,
    )
    states = _validation(
        "list",
        formula1='"' + ",".join(TaskReport.State.labels) + '"',
        error="请从下拉列表中选择:" + " / ".join(TaskReport.State.labels) + "。",
        title="进展有误",
    )
    ws.add_data_validation(states)
    for i, (task, report) in enumerate(sheet.tasks):
        r = FIRST_ROW + i
        values = {
            "code": task.code,
            "area": task.area.name,
            "title": f"{task.number}. {task.title}",
            "state": (report.get_state_display() if report else TaskReport.State.NOT_STARTED.label),
            "narrative": report.narrative if report else "",
        }
        for key, _header, _width, is_input in TASK_COLUMNS:
            cell = ws.cell(row=r, column=TCOL[key])
            put(cell, values[key])
            if is_input:
                cell.protection = Protection(locked=False)
                if key == "state":
                    states.add(cell)
                else:
                    cell.alignment = Alignment(wrap_text=True)
            else:
                cell.fill = locked_fill
    protect(ws)
