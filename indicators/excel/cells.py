"""Writing the entry template's sheets: a cell's value, a sheet's head (title, note and
header row) and its protection. Shared by the main, task and checkpoint sheets."""

from __future__ import annotations

from openpyxl.styles import Font, PatternFill

from actions.text import clean_text


def put(cell, value) -> None:
    """Write a value into a cell: text without control characters (openpyxl refuses
    them, and a note pasted from Word may hold \\x0b), and as text even when it starts
    with "=" ("= 100%" is a target in words, a note is never a formula)."""
    if isinstance(value, str):
        value = clean_text(value)
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"


def protect(ws) -> None:
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # let users widen columns
    ws.protection.formatRows = False


def _header_row(ws, columns, col, letter) -> None:
    """Row 3 of a template sheet: bold headers with widths, the code column hidden, the
    labels frozen beside the inputs."""
    for key, header, width, _ in columns:
        c = ws.cell(row=3, column=col[key], value=header)
        c.font = Font(bold=True)
        c.fill = PatternFill("solid", fgColor="D0D7DE")
        ws.column_dimensions[letter[key]].width = width
    ws.column_dimensions[letter["code"]].hidden = True
    ws.freeze_panes = "D4"


def sheet_head(ws, *, title: str, note: str, columns, col, letter) -> None:
    """Rows 1–3 of a template sheet: its title, a note across the table, the header row."""
    put(ws["A1"], title)
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = note
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(columns))
    _header_row(ws, columns, col, letter)
