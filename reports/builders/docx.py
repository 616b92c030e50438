"""A Document as a Word file in the national format for official documents (GB/T
9704-2012): A4, margins 37/35/28/26 mm (text block 156 × 225 mm), 22 lines of 28
characters, title in 方正小标宋简体 2号, body in 仿宋_GB2312 3号, headings 一、 in 黑体,
(一) in 楷体_GB2312, 1. in 仿宋, page numbers "— 1 —" in 4号 宋体, odd pages right and
even pages left.

Word takes the Chinese font from w:eastAsia and lets theme fonts override explicit ones,
so every style and run gets ascii/hAnsi/eastAsia set and its theme attributes removed
(python-docx's `font.name` alone writes only the Latin font)."""

from __future__ import annotations

from copy import deepcopy
from pathlib import Path

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor, Twips

from reports.builders.annexes import (
    LANDSCAPE_MARGINS_TWIPS,
    LANDSCAPE_WIDTH_PT,
    Annex,
    annex_title_lines,
    body_blocks,
    document_annexes,
)
from reports.builders.blocks import Document, Head, cn_date
from reports.builders.compose import (
    BODY_PT,
    BODY_SPACING_PT,
    CC_LABEL,
    CELL_PAD_PT,
    TEXT_WIDTH_PT,
    cc_lines,
    cell_lines,
    lines,
    table_widths,
)
from reports.builders.gbt9704 import ISSUER_LEADING, issuer_mark_size, issuer_top_pt, signature_indents
from reports.builders.titles import title_lines
from reports.builders.typography import clean

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
H1_FONT = "黑体"
H2_FONT = "楷体_GB2312"
PAGE_FONT = "宋体"
LATIN_FONT = "Times New Roman"

SIZE_2 = Pt(22)  # 2号
SIZE_3 = Pt(16)  # 3号
SIZE_4 = Pt(14)  # 4号
SIZE_TABLE = Pt(10.5)  # 5号: tables of ten columns must fit 156 mm
TABLE_PITCH = Pt(13.5)
RED = RGBColor(0xE6, 0x00, 0x12)  # the red of 发文机关标志 and the 版头 rule
TEXT_WIDTH_TWIPS = 8844  # 156 mm
LEFT_MARGIN_TWIPS = 1587  # 28 mm
# 抄送： is three 4号 characters, each 0.25 pt closer (BODY_SPACING): its hanging indent.
CC_HANG = Pt(3 * (14 + BODY_SPACING_PT))
CELL_MARGIN_TWIPS = 108  # Word's default left and right cell margin (0.19 cm)

# 28 characters a line (GB/T 9704 5.2.2): 156 mm holds 27.6 characters of 16 pt, so each
# is set a little closer (in twentieths of a point; the PDF's letter-spacing is the same).
BODY_SPACING = round(BODY_SPACING_PT * 20)
# Faces a machine without the official ones uses instead (w:altName in the font table):
# Word and WPS take the alternative rather than their own default face.
FONT_FALLBACKS = {"仿宋_GB2312": "仿宋", "方正小标宋简体": "宋体", "楷体_GB2312": "楷体", "黑体": "SimHei"}

# 225 mm / 22 lines, in Word's units.
LINE_PITCH_TWIPS = 579  # 28.95 pt
LINE_PITCH = Pt(28.95)
_THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")

STYLES = {
    # name: (east asian font, size, bold, outline level, alignment, first-line indent)
    "公文标题": (TITLE_FONT, SIZE_2, False, None, WD_ALIGN_PARAGRAPH.CENTER, None),
    "公文正文": (BODY_FONT, SIZE_3, False, None, WD_ALIGN_PARAGRAPH.JUSTIFY, 2),
    "一级标题": (H1_FONT, SIZE_3, False, 0, WD_ALIGN_PARAGRAPH.JUSTIFY, 2),
    "二级标题": (H2_FONT, SIZE_3, False, 1, WD_ALIGN_PARAGRAPH.JUSTIFY, 2),
    "三级标题": (BODY_FONT, SIZE_3, False, 2, WD_ALIGN_PARAGRAPH.JUSTIFY, 2),
    "公文表格": (BODY_FONT, SIZE_TABLE, False, None, WD_ALIGN_PARAGRAPH.LEFT, None),
    "公文页码": (PAGE_FONT, SIZE_4, False, None, None, None),
}
BLOCK_STYLE = {"title": "公文标题", "h1": "一级标题", "h2": "二级标题", "h3": "三级标题", "p": "公文正文", "note": "公文正文"}


def set_east_asian_font(rpr_parent, east_asia: str, latin: str = LATIN_FONT) -> None:
    """Set all four font slots on an element holding (or able to hold) a w:rPr, and drop
    the theme attributes that would otherwise win."""
    rfonts = rpr_parent.get_or_add_rPr().get_or_add_rFonts()  # keeps the schema's element order
    for attr in _THEME_ATTRS:
        rfonts.attrib.pop(qn(attr), None)
    rfonts.set(qn("w:ascii"), latin)
    rfonts.set(qn("w:hAnsi"), latin)
    rfonts.set(qn("w:cs"), latin)
    rfonts.set(qn("w:eastAsia"), east_asia)


def _doc_defaults(doc) -> None:
    """The document defaults carry theme fonts in python-docx's template: replace them."""
    rpr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    rfonts = rpr.get_or_add_rFonts()
    for attr in _THEME_ATTRS:
        rfonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        rfonts.set(qn(attr), LATIN_FONT)
    rfonts.set(qn("w:eastAsia"), BODY_FONT)
    # The character grid's pitch is counted from the default size: 3号 (16 pt), else
    # LibreOffice and WPS take python-docx's 11 pt and set every character two cells wide.
    for tag in ("w:sz", "w:szCs"):
        el = rpr.find(qn(tag))
        if el is None:
            el = OxmlElement(tag)
            rpr.append(el)
        el.set(qn("w:val"), "32")
    lang = rpr.find(qn("w:lang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")


def _styles(doc) -> None:
    _doc_defaults(doc)
    normal = doc.styles["Normal"]
    normal.font.size = SIZE_3
    set_east_asian_font(normal.element, BODY_FONT)
    # Word's default quarter-em between Chinese and Latin text or digits is kept (no
    # w:autoSpaceDE="0"): LibreOffice ignores that switch and sets the space always, so
    # only with it on do Word, WPS and LibreOffice agree; the PDF sets the same space.
    # Widow and orphan control (two lines), as the PDF's CSS default: else Word and
    # LibreOffice leave one line of a paragraph on a page where the PDF moves two.
    normal.element.get_or_add_pPr().insert(0, _el("w:widowControl"))
    _letter_spacing(normal.element, BODY_SPACING)
    for name, (font, size, bold, outline, align, indent_chars) in STYLES.items():
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.quick_style = True
        style.font.size = size
        style.font.bold = bold
        set_east_asian_font(style.element, font)
        if name in ("公文标题", "公文表格", "公文页码"):  # off the 28-character measure
            _letter_spacing(style.element, 0)
        pf = style.paragraph_format
        if align is not None:
            pf.alignment = align
        pf.space_before = pf.space_after = Pt(0)
        if name == "公文标题":  # 2号 characters are wider than the grid's cell: keep them off it
            snap = OxmlElement("w:snapToGrid")
            snap.set(qn("w:val"), "0")
            style.element.get_or_add_pPr().append(snap)
        if name == "公文表格":
            # An exact pitch, the PDF's too (templates/reports/pdf/report.html): "single"
            # depends on each program's reading of the font's metrics.
            pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            pf.line_spacing = TABLE_PITCH
            # Off the document grid: else Word, WPS and LibreOffice each snap table text
            # to the 28.95 pt line pitch differently (a table ran to 150 pages in LibreOffice).
            snap = OxmlElement("w:snapToGrid")
            snap.set(qn("w:val"), "0")
            style.element.get_or_add_pPr().append(snap)
        else:
            pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            pf.line_spacing = LINE_PITCH
        if indent_chars:
            pf.first_line_indent = size * indent_chars
        ppr = style.element.get_or_add_pPr()
        if outline is not None:
            pf.keep_with_next = True  # a heading never ends a page
            lvl = OxmlElement("w:outlineLvl")
            lvl.set(qn("w:val"), str(outline))
            ppr.append(lvl)


def _letter_spacing(element, twentieths: int) -> None:
    """w:spacing in a style's w:rPr, before w:sz (CT_RPr is a sequence)."""
    rpr = element.get_or_add_rPr()
    for old in rpr.findall(qn("w:spacing")):
        rpr.remove(old)
    el = _el("w:spacing", val=twentieths)
    anchor = next((c for c in rpr if c.tag in (qn("w:w"), qn("w:kern"), qn("w:position"), qn("w:sz"), qn("w:szCs"))), None)
    if anchor is not None:
        anchor.addprevious(el)
    else:
        rpr.append(el)


def _font_table(doc) -> None:
    """The official Chinese faces in the font table, each with its alternative and the
    GB 2312 character set (86), so that a machine without them falls back to a 仿宋 /
    宋体 / 楷体 face rather than to its default Latin-first face."""
    from lxml import etree

    part = next(r.target_part for r in doc.part.rels.values() if r.reltype.endswith("/fontTable"))
    root = etree.fromstring(part.blob)
    for name, alt in FONT_FALLBACKS.items():
        font = _el("w:font", name=name)
        font.append(_el("w:altName", val=alt))
        font.append(_el("w:charset", val="86"))
        font.append(_el("w:family", val="modern" if name != "方正小标宋简体" else "roman"))
        font.append(_el("w:pitch", val="variable"))
        root.append(font)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _page_setup(doc) -> None:
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance = Mm(15)
    section.footer_distance = Mm(23)  # the number sits about 7 mm under the text block
    sect_pr = section._sectPr
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect_pr.append(grid)
    # A line grid only: 22 lines of 28.95 pt. A character grid (linesAndChars) with the
    # 15.79 pt pitch of 28 characters makes LibreOffice give each 16 pt character two
    # cells (13 characters a line); without it every program sets 3号 at its own width.
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)


def _run(paragraph, text: str, font: str = PAGE_FONT, size=SIZE_4):
    run = paragraph.add_run(text)
    run.font.size = size
    set_east_asian_font(run._r, font, latin=font)
    return run


def _field_char(paragraph, kind: str) -> None:
    run = _run(paragraph, "")
    fld = OxmlElement("w:fldChar")
    fld.set(qn("w:fldCharType"), kind)
    run._r.append(fld)


def _page_number(paragraph, align) -> None:
    """ "— 1 —": a PAGE field between two em dashes, one character in from the edge."""
    paragraph.style = "公文页码"
    paragraph.alignment = align
    pf = paragraph.paragraph_format
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        pf.right_indent = SIZE_4
    else:
        pf.left_indent = SIZE_4
    _run(paragraph, "— ")
    _field_char(paragraph, "begin")
    instr_run = _run(paragraph, "")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    instr_run._r.append(instr)
    _field_char(paragraph, "separate")
    _run(paragraph, "1")
    _field_char(paragraph, "end")
    _run(paragraph, " —")


def _paragraph(doc, style: str, text: str, *, font: str | None = None, align=None):
    p = doc.add_paragraph(style=style)
    run = p.add_run(clean(text))
    # Runs repeat the style's fonts: some Word versions and WPS ignore style eastAsia.
    set_east_asian_font(run._r, font or STYLES[style][0])
    if align is not None:
        p.alignment = align
    return p


def _composed(doc, style: str, segments: list[tuple[str, str]], *, indent_chars: float = 2, width: float = TEXT_WIDTH_PT):
    """A paragraph of the text block set on the lines compose.py gives it (the PDF's
    lines): segments of (text, face), a line break at the end of each line."""
    p = doc.add_paragraph(style=style)
    if not indent_chars:
        p.paragraph_format.first_line_indent = 0
    text = "".join(clean(t) for t, _ in segments)
    _fill(p, segments, lines(text, width=width, indent=indent_chars * BODY_PT))
    return p


def _fill(p, segments: list[tuple[str, str]], line_list: list[str], size=None) -> None:
    """Runs of `segments` with a w:br where each of `line_list` ends."""
    ends, pos = set(), 0
    for line in line_list[:-1]:
        pos += len(line)
        ends.add(pos)
    pos = 0
    for text, face in segments:
        text = clean(text)
        run = p.add_run()
        if size is not None:
            run.font.size = size
        set_east_asian_font(run._r, face)
        buf = ""
        for ch in text:
            buf += ch
            pos += 1
            if pos in ends:
                run._r.append(_text_el(buf))
                run._r.append(_el("w:br"))
                buf = ""
        if buf:
            run._r.append(_text_el(buf))


def _text_el(text: str):
    t = OxmlElement("w:t")
    t.text = text
    t.set(qn("xml:space"), "preserve")
    return t


def _empty(doc):
    return doc.add_paragraph(style="公文正文")


def _el(tag: str, **attrs) -> OxmlElement:
    el = OxmlElement(tag)
    for k, v in attrs.items():
        el.set(qn(f"w:{k}"), str(v))
    return el


def _border(ppr, side: str, *, sz: int, color: str = "000000", space: int = 1) -> None:
    bdr = ppr.find(qn("w:pBdr"))
    if bdr is None:
        bdr = _el("w:pBdr")
        ppr.append(bdr)
    bdr.append(_el(f"w:{side}", val="single", sz=sz, space=space, color=color))


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


def _masthead(doc, head: Head) -> None:
    """版头: (送审稿 on a draft), the red 发文机关标志 35 mm under the top of the text block,
    two empty lines, the 发文字号, the red rule 4 mm under it, and two empty lines before
    the title (标题编排于红色分隔线下空二行位置, GB/T 9704 7.3.3)."""
    size = issuer_mark_size(head.issuer)
    if head.draft:
        mark = _paragraph(doc, "公文正文", "送审稿", font=H1_FONT, align=WD_ALIGN_PARAGRAPH.RIGHT)
        mark.paragraph_format.first_line_indent = 0
    p = doc.add_paragraph(style="公文标题")
    p.paragraph_format.space_before = Pt(issuer_top_pt(head))
    run = p.add_run(clean(head.issuer))
    run.font.size = Pt(size)
    run.font.color.rgb = RED
    set_east_asian_font(run._r, TITLE_FONT)
    pf = p.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(size * ISSUER_LEADING)
    _empty(doc)
    _empty(doc)
    number = _paragraph(doc, "公文正文", head.number_text, align=WD_ALIGN_PARAGRAPH.CENTER)
    number.paragraph_format.first_line_indent = 0
    _border(number._p.get_or_add_pPr(), "bottom", sz=12, color="E60012", space=11)  # 1.5 pt, 4 mm under
    _empty(doc)
    _empty(doc)


def _annexes(doc, head: Head) -> None:
    """附件说明: one empty line under the body, 左空二字 "附件：", one numbered line per annex."""
    if not head.annexes:
        return
    _empty(doc)
    for i, name in enumerate(head.annexes, start=1):
        number = f"{i}．" if len(head.annexes) > 1 else ""
        p = _paragraph(doc, "公文正文", ("附件：" if i == 1 else "") + f"{number}{name}")
        if i > 1:
            p.paragraph_format.first_line_indent = 0
            p.paragraph_format.left_indent = SIZE_3 * 5  # under the first annex's name
        p.paragraph_format.keep_with_next = i < len(head.annexes)  # the list stays together


def _title(doc, text: str) -> None:
    p = doc.add_paragraph(style="公文标题")
    for i, line in enumerate(title_lines(clean(text))):
        run = p.add_run(line)
        set_east_asian_font(run._r, TITLE_FONT)
        if i:
            run._r.insert(0, _el("w:br"))


def _signature(doc, head: Head) -> None:
    date_text = cn_date(head.date)
    signer_right, date_right = signature_indents(head.signer, date_text, sealed=head.sealed)
    # The empty lines above the 署名 keep with it too: else the chain from the closing
    # words (特此通知, kept with what follows) to the 署名 breaks there.
    _empty(doc).paragraph_format.keep_with_next = True
    if head.sealed:
        _empty(doc).paragraph_format.keep_with_next = True  # room for the seal, which straddles the signer and the date
    for text, right, keep in ((head.signer, signer_right, True), (date_text, date_right, bool(head.remark))):
        p = _paragraph(doc, "公文正文", text, align=WD_ALIGN_PARAGRAPH.RIGHT)
        p.paragraph_format.first_line_indent = 0
        p.paragraph_format.right_indent = Pt(16 * right)
        p.paragraph_format.keep_with_next = keep  # 署名, 日期 and 附注 stay together, as in the PDF
    if head.remark:  # 附注: 居左空二字, in （）, on the line under the date (7.3.6)
        _composed(doc, "公文正文", [(f"（{head.remark}）", BODY_FONT)])


def _colophon(doc, head: Head, *, left_twips: int = LEFT_MARGIN_TWIPS, width: int = TEXT_WIDTH_TWIPS) -> None:
    """版记 on the last page: 抄送 and 印发机关和印发日期 between rules (the first and last
    thick, the one between thin), 4号 仿宋, one character in from each side, its last rule
    on the foot of the text block (GB/T 9704 7.4) wherever the body ends.

    A floating table anchored to the bottom margin (w:tblpPr vertAnchor="margin"
    tblpYSpec="bottom"), horizontally placed from the page's edge: Word and WPS place it
    so, and LibreOffice makes a frame of it at the same place. (LibreOffice keeps a
    floating table in the flow when it is about as wide as the text block and placed
    relative to the margins: relative to the page, it floats.) Body text never runs
    under it (w:tblOverlap never): a body that fills the last page takes the 版记 to
    the next, as the PDF does."""
    rows = []
    if head.cc:
        rows.append((f"抄送：{head.cc}。", ""))
    rows.append((head.printer, f"{cn_date(head.print_date)}印发"))
    table = doc.add_table(rows=len(rows), cols=2)
    tbl = table._tbl
    tbl_pr = tbl.tblPr
    for old in tbl_pr.findall(qn("w:tblW")):
        tbl_pr.remove(old)
    tbl_pr.append(_el("w:tblW", w=width, type="dxa"))
    # The cell text starts at tblpX: the rules start one cell margin (108 twips) left of
    # it, so that they span the text block as the PDF's do.
    x = left_twips + CELL_MARGIN_TWIPS
    tbl_pr.append(_el("w:tblpPr", vertAnchor="margin", tblpYSpec="bottom", horzAnchor="page", tblpX=x))
    tbl_pr.append(_el("w:tblOverlap", val="never"))
    tbl_pr.append(_el("w:tblLayout", type="fixed"))
    borders = _el("w:tblBorders")
    borders.append(_el("w:top", val="single", sz=8, color="000000"))
    borders.append(_el("w:left", val="nil"))
    borders.append(_el("w:bottom", val="single", sz=8, color="000000"))
    borders.append(_el("w:right", val="nil"))
    borders.append(_el("w:insideH", val="single", sz=4, color="000000"))
    borders.append(_el("w:insideV", val="nil"))
    tbl_pr.append(borders)
    _schema_order(tbl_pr)
    widths = [width * 3 // 5, width - width * 3 // 5]
    for col, w in zip(tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(w))
    for row, (left, right) in zip(table.rows, rows, strict=True):
        row._tr.get_or_add_trPr().append(_el("w:cantSplit"))
        if not right:
            cells = [(row.cells[0].merge(row.cells[1]), left, WD_ALIGN_PARAGRAPH.LEFT)]
        else:
            cells = [(row.cells[0], left, WD_ALIGN_PARAGRAPH.LEFT), (row.cells[1], right, WD_ALIGN_PARAGRAPH.RIGHT)]
        for cell, text, align in cells:
            p = cell.paragraphs[0]
            p.style = "公文正文"
            pf = p.paragraph_format
            pf.first_line_indent = 0
            pf.left_indent = SIZE_4 if align == WD_ALIGN_PARAGRAPH.LEFT else 0
            if text.startswith(CC_LABEL):  # a second line starts under the first 抄送 机关
                pf.left_indent = SIZE_4 + CC_HANG
                pf.first_line_indent = -CC_HANG
            pf.right_indent = SIZE_4 if align == WD_ALIGN_PARAGRAPH.RIGHT else 0
            pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            pf.line_spacing = Pt(24)
            p.alignment = align
            p._p.get_or_add_pPr().append(_el("w:snapToGrid", val="0"))
            if text.startswith(CC_LABEL):  # the PDF's lines
                _fill(p, [(text, BODY_FONT)], cc_lines(clean(text)[len(CC_LABEL) :]), size=SIZE_4)
                continue
            run = p.add_run(clean(text))
            run.font.size = SIZE_4
            set_east_asian_font(run._r, BODY_FONT)
    end = doc.add_paragraph(style="公文表格")  # the 版记's anchor (a body ends with a paragraph)
    end.paragraph_format.line_spacing = Pt(1)


def render_docx(document: Document, path: Path) -> None:
    doc = new_docx()
    _styles(doc)
    _font_table(doc)
    _page_setup(doc)
    head = document.head
    doc.core_properties.title = clean(document.title)
    doc.core_properties.author = clean(head.issuer)
    if head.issuer:
        _masthead(doc, head)
    body = body_blocks(document)
    for block in body:
        match block.kind:
            case "title":  # broken between words, the same lines as the PDF's
                _title(doc, block.text)
                _empty(doc)  # one empty line under the title
            case "meta":
                _paragraph(doc, "公文正文", block.text, align=WD_ALIGN_PARAGRAPH.CENTER).paragraph_format.first_line_indent = 0
            case "to":  # the addressee starts at the margin (顶格)
                _composed(doc, "公文正文", [(block.text, BODY_FONT)], indent_chars=0)
            case "sign":  # versions stored before the head existed
                p = _paragraph(doc, "公文正文", block.text, align=WD_ALIGN_PARAGRAPH.RIGHT)
                p.paragraph_format.first_line_indent = 0
                p.paragraph_format.right_indent = SIZE_3 * 4
            case "table":
                _table(doc, block.header or [], block.rows or [], block.widths)
            case "note":
                _composed(doc, "公文正文", [(block.text, H2_FONT)])
            case "p" if block.lead and block.text.startswith(block.lead):  # a run-in (一) heading, in 楷体
                _composed(doc, "公文正文", [(block.lead, H2_FONT), (block.text[len(block.lead) :], BODY_FONT)])
            case _:
                style = BLOCK_STYLE[block.kind]
                last = _composed(doc, style, [(block.text, STYLES[style][0])])
                if block is body[-1] and head.issuer and not head.annexes:
                    # The closing words (特此通知) go with the 署名, as in the PDF.
                    last.paragraph_format.keep_with_next = True
    if head.issuer:
        _annexes(doc, head)
        _signature(doc, head)
        pages = document_annexes(document)
        for annex in pages:
            _annex_page(doc, annex)
        if pages and pages[-1].landscape:
            _colophon(doc, head, left_twips=LANDSCAPE_MARGINS_TWIPS[3], width=round(LANDSCAPE_WIDTH_PT * 20))
        else:
            _colophon(doc, head)
    doc.save(str(path))


def _section_break(doc, *, landscape: bool) -> None:
    """A new section from the next page on, portrait or landscape: the last paragraph so
    far ends the current section (no paragraph of its own, which could spill onto a page),
    and the new one inherits its footers and numbering."""
    body = doc.element.body
    sentinel = body.get_or_add_sectPr()
    body.xpath("./w:p")[-1].set_sectPr(sentinel.clone())
    for ref in sentinel.xpath("w:headerReference|w:footerReference"):
        sentinel.remove(ref)
    section = doc.sections[-1]
    section.start_type = WD_SECTION.NEW_PAGE
    if landscape:
        top, right, bottom, left = (Twips(x) for x in LANDSCAPE_MARGINS_TWIPS)
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        section.top_margin, section.bottom_margin = top, bottom
        section.left_margin, section.right_margin = left, right
        section.header_distance = Mm(10)
        section.footer_distance = bottom - Mm(12)  # the number 7 mm under the text block, as on portrait pages
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        section.header_distance = Mm(15)
        section.footer_distance = Mm(23)


def _annex_page(doc, annex: Annex) -> None:
    """An annex from a new page (GB/T 9704 8): 附件N 顶格 in 黑体, the title in 小标宋 on
    the lines the PDF sets, the period, then its tables with their 注."""
    _section_break(doc, landscape=annex.landscape)
    width = annex.width_pt
    label = _paragraph(doc, "公文正文", annex.label, font=H1_FONT)
    label.paragraph_format.first_line_indent = 0
    label.paragraph_format.keep_with_next = True
    title = doc.add_paragraph(style="公文标题")
    for i, line in enumerate(annex_title_lines(annex)):
        run = title.add_run(line)
        set_east_asian_font(run._r, TITLE_FONT)
        if i:
            run._r.insert(0, _el("w:br"))
    title.paragraph_format.keep_with_next = True
    period = _paragraph(doc, "公文正文", annex.period, font=H2_FONT, align=WD_ALIGN_PARAGRAPH.CENTER)
    period.paragraph_format.first_line_indent = 0
    period.paragraph_format.keep_with_next = True
    for table in annex.tables:
        if table.heading:
            _composed(doc, "公文正文", [(table.heading, H2_FONT)], width=width).paragraph_format.keep_with_next = True
        _table(doc, table.header, table.rows, total=width)
        for note in table.notes:
            _composed(doc, "公文正文", [(note, BODY_FONT)], width=width)
