"""A table of the Word file: fixed column widths from compose.py, the PDF's cell lines,
the header row repeated on every page, rows never split (split out of docx.py unchanged)."""

from __future__ import annotations

from copy import deepcopy

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml.ns import qn

from reports.builders.compose import (
    CELL_PAD_PT,
    TEXT_WIDTH_PT,
    cell_lines,
    table_widths,
)
from reports.builders.docx_style import (
    BODY_FONT,
    H1_FONT,
    SIZE_TABLE,
    _el,
    _fill,
    _text_el,
    set_east_asian_font,
)
from reports.builders.typography import clean

_TBL_PR_ORDER = [
    "tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize", "tblW", "jc",
    "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook", "tblCaption", "tblDescription",
]  # fmt: skip


def _schema_order(tbl_pr) -> None:
    """w:tblPr's children in the schema's order (CT_TblPr is a sequence): Word refuses a
    file whose table properties are out of order, where LibreOffice reads it anyway."""
    rank = {qn(f"w:{name}"): i for i, name in enumerate(_TBL_PR_ORDER)}
    children = sorted(tbl_pr, key=lambda el: rank.get(el.tag, len(rank)))
    for el in children:
        tbl_pr.remove(el)
        tbl_pr.append(el)


def _table(
    doc, header: list[str], rows: list[list[str]], widths: list[int] | None = None, *, total: float = TEXT_WIDTH_PT
) -> None:
    points = table_widths(header, rows, widths, total=total)
    twips = [round(w * 20) for w in points]
    total_twips = round(total * 20)
    twips[-1] += total_twips - sum(twips)
    table = doc.add_table(rows=2, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    tbl = table._tbl
    tbl_pr = tbl.tblPr
    for old in tbl_pr.findall(qn("w:tblW")):
        tbl_pr.remove(old)
    tbl_pr.append(_el("w:tblW", w=total_twips, type="dxa"))
    tbl_pr.append(_el("w:tblLayout", type="fixed"))  # widths as given, in every program
    margins = _el("w:tblCellMar")  # 2 pt above and below the text, as in the PDF: else the
    margins.append(_el("w:top", w=40, type="dxa"))  # last line of a cell sits on its rule
    margins.append(_el("w:bottom", w=40, type="dxa"))  # in LibreOffice
    pad = round(CELL_PAD_PT * 20)  # left and right as the PDF's, the width compose.py counts
    margins.append(_el("w:left", w=pad, type="dxa"))
    margins.append(_el("w:right", w=pad, type="dxa"))
    tbl_pr.append(margins)
    _schema_order(tbl_pr)
    grid = tbl.tblGrid
    for col, w in zip(grid.findall(qn("w:gridCol")), twips, strict=True):
        col.set(qn("w:w"), str(w))
    for cell, text, w in zip(table.rows[0].cells, header, points, strict=True):
        _cell(cell, text, H1_FONT, w)
    head_pr = table.rows[0]._tr.get_or_add_trPr()
    head_pr.append(_el("w:cantSplit"))
    head_pr.append(_el("w:tblHeader"))  # repeated on every page
    # python-docx's add_row is slow on long tables: fill one model row, then copy its XML.
    model = table.rows[1]
    for cell in model.cells:
        _cell(cell, "x", BODY_FONT, 0)  # the copies get their own text
    model._tr.get_or_add_trPr().append(_el("w:cantSplit"))  # a row never splits across pages
    for row in table.rows:
        for cell, w in zip(row.cells, twips, strict=True):
            tc_pr = cell._tc.get_or_add_tcPr()
            for old in tc_pr.findall(qn("w:tcW")):
                tc_pr.remove(old)
            tc_pr.insert(0, _el("w:tcW", w=w, type="dxa"))
    model_tr = model._tr
    for row in rows:
        tr = deepcopy(model_tr)
        for t, text, w in zip(list(tr.iter(qn("w:t"))), row, points, strict=True):
            parts = cell_lines(clean(text), w)  # the PDF's lines: a number never splits
            t.text = parts[0]
            t.set(qn("xml:space"), "preserve")
            at = t
            for part in parts[1:]:
                br, nt = _el("w:br"), _text_el(part)
                at.addnext(br)
                br.addnext(nt)
                at = nt
        tbl.append(tr)
    tbl.remove(model_tr)
    doc.add_paragraph(style="公文表格")  # Word runs a following table into this one otherwise


def _cell(cell, text: str, font: str, width: float) -> None:
    p = cell.paragraphs[0]
    p.style = "公文表格"
    if not width:
        run = p.add_run(clean(text))
        run.font.size = SIZE_TABLE
        set_east_asian_font(run._r, font)
        return
    _fill(p, [(text, font)], cell_lines(clean(text), width), size=SIZE_TABLE)
