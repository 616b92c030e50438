"""The entry template's sheet of milestone checkpoints (节点完成情况): one row per
checkpoint of each milestone the unit reports, with the date it reached it and what
shows it — written with the template, read back into the entry form's inputs."""

from __future__ import annotations

from datetime import date, datetime

from openpyxl.styles import Alignment, Protection
from openpyxl.utils import get_column_letter

from indicators.excel.cells import protect, put, sheet_head
from indicators.excel.layout import FIRST_ROW
from indicators.excel.reading import _cell_text, _rows, _text
from indicators.forms.entry import EntryForm, checkpoint_fields
from indicators.selectors import EntrySheet

CHECKPOINT_SHEET = "节点完成情况"
# (key, header, width, is_input)
CHECKPOINT_COLUMNS = [
    ("code", "指标编码", 10, False),
    ("name", "指标名称", 26, False),
    ("checkpoint", "节点", 16, False),
    ("due", "节点日期", 12, False),
    ("date", "达到日期(如 2022-06-20)", 14, True),
    ("note", "依据(文件、上线通知等)", 40, True),
]
KCOL = {key: i + 1 for i, (key, *_rest) in enumerate(CHECKPOINT_COLUMNS)}
KLETTER = {key: get_column_letter(i) for key, i in KCOL.items()}
KHEADER = {key: header for key, header, *_ in CHECKPOINT_COLUMNS}


def _checkpoint_rows(sheet: EntrySheet) -> list[tuple]:
    """(row, date input, note input, checkpoint) for every checkpoint of the sheet."""
    return [(row, d, n, c) for row in sheet.rows for d, n, c in checkpoint_fields(row.metric)]


def checkpoints_sheet_build(wb, sheet: EntrySheet, locked_fill) -> None:
    """The sheet, when the unit reports a milestone with checkpoints; filled in with what
    the entry sheet would show (this month's entries, else last month's)."""
    rows = _checkpoint_rows(sheet)
    if not rows:
        return
    initial = EntryForm.initial_from(sheet)
    ws = wb.create_sheet(CHECKPOINT_SHEET)
    sheet_head(
        ws,
        title=f"{sheet.unit.name} {sheet.period.year}年{sheet.period.month}月 节点完成情况",
        note="说明:达到某一节点后填写达到日期和依据;未达到的留空。节点日期已过仍未达到的,该指标为预警。",
        columns=CHECKPOINT_COLUMNS,
        col=KCOL,
        letter=KLETTER,
    )
    for i, (row, date_key, note_key, c) in enumerate(rows):
        r = FIRST_ROW + i
        code = row.metric.code
        values = {
            "code": code,
            "name": row.metric.name,
            "checkpoint": c.name,
            "due": c.due.isoformat(),
            "date": initial.get(f"{code}-{date_key}", "") or None,
            "note": initial.get(f"{code}-{note_key}", "") or None,
        }
        for key, _header, _width, is_input in CHECKPOINT_COLUMNS:
            cell = ws.cell(row=r, column=KCOL[key])
            put(cell, values[key])
            if is_input:
                cell.protection = Protection(locked=False)
                cell.number_format = "@"  # a date as text: read back as typed
                cell.alignment = Alignment(wrap_text=key == "note")
            else:
                cell.fill = locked_fill
    protect(ws)


def _date_text(value_cell, formula, where, problems) -> str:
    v = getattr(value_cell, "value", None)
    if isinstance(v, datetime):
        return v.date().isoformat()
    if isinstance(v, date):
        return v.isoformat()
    return _cell_text(value_cell, formula, where, problems)


def checkpoints_read(sheet: EntrySheet, values_wb, form_data: dict, where: dict, problems: list[str]) -> None:
    """The sheet's entries into `form_data` (the entry form's inputs); a file without the
    sheet keeps what is saved."""
    if CHECKPOINT_SHEET not in values_wb.sheetnames:
        return
    wanted = {(row.metric.code, c.name): (d, n) for row, d, n, c in _checkpoint_rows(sheet)}
    seen: dict[tuple, int] = {}
    cells = _rows(values_wb[CHECKPOINT_SHEET], width=len(CHECKPOINT_COLUMNS), expected=len(wanted), label=CHECKPOINT_SHEET)
    for r, vcells, formulas in cells:
        vcells = list(vcells) + [None] * len(CHECKPOINT_COLUMNS)
        place = {k: f"“{CHECKPOINT_SHEET}”第{r}行 {KLETTER[k]}列({KHEADER[k]})" for k in KCOL}
        key = (_text(getattr(vcells[0], "value", None)), _text(getattr(vcells[KCOL["checkpoint"] - 1], "value", None)))
        on = _date_text(vcells[KCOL["date"] - 1], formulas.get(KCOL["date"]), place["date"], problems)
        note = _cell_text(vcells[KCOL["note"] - 1], formulas.get(KCOL["note"]), place["note"], problems)
        if not key[0]:
            if on or note:
                problems.append(f"“{CHECKPOINT_SHEET}”第{r}行:没有指标编码,无法识别是哪个节点。请勿插入行或改动隐藏列。")
            continue
        if key not in wanted:
            problems.append(f"“{CHECKPOINT_SHEET}”第{r}行:本单位本月没有“{key[1][:20]}”这一节点。请勿改动锁定列。")
            continue
        if key in seen:
            problems.append(f"“{CHECKPOINT_SHEET}”第{r}行:与第{seen[key]}行是同一节点,请删除重复行。")
            continue
        seen[key] = r
        date_key, note_key = wanted[key]
        form_data[f"{key[0]}-{date_key}"], form_data[f"{key[0]}-{note_key}"] = on, note
        where[f"{key[0]}-{date_key}"], where[f"{key[0]}-{note_key}"] = place["date"], place["note"]
