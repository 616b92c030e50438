"""A Document as a PDF through WeasyPrint, laid out like the Word file (GB/T 9704 page,
版头, 版记 at the foot of the last page, page numbers "— 1 —" right on odd pages and left
on even ones). Faces with a free licence stand in for the official ones: FandolFang for
仿宋_GB2312, FandolKai for 楷体_GB2312, FandolHei for 黑体 (Debian texlive-lang-chinese),
Noto Serif CJK SC Bold for 方正小标宋简体 and Noto Serif CJK SC for 宋体 (fonts-noto-cjk);
each falls back glyph by glyph to Noto CJK for characters outside GB 2312."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

from reports.builders.blocks import Document, cn_date
from reports.builders.gbt9704 import issuer_mark_size, signature_indents
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
        out.append({"family": family, "src": ", ".join(src)})
    return out


def _clean_block(b) -> dict:
    block = asdict(b)
    block["text"] = clean(b.text)
    block["header"] = [clean(h) for h in b.header or []]
    block["rows"] = [[clean(c) for c in row] for row in b.rows or []]
    if b.lead and b.text.startswith(b.lead):  # a run-in heading, in the heading's face
        block["lead"], block["text"] = clean(b.lead), clean(b.text[len(b.lead) :])
    else:
        block["lead"] = ""
    if b.widths:  # fixed table layout: much faster than WeasyPrint's automatic one
        block["pct"] = [f"{100 * w / sum(b.widths):.2f}" for w in b.widths]
    return block


def _context(document: Document, colophon_gap: float = 0) -> dict:
    head = document.head
    ctx = {"doc": document, "blocks": [_clean_block(b) for b in document.blocks], "faces": font_faces()}
    if head.issuer:
        date_text = cn_date(head.date)
        signer_right, date_right = signature_indents(head.signer, date_text, sealed=head.sealed)
        ctx["head"] = {
            "issuer": clean(head.issuer),
            "issuer_size": issuer_mark_size(head.issuer),
            "number": clean(head.number_text),
            "annexes": [clean(a) for a in head.annexes],
            "signer": clean(head.signer),
            "signer_right": signer_right,
            "date": date_text,
            "date_right": date_right,
            "sealed": head.sealed,
            "cc": clean(head.cc),
            "printer": clean(head.printer),
            "print_date": cn_date(head.print_date),
            "colophon_gap": f"{colophon_gap:.2f}",
        }
    return ctx


def _colophon_gap(rendered) -> float:
    """Free space (CSS px) under the 版记 on its page: added above it on a second pass,
    so that the 版记's last line is the page's last line (GB/T 9704 7.4)."""
    page = rendered.pages[-1]
    box = page._page_box
    bottom = box.content_box_y() + box.height
    for child in box.descendants():
        element = getattr(child, "element", None)
        if element is not None and element.get("id") == "colophon" and getattr(child, "element_tag", "") == "div":
            return max(0.0, bottom - (child.position_y + child.margin_height()) - 1)
    return 0.0


def _layout(document: Document):
    """The PDF laid out (WeasyPrint), with the 版记 at the foot of the last page, and the
    gap above the 版记; done once per Document and kept on it."""
    cached = getattr(document, "_pdf_layout", None)
    if cached is not None:
        return cached
    from weasyprint import HTML  # heavy import: only where a PDF is made

    html = render_to_string("reports/pdf/report.html", _context(document))
    rendered = HTML(string=html, base_url=str(settings.BASE_DIR)).render()
    gap = 0.0
    if document.head.issuer:
        gap = _colophon_gap(rendered)
        if gap > 0:
            html = render_to_string("reports/pdf/report.html", _context(document, gap))
            rendered = HTML(string=html, base_url=str(settings.BASE_DIR)).render()
    document._pdf_layout = (rendered, gap)
    return document._pdf_layout


def render_pdf(document: Document, path: Path) -> None:
    rendered, _ = _layout(document)
    rendered.write_pdf(str(path))
