"""The annexes as pages of the document (GB/T 9704 8: 附件另面编排, 在版记之前): after the
署名, each annex opens a page with its label (附件1, 黑体, 顶格), its title and its period,
then its tables, one per sheet of the Excel file (the sheets of one table by group under
a （一）县市区 heading), their header repeated on each page, and the 注 of a table under it.
A table too wide for the portrait text block gets landscape pages.

`annex_blocks` turns the sheets into blocks once, at the build: they are stored with the
body's (so an issued version renders its annexes again, and the web page shows them),
numbers formatted as the Excel file shows them. `document_annexes` reads them back for
the Word file and the PDF alike (column widths and cell lines from compose.py), so both
set the same text on the same pages; the Excel file keeps the same labels and titles
(blocks.annex_numbers). Plain functions, no Django."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from reports.builders.blocks import Block, Document, annex_numbers, cn_number, num, period_text
from reports.builders.compose import CELL_ROOM_PT, TEXT_WIDTH_PT, min_width, table_widths
from reports.builders.titles import TITLE_CHARS, title_lines
from reports.builders.typography import clean, prose

# Landscape A4 (16838 × 11906 twips): the text block 237 mm wide and 15 lines of the
# 28.95 pt grid high (LibreOffice centres a grid that leaves a fraction of a line over,
# which would move every landscape page's text down against the PDF's).
LANDSCAPE_MARGINS_TWIPS = (1587, 1701, 11906 - 1587 - 15 * 579, 1701)  # top, right, bottom, left
LANDSCAPE_WIDTH_PT = (16838 - 2 * 1701) / 20
PORTRAIT_COLUMNS = 7  # more columns than this, or numbers that cannot fit: landscape


@dataclass
class AnnexTable:
    heading: str  # （一）县市区 for one group of a grouped table; else empty
    header: list[str]
    rows: list[list[str]]
    notes: list[str] = field(default_factory=list)  # 注 under the table


@dataclass
class Annex:
    label: str  # 附件1
    title: str
    period: str  # （2022年6月）
    landscape: bool
    tables: list[AnnexTable] = field(default_factory=list)

    @property
    def width_pt(self) -> float:
        return LANDSCAPE_WIDTH_PT if self.landscape else TEXT_WIDTH_PT

    def widths(self, table: AnnexTable) -> list[float]:
        return table_widths(table.header, table.rows, total=self.width_pt)


def cell_text(value, fmt: str | None = None) -> str:
    """A sheet's cell as printed: a number as the Excel file's format shows it ("0.00" two
    decimals at most, "0.0" one, "0" whole), a time to the minute, text as it is."""
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float | Decimal):
        return num(Decimal(str(value)), {"0": 0, "0.0": 1}.get(fmt or "", 2))
    return prose(clean(value))


def _landscape(header: list[str], rows: list[list[str]]) -> bool:
    if len(header) > PORTRAIT_COLUMNS:
        return True
    floor = 0.0
    for i, h in enumerate(header):
        floor += max(min_width(c) for c in [h, *(r[i] for r in rows[:300] if i < len(r))]) + CELL_ROOM_PT
    return floor > TEXT_WIDTH_PT


def annex_blocks(document: Document) -> list[Block]:
    """The Document's sheets as the blocks of its annex pages, numbered as the 附件说明 and
    the Excel file number them: per annex an "annex" block, then per sheet its heading
    (a group's, as h2), its table and its 注 (p)."""
    numbers = annex_numbers(document.sheets)
    period = f"（{period_text(document.kind, document.key)}）"
    annexes: dict[int, Annex] = {}
    for sheet in document.sheets:
        n, title = numbers[sheet.name]
        group = sheet.name.partition("-")[2]
        formats = sheet.formats or []
        header = [prose(clean(h)) for h in sheet.header]
        shown = sheet.rows if sheet.printed is None else [sheet.rows[i] for i in sheet.printed]
        rows = [[cell_text(v, formats[i] if i < len(formats) else None) for i, v in enumerate(row)] for row in shown]
        annex = annexes.get(n)
        if annex is None:
            annex = annexes[n] = Annex(f"附件{n}", title, period, False)
        heading = f"（{cn_number(len(annex.tables) + 1)}）{group}" if group else ""
        notes = [*sheet.notes, *([sheet.printed_note] if sheet.printed_note else [])]
        annex.tables.append(AnnexTable(heading, header, rows, [prose(x) for x in notes]))
        annex.landscape = annex.landscape or _landscape(header, rows)
    out = []
    for n in sorted(annexes):
        annex = annexes[n]
        out.append(Block("annex", annex.title, lead=annex.label, period=annex.period, landscape=annex.landscape))
        for t in annex.tables:
            if t.heading:
                out.append(Block("h2", t.heading))
            if t.rows:  # a table whose printed rows are none is said by its 注 alone
                out.append(Block("table", header=t.header, rows=t.rows))
            out += [Block("p", note) for note in t.notes]
    return out


def add_annexes(document: Document) -> None:
    """The annex pages after the body (once the builder has its sheets)."""
    document.blocks += annex_blocks(document)


def body_blocks(document: Document) -> list[Block]:
    """The blocks of the body: those before the first annex."""
    out = []
    for b in document.blocks:
        if b.kind == "annex":
            break
        out.append(b)
    return out


def document_annexes(document: Document) -> list[Annex]:
    """The annex pages stored after the body, read back for the renderers."""
    out: list[Annex] = []
    for b in document.blocks[len(body_blocks(document)) :]:
        if b.kind == "annex":
            out.append(Annex(b.lead, b.text, b.period, b.landscape))
        elif b.kind == "h2":
            out[-1].tables.append(AnnexTable(b.text, [], []))
        elif b.kind == "table":
            last = out[-1].tables[-1] if out[-1].tables else None
            if last is not None and not last.header:  # under its heading
                last.header, last.rows = b.header or [], b.rows or []
            else:
                out[-1].tables.append(AnnexTable("", b.header or [], b.rows or []))
        elif out[-1].tables:
            out[-1].tables[-1].notes.append(b.text)
        else:  # the 注 of a table with no printed rows
            out[-1].tables.append(AnnexTable("", [], [], [b.text]))
    return out


def annex_title_lines(annex: Annex) -> list[str]:
    """The annex's title broken between words (titles.title_lines), on its page's measure."""
    return title_lines(annex.title, max_chars=TITLE_CHARS * annex.width_pt / TEXT_WIDTH_PT)
