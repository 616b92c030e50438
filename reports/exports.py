"""Table exports the office can use in Excel and WPS: plain text (links and badges become
their words), figures as numeric cells with a number format (percentages as
percentages), times as dates, and a CSV with a UTF-8 byte-order mark (without it Excel
on Windows reads the Chinese as mojibake). Text that a spreadsheet would run as a
formula is escaped. Built on django-tables2's export: a table's `value_<column>` gives a
cell's value, which may be a `Number`, a datetime or text (HTML is stripped)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from html import unescape

from django.utils import timezone
from django.utils.html import strip_tags
from django_tables2.export import TableExport
from openpyxl import Workbook
from openpyxl.styles import Font

from indicators.rules.types import format_figure

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value):
    """Text that a spreadsheet would run as a formula (=, +, -, @ …) gets a leading
    apostrophe; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


@dataclass(frozen=True)
class Number:
    """A figure for a spreadsheet: `value` as people read it (a percentage in percent),
    shown with the decimals of the one figure format (format_figure)."""

    value: Decimal
    percent: bool = False
    thresholds: tuple = ()

    @property
    def text(self) -> str:
        return format_figure(self.value, self.thresholds)

    @property
    def places(self) -> int:
        return len(self.text.partition(".")[2])

    @property
    def number_format(self) -> str:
        digits = "0" + ("." + "0" * self.places if self.places else "")
        return digits + "%" if self.percent else digits

    @property
    def cell_value(self) -> float | int:
        v = Decimal(self.text) / 100 if self.percent else Decimal(self.text)
        return int(v) if v == v.to_integral_value() and not self.percent else float(v)


def plain(value):
    """A cell's value as a spreadsheet should hold it."""
    if value is None:
        return ""
    if isinstance(value, Number):
        return value
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, (date, int, float, Decimal)) and not isinstance(value, bool):
        return value
    return escape_cell(unescape(strip_tags(str(value))).strip())


def table_cells(table, exclude_columns=()) -> tuple[list[str], list[list]]:
    """The header and rows of `table` as plain values, export columns only."""
    columns = [c for c in table.columns.iterall() if c.name not in (exclude_columns or ()) and not c.column.exclude_from_export]
    header = [str(c.header) for c in columns]
    rows = [[plain(row.get_cell_value(c.name)) for c in columns] for row in table.rows]
    return header, rows


class PlainTableExport(TableExport):
    """xlsx and csv exports of a table, typed and without HTML."""

    def table_to_dataset(self, table, exclude_columns, dataset_kwargs=None):
        self.title = (dataset_kwargs or {}).get("title", "数据")
        self.header, self.rows = table_cells(table, exclude_columns)
        return None

    def export(self):
        return self.xlsx() if self.format == self.XLSX else self.csv()

    def csv(self) -> str:
        out = io.StringIO()
        out.write("\ufeff")
        writer = csv.writer(out)
        writer.writerow(self.header)
        for row in self.rows:
            writer.writerow([_csv_text(v) for v in row])
        return out.getvalue()

    def xlsx(self) -> bytes:
        book = Workbook()
        sheet = book.active
        sheet.title = self.title
        sheet.append(self.header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for i, row in enumerate(self.rows, start=2):
            for j, value in enumerate(row, start=1):
                cell = sheet.cell(row=i, column=j)
                if isinstance(value, Number):
                    cell.value, cell.number_format = value.cell_value, value.number_format
                elif isinstance(value, datetime):
                    cell.value, cell.number_format = value, "yyyy-mm-dd hh:mm"
                elif isinstance(value, date):
                    cell.value, cell.number_format = value, "yyyy-mm-dd"
                else:
                    cell.value = value
        for j, title in enumerate(self.header, start=1):
            width = max([len(str(title)) * 2] + [len(_csv_text(r[j - 1])) + 2 for r in self.rows[:200]])
            sheet.column_dimensions[sheet.cell(row=1, column=j).column_letter].width = min(max(width, 8), 60)
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()


def _csv_text(value) -> str:
    if isinstance(value, Number):
        return value.text + ("%" if value.percent else "")
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
