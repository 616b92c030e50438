"""The Word file's styles, page and paragraph helpers (GB/T 9704-2012 page, faces and
sizes; reports.builders.docx has the format's rules): split out of docx.py unchanged."""

from __future__ import annotations

from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from reports.builders.compose import (
    BODY_PT,
    BODY_SPACING_PT,
    TEXT_WIDTH_PT,
    lines,
)
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
