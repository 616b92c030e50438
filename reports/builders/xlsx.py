"""A Document's sheets as the Excel annex people can work with and cite: each sheet opens
with its 附件N label, its title and its period (as the document's 附件说明 lists it),
then numbers stored as numbers with number formats (units in the headers), statuses as
words on red, yellow and green fills, an autofilter, a frozen header; printed landscape at
a scale that keeps every cell at 9 pt or more (a table wider than the page continues on
the next page, its first columns and its header repeated), Chinese sheet names.

Text that Excel would read as a formula (= + - @ at the start) is kept text by the cell's
quotePrefix style: Excel shows it as typed, with no visible apostrophe."""

from __future__ import annotations

import math
from copy import copy
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from reports.builders.blocks import Document, annex_numbers, cn_number, period_text
from reports.builders.gbt9704 import char_width
from reports.builders.typography import clean

CELL_PT = 10.5  # 五号
MIN_PRINT_PT = 9.0  # no cell smaller on paper
MIN_SCALE = math.ceil(100 * MIN_PRINT_PT / CELL_PT)  # 86 %
PRINTABLE_WIDTH = 140  # column-width units across landscape A4 inside Excel's default margins
TITLE_ROWS = 3  # 附件N, title, period; the header is the fourth row
_HEADER_FONT = Font(bold=True, size=CELL_PT)
_BODY_FONT = Font(size=CELL_PT)
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
            scratch.font = _BODY_FONT
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


def _title_block(ws, ncols: int, label: str, title: str, period: str) -> None:
    """附件N (黑体, top left), the title (centred, 小标宋-like bold) and the period."""
    last = get_column_letter(max(ncols, 1))
    ws["A1"] = label
    ws["A1"].font = Font(name="黑体", size=14)
    for row, text, font in ((2, title, Font(name="方正小标宋简体", size=16, bold=True)), (3, period, Font(size=CELL_PT))):
        ws.merge_cells(f"A{row}:{last}{row}")
        cell = ws.cell(row=row, column=1, value=text)
        cell.font = font
        cell.alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[2].height = 28


def _print_setup(ws, widths: list[float], header_row: int) -> None:
    """Landscape A4 at the largest scale up to 100 % that fits the width, never below
    MIN_SCALE: a wider table continues on further pages with its first columns repeated."""
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = False
    total = sum(widths) or 1
    ws.page_setup.scale = max(MIN_SCALE, min(100, int(100 * PRINTABLE_WIDTH / total)))
    if total * ws.page_setup.scale / 100 > PRINTABLE_WIDTH and len(widths) > 4:
        ws.print_title_cols = f"A:{get_column_letter(min(3, len(widths)))}"


def render_xlsx(document: Document, path: Path) -> None:
    wb = Workbook()
    wb.remove(wb.active)
    numbers = annex_numbers(document.sheets)
    period = period_text(document.kind, document.key)
    groups: dict[int, int] = {}
    for sheet in document.sheets or []:
        ws = wb.create_sheet(_safe_title(sheet.name))
        n, title = numbers[sheet.name]
        group = sheet.name.partition("-")[2]
        if group:  # one group of the annex's table, headed as on the annex's page: （一）县市区
            groups[n] = groups.get(n, 0) + 1
            group = f"（{cn_number(groups[n])}）{group}　"
        _title_block(ws, len(sheet.header), f"附件{n}", title, f"{group}（{period}）")
        top = TITLE_ROWS + 1
        formats = sheet.formats or [None] * len(sheet.header)
        for col, head in enumerate(sheet.header, start=1):
            cell = ws.cell(row=top, column=col, value=clean(head))
            cell.font, cell.fill, cell.border = _HEADER_FONT, _HEADER_FILL, _BORDER
            cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        styles = _Styles(ws)
        for r, row in enumerate(sheet.rows, start=top + 1):
            for col, value in enumerate(row, start=1):
                _write(ws.cell(row=r, column=col), value, formats[col - 1] if col - 1 < len(formats) else None, styles)
        last_col = get_column_letter(max(len(sheet.header), 1))
        ws.freeze_panes = f"A{top + 1}"
        ws.auto_filter.ref = f"A{top}:{last_col}{len(sheet.rows) + top}"
        widths = []
        for i, head in enumerate(sheet.header, start=1):
            longest = max([char_width(str(head)), *(char_width(str(r[i - 1])) for r in sheet.rows[:500] if i - 1 < len(r))])
            widths.append(min(max(8, longest * 2 + 2), 30))  # long texts wrap
            ws.column_dimensions[get_column_letter(i)].width = widths[-1]
        _print_setup(ws, widths, top)
        for i, note in enumerate(sheet.notes):  # 注 under the table after an empty row, as on the annex's page
            ws.cell(row=top + len(sheet.rows) + 2 + i, column=1, value=clean(note)).font = _BODY_FONT
    if not wb.sheetnames:
        wb.create_sheet("说明").append(["本期无数据"])
    wb.properties.title = clean(document.title)
    wb.save(str(path))
