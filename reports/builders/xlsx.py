"""A Document's sheets as the Excel annex people can work with: numbers stored as
numbers with number formats (units in the headers), statuses as words on red, yellow and
green fills, an autofilter, a frozen header, landscape pages fitted to the width with the
header repeated, Chinese sheet names.

Text that Excel would read as a formula (= + - @ at the start) is kept text by the cell's
quotePrefix style: Excel shows it as typed, with no visible apostrophe."""

from __future__ import annotations

from copy import copy
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from reports.builders.blocks import Document
from reports.builders.gbt9704 import char_width
from reports.builders.typography import clean

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
STATUS_FILLS = {
    "未达标": PatternFill("solid", fgColor="F8CBAD"),
    "预警": PatternFill("solid", fgColor="FFE699"),
    "达标": PatternFill("solid", fgColor="C6EFCE"),
}
FORMULA_STARTS = ("=", "+", "-", "@")


def _safe_title(name: str) -> str:
    for ch in "[]:*?/\\":
        name = name.replace(ch, "")
    return clean(name)[:31] or "数据"


def _number(value):
    """Decimals as floats (Excel has no decimal type); everything else as it is."""
    if isinstance(value, Decimal):
        return float(value)
    return value


class _Styles:
    """Body cell styles made once per kind (fill, number format, formula guard) on a
    scratch cell, then copied to each cell as openpyxl's style index array: setting
    Border and Alignment objects cell by cell hashes them every time (seconds for a
    province annex of 40 000 cells)."""

    def __init__(self, ws):
        self.ws, self.made = ws, {}

    def apply(self, cell, *, fill: str | None = None, fmt: str | None = None, guard: bool = False) -> None:
        key = (fill, fmt, guard)
        style = self.made.get(key)
        if style is None:
            scratch = self.ws.cell(row=self.ws.max_row + 1000, column=1)  # never saved: removed below
            scratch.border = _BORDER
            scratch.alignment = Alignment(wrap_text=True, vertical="top")
            if fill:
                scratch.fill = STATUS_FILLS[fill]
            if fmt:
                scratch.number_format = fmt
            scratch.quotePrefix = guard
            style = self.made[key] = copy(scratch._style)
            del self.ws._cells[(scratch.row, scratch.column)]
        cell._style = copy(style)


def _write(cell, value, fmt: str | None, styles: _Styles) -> None:
    if isinstance(value, str):
        text = clean(value)
        cell.value = text
        guard = text.startswith(FORMULA_STARTS)
        if guard:
            cell.data_type = "s"  # openpyxl would store "=…" as a formula
        styles.apply(cell, fill=text if text in STATUS_FILLS else None, guard=guard)
        return
    cell.value = _number(value)
    numeric = fmt and isinstance(cell.value, int | float | datetime)
    styles.apply(cell, fmt=fmt if numeric else None)


def render_xlsx(document: Document, path: Path) -> None:
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in document.sheets or []:
        ws = wb.create_sheet(_safe_title(sheet.name))
        formats = sheet.formats or [None] * len(sheet.header)
        for col, title in enumerate(sheet.header, start=1):
            cell = ws.cell(row=1, column=col, value=clean(title))
            cell.font, cell.fill, cell.border = _HEADER_FONT, _HEADER_FILL, _BORDER
            cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        styles = _Styles(ws)
        for r, row in enumerate(sheet.rows, start=2):
            for col, value in enumerate(row, start=1):
                _write(ws.cell(row=r, column=col), value, formats[col - 1] if col - 1 < len(formats) else None, styles)
        last_col = get_column_letter(max(len(sheet.header), 1))
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{last_col}{max(len(sheet.rows) + 1, 1)}"
        ws.print_title_rows = "1:1"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        for i, title in enumerate(sheet.header, start=1):
            longest = max([char_width(str(title)), *(char_width(str(r[i - 1])) for r in sheet.rows[:500] if i - 1 < len(r))])
            ws.column_dimensions[get_column_letter(i)].width = min(max(8, longest * 2 + 2), 50)
    if not wb.sheetnames:
        wb.create_sheet("说明").append(["本期无数据"])
    wb.properties.title = clean(document.title)
    wb.save(str(path))
