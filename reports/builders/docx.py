"""A Document as a Word file in the national format for official documents (GB/T
9704-2012): A4, margins 37/35/28/26 mm (text block 156 × 225 mm), 22 lines of 28
characters, title in 方正小标宋简体 2号, body in 仿宋_GB2312 3号, headings 一、 in 黑体,
(一) in 楷体_GB2312, 1. in 仿宋, page numbers "— 1 —" in 4号 宋体, odd pages right and
even pages left.

Word takes the Chinese font from w:eastAsia and lets theme fonts override explicit ones,
so every style and run gets ascii/hAnsi/eastAsia set and its theme attributes removed
(python-docx's `font.name` alone writes only the Latin font)."""

from __future__ import annotations

from pathlib import Path

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, Twips

from reports.builders.annexes import (
    LANDSCAPE_MARGINS_TWIPS,
    LANDSCAPE_WIDTH_PT,
    Annex,
    annex_title_lines,
    body_blocks,
    document_annexes,
)
from reports.builders.blocks import Document, Head, cn_date
from reports.builders.compose import CC_LABEL, cc_lines
from reports.builders.docx_style import (
    BLOCK_STYLE,
    BODY_FONT,
    CC_HANG,
    CELL_MARGIN_TWIPS,
    H1_FONT,
    H2_FONT,
    LEFT_MARGIN_TWIPS,
    RED,
    SIZE_3,
    SIZE_4,
    STYLES,
    TEXT_WIDTH_TWIPS,
    TITLE_FONT,
    _border,
    _composed,
    _el,
    _empty,
    _fill,
    _font_table,
    _page_setup,
    _paragraph,
    _styles,
    set_east_asian_font,
)
from reports.builders.docx_table import _schema_order, _table
from reports.builders.gbt9704 import ISSUER_LEADING, issuer_mark_size, issuer_top_pt, signature_indents
from reports.builders.titles import title_lines
from reports.builders.typography import clean


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
        if table.header:  # (none when every row was left to the Excel file)
            _table(doc, table.header, table.rows, total=width)
        for note in table.notes:
            _composed(doc, "公文正文", [(note, BODY_FONT)], width=width)
