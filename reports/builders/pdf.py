"""A Document as a PDF through WeasyPrint, laid out like the Word file (GB/T 9704 page,
page numbers "— 1 —" right on odd pages and left on even ones). The official fonts come
first in the font lists; Noto CJK (installed with fonts-noto-cjk) is the fallback."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

from reports.builders.blocks import Document


def render_pdf(document: Document, path: Path) -> None:
    from weasyprint import HTML  # heavy import: only where a PDF is made

    blocks = []
    for b in document.blocks:
        block = asdict(b)
        if b.widths:  # fixed table layout: much faster than WeasyPrint's automatic one
            block["pct"] = [f"{100 * w / sum(b.widths):.2f}" for w in b.widths]
        blocks.append(block)
    html = render_to_string("reports/pdf/report.html", {"doc": document, "blocks": blocks})
    HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(str(path))
