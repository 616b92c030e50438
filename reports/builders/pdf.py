"""A Document as a PDF through WeasyPrint, laid out like the Word file (GB/T 9704 page,
版头, 版记 at the foot of the last page, page numbers "— 1 —" right on odd pages and left
on even ones). Faces with a free licence stand in for the official ones: FandolFang for
仿宋_GB2312, FandolKai for 楷体_GB2312, FandolHei for 黑体 (Debian texlive-lang-chinese),
Noto Serif CJK SC Bold for 方正小标宋简体 and Noto Serif CJK SC for 宋体 (fonts-noto-cjk);
each falls back glyph by glyph to Noto CJK for characters outside GB 2312."""

from __future__ import annotations

import re
from dataclasses import asdict
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import mark_safe

from reports.builders.annexes import LANDSCAPE_MARGINS_TWIPS, Annex, annex_title_lines, body_blocks, document_annexes
from reports.builders.blocks import Document, cn_date
from reports.builders.compose import BODY_PT, CC_LABEL, body_lines, cc_lines, cell_lines, lines, table_widths
from reports.builders.gbt9704 import ISSUER_LEADING, issuer_mark_size, issuer_top_pt, signature_indents
from reports.builders.titles import title_lines
from reports.builders.typography import clean

FANDOL_DIR = Path("/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol")
FACES = {  # CSS family → (file in FANDOL_DIR, local fallback names)
    "GW Fang": ("FandolFang-Regular.otf", ["FandolFang", "FangSong", "仿宋_GB2312"]),
    "GW Kai": ("FandolKai-Regular.otf", ["FandolKai", "KaiTi", "楷体_GB2312", "AR PL UKai CN"]),
    "GW Hei": ("FandolHei-Regular.otf", ["FandolHei", "SimHei", "黑体", "Noto Sans CJK SC"]),
}


def font_faces() -> list[dict]:
    out = []
    for family, (filename, local) in FACES.items():
        src = [f'local("{name}")' for name in local]
        path = FANDOL_DIR / filename
        if path.exists():
            src.insert(0, f'url("{path.as_uri()}")')
        # (Fandol's digits, %, - and : are as wide as Times New Roman's, the Word file's
        # Latin face: a line holds the same text in both without mixing faces, which
        # would make WeasyPrint's lines taller than the 28.95 pt grid.)
        out.append({"family": family, "src": ", ".join(src)})
    return out


# A run of Latin letters or digits (with their decimal point, %, …) beside a Chinese
# character: Word, WPS and LibreOffice set a quarter em between the two (Word's
# autoSpaceDE/DN default; LibreOffice ignores the switch), so the PDF does the same.
_LATIN_RUN = re.compile(r"[0-9A-Za-z][0-9A-Za-z.%‰:/+\-]*")
_HAN = re.compile(r"[\u3400-\u9fff]")


def autospace(text: str) -> str:
    """Escaped HTML of `text` with each Latin run beside a Han character in a span that
    carries the quarter-em margin on that side."""
    out, pos = [], 0
    for m in _LATIN_RUN.finditer(text):
        before = m.start() > 0 and _HAN.match(text[m.start() - 1])
        after = m.end() < len(text) and _HAN.match(text[m.end()])
        if not (before or after):
            continue
        classes = " ".join(c for c, on in (("asl", before), ("asr", after)) if on)
        out.append(escape(text[pos : m.start()]))
        out.append(f'<span class="{classes}">{escape(m.group())}</span>')
        pos = m.end()
    out.append(escape(text[pos:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece escaped above


def _lines_html(segments: list[tuple[str, str]], line_list: list[str]) -> str:
    """HTML of `segments` ((text, CSS class or "")) with a <br> where each line ends:
    the lines compose.py gives the Word file too."""
    ends, pos = set(), 0
    for line in line_list[:-1]:
        pos += len(line)
        ends.add(pos)
    out, pos = [], 0
    for text, css in segments:
        pieces, buf = [], ""
        for ch in text:
            buf += ch
            pos += 1
            if pos in ends:
                pieces.append(autospace(buf) + mark_safe("<br>"))
                buf = ""
        pieces.append(autospace(buf))
        html = "".join(pieces)
        out.append(f'<span class="{css}">{html}</span>' if css else html)
    return mark_safe("".join(out))  # noqa: S308 - built from autospace()'s escaped pieces


_INDENT = {"to": 0}  # characters of first-line indent by block kind; 2 for the others


def _clean_block(b) -> dict:
    block = asdict(b)
    text = clean(b.text)
    if b.lead and b.text.startswith(b.lead):  # a run-in heading, in the heading's face
        lead = clean(b.lead)
        segments = [(lead, "lead"), (text[len(lead) :], "")]
    else:
        segments = [(text, "")]
    block["html"] = _lines_html(segments, body_lines(text, indent_chars=_INDENT.get(b.kind, 2)))
    block["text"] = autospace(text)
    if b.kind == "title":  # broken between words, the same lines as the Word file's
        block["lines"] = [autospace(line) for line in title_lines(text)]
    if b.kind == "table":
        header = [clean(h) for h in b.header or []]
        rows = [[clean(c) for c in row] for row in b.rows or []]
        block.update(_table_html(header, rows, table_widths(header, rows, b.widths)))  # fixed layout: fast, and as in Word
    return block


def _table_html(header: list[str], rows: list[list[str]], points: list[float]) -> dict:
    """A table's cells as HTML on the lines compose.py gives the Word file too."""
    return {
        "pct": [f"{100 * w / sum(points):.3f}" for w in points],
        "header": [_lines_html([(h, "")], cell_lines(h, w)) for h, w in zip(header, points, strict=True)],
        "rows": [[_lines_html([(c, "")], cell_lines(c, w)) for c, w in zip(row, points, strict=True)] for row in rows],
    }


def _annex(annex: Annex) -> dict:
    """An annex's page as the template sets it (annexes.py: the Word file's too)."""
    width = annex.width_pt
    tables = []
    for t in annex.tables:
        tables.append(
            {
                "heading": _lines_html([(t.heading, "")], lines(t.heading, width=width, indent=2 * BODY_PT)) if t.heading else "",
                **_table_html(t.header, t.rows, annex.widths(t)),
                "notes": [_lines_html([(n, "")], lines(n, width=width, indent=2 * BODY_PT)) for n in t.notes],
            }
        )
    return {
        "label": autospace(annex.label),
        "title": [autospace(line) for line in annex_title_lines(annex)],
        "period": autospace(annex.period),
        "landscape": annex.landscape,
        "tables": tables,
    }


def _context(document: Document) -> dict:
    head = document.head
    ctx = {"doc": document, "blocks": [_clean_block(b) for b in body_blocks(document)], "faces": font_faces()}
    ctx["annexes"] = [_annex(a) for a in document_annexes(document)] if head.issuer else []
    ctx["landscape_margin"] = " ".join(f"{x / 20:.2f}pt" for x in LANDSCAPE_MARGINS_TWIPS)
    if head.issuer:
        date_text = cn_date(head.date)
        signer_right, date_right = signature_indents(head.signer, date_text, sealed=head.sealed)
        ctx["head"] = {
            "issuer": clean(head.issuer),
            "issuer_size": issuer_mark_size(head.issuer),
            "issuer_line": f"{issuer_mark_size(head.issuer) * ISSUER_LEADING:.2f}",
            "issuer_top": f"{issuer_top_pt(head):.2f}",
            "number": clean(head.number_text),
            "annexes": [autospace(clean(a)) for a in head.annexes],
            "signer": clean(head.signer),
            "signer_right": signer_right,
            "date": autospace(date_text),
            "date_right": date_right,
            "sealed": head.sealed,
            "cc": _lines_html([(f"{CC_LABEL}{clean(head.cc)}。", "")], cc_lines(f"{clean(head.cc)}。")) if head.cc else "",
            "printer": clean(head.printer),
            "print_date": autospace(cn_date(head.print_date)),
            "draft": head.draft,
            "remark": _lines_html([(f"（{clean(head.remark)}）", "")], body_lines(f"（{clean(head.remark)}）"))
            if head.remark
            else "",
        }
    return ctx


def _colophon_box(rendered):
    """The 版记's box (div#colophon) on the last page, or None."""
    for child in rendered.pages[-1]._page_box.descendants():
        element = getattr(child, "element", None)
        if element is not None and element.get("id") == "colophon" and getattr(child, "element_tag", "") == "div":
            return child
    return None


def _colophon_gap(rendered, colophon) -> float:
    """Free space (CSS px) under the 版记 on its page, so that moved down by it the 版记's
    last line is the page's last line (GB/T 9704 7.4)."""
    box = rendered.pages[-1]._page_box
    return max(0.0, box.content_box_y() + box.height - (colophon.position_y + colophon.margin_height()) - 1)


def _layout(document: Document):
    """The PDF laid out, with the gap above the 版记 (laid_out); done once per Document
    and kept on it."""
    cached = getattr(document, "_pdf_layout", None)
    if cached is None:
        html = render_to_string("reports/pdf/report.html", _context(document))
        cached = document._pdf_layout = laid_out(html, colophon=bool(document.head.issuer))
    return cached


def laid_out(html: str, *, colophon: bool):
    """The pages of `html` laid out by WeasyPrint and, for a document with a 版记, the 版记
    at the foot of the last page: (pages, the gap it was moved down by).

    The 版记 is the last thing of the last page and fits where it stands, so it is moved
    down by the free space under it in the laid-out pages: what padding above it would
    do on a second layout, which costs as much as the first (a third of a build's time)."""
    from weasyprint import HTML  # heavy import: only where a PDF is made

    rendered = HTML(string=html, base_url=str(settings.BASE_DIR)).render()
    box = _colophon_box(rendered) if colophon else None
    gap = _colophon_gap(rendered, box) if box is not None else 0.0
    if gap > 0:
        box.translate(dy=gap)
    return rendered, gap


def render_pdf(document: Document, path: Path) -> None:
    rendered, _ = _layout(document)
    rendered.write_pdf(str(path))
