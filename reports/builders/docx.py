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
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from reports.builders.blocks import Document

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

# 225 mm / 22 lines and 156 mm / 28 characters, in Word's units.
LINE_PITCH_TWIPS = 579  # 28.95 pt
LINE_PITCH = Pt(28.95)
CHAR_SPACE = -849  # (15.79 pt pitch − 16 pt font) × 4096
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
    lang = rpr.find(qn("w:lang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")


def _styles(doc) -> None:
    _doc_defaults(doc)
    normal = doc.styles["Normal"]
    normal.font.size = SIZE_3
    set_east_asian_font(normal.element, BODY_FONT)
    for name, (font, size, bold, outline, align, indent_chars) in STYLES.items():
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.quick_style = True
        style.font.size = size
        style.font.bold = bold
        set_east_asian_font(style.element, font)
        pf = style.paragraph_format
        if align is not None:
            pf.alignment = align
        pf.space_before = pf.space_after = Pt(0)
        if name == "公文表格":
            pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
        else:
            pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            pf.line_spacing = LINE_PITCH
        if indent_chars:
            pf.first_line_indent = size * indent_chars
        ppr = style.element.get_or_add_pPr()
        if outline is not None:
            lvl = OxmlElement("w:outlineLvl")
            lvl.set(qn("w:val"), str(outline))
            ppr.append(lvl)


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
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))
    grid.set(qn("w:charSpace"), str(CHAR_SPACE))
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
    run = p.add_run(text)
    # Runs repeat the style's fonts: some Word versions and WPS ignore style eastAsia.
    set_east_asian_font(run._r, font or STYLES[style][0])
    if align is not None:
        p.alignment = align
    return p


def _table(doc, header: list[str], rows: list[list[str]], widths: list[int] | None = None) -> None:
    table = doc.add_table(rows=2, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        _cell(cell, text, H1_FONT)
    # python-docx's add_row is slow on long tables: fill one model row, then copy its XML.
    model = table.rows[1]
    for cell in model.cells:
        _cell(cell, "x", BODY_FONT)  # the copies get their own text
    if widths:
        total = sum(widths)
        for row in table.rows:
            for cell, w in zip(row.cells, widths, strict=True):
                cell.width = Mm(156 * w / total)
    tbl, model_tr = table._tbl, model._tr
    for row in rows:
        tr = deepcopy(model_tr)
        for t, text in zip(tr.iter(qn("w:t")), row, strict=True):
            t.text = str(text)
        tbl.append(tr)
    tbl.remove(model_tr)
    doc.add_paragraph(style="公文表格")  # Word runs a following table into this one otherwise


def _cell(cell, text: str, font: str) -> None:
    p = cell.paragraphs[0]
    p.style = "公文表格"
    run = p.add_run(str(text))
    run.font.size = SIZE_TABLE
    set_east_asian_font(run._r, font)


def render_docx(document: Document, path: Path) -> None:
    doc = new_docx()
    _styles(doc)
    _page_setup(doc)
    doc.core_properties.title = document.title
    doc.core_properties.author = "衡阳市优化营商环境协调事务中心"
    for block in document.blocks:
        match block.kind:
            case "title":
                _paragraph(doc, "公文标题", block.text)
                doc.add_paragraph(style="公文正文")  # one empty line under the title
            case "meta":
                _paragraph(doc, "公文正文", block.text, align=WD_ALIGN_PARAGRAPH.CENTER).paragraph_format.first_line_indent = 0
            case "to":  # the addressee starts at the margin (顶格)
                _paragraph(doc, "公文正文", block.text).paragraph_format.first_line_indent = 0
            case "sign":
                p = _paragraph(doc, "公文正文", block.text, align=WD_ALIGN_PARAGRAPH.RIGHT)
                p.paragraph_format.first_line_indent = 0
                p.paragraph_format.right_indent = SIZE_3 * 4  # 成文日期右空四字
            case "table":
                _table(doc, block.header or [], block.rows or [], block.widths)
            case "note":
                p = _paragraph(doc, "公文正文", block.text, font=H2_FONT)
            case _:
                _paragraph(doc, BLOCK_STYLE[block.kind], block.text)
    doc.save(str(path))
