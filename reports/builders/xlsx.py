"""A Document's sheets as the Excel annex (one sheet per table, header frozen)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from reports.builders.blocks import Document

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def _safe_title(name: str) -> str:
    for ch in "[]:*?/\\":
        name = name.replace(ch, "")
    return name[:31]


def render_xlsx(document: Document, path: Path) -> None:
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in document.sheets or []:
        ws = wb.create_sheet(_safe_title(sheet.name))
        ws.append(sheet.header)
        for cell in ws[1]:
            cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        for row in sheet.rows:
            # Cells beginning with "=" would be taken as formulas by Excel: keep them text.
            ws.append([f"'{v}" if isinstance(v, str) and v.startswith("=") else v for v in row])
        ws.freeze_panes = "A2"
        for i, title in enumerate(sheet.header, start=1):
            longest = max([len(str(title)), *(len(str(r[i - 1])) for r in sheet.rows if i - 1 < len(r))])
            ws.column_dimensions[get_column_letter(i)].width = min(max(8, longest * 2 + 2), 60)
            for cell in ws[get_column_letter(i)][1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    if not wb.sheetnames:
        wb.create_sheet("说明").append(["本期无数据"])
    wb.properties.title = document.title
    wb.save(str(path))
