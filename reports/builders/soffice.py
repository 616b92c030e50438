"""A .docx as LibreOffice renders it (the test that Word files hold together outside
Word, and the previews): `soffice --headless --convert-to pdf` with a private profile, so
that conversions running at once never share one, and a fontconfig file that maps the
official face names to the free faces the PDFs use (FandolFang for 仿宋_GB2312 …)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from reports.builders.pdf import FANDOL_DIR

ALIASES = {
    "仿宋_GB2312": "FandolFang",
    "仿宋": "FandolFang",
    "楷体_GB2312": "FandolKai",
    "楷体": "FandolKai",
    "黑体": "FandolHei",
    "方正小标宋简体": "Noto Serif CJK SC",
    "宋体": "Noto Serif CJK SC",
}


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _fontconfig(folder: Path) -> Path:
    aliases = "".join(
        f"<alias binding='same'><family>{name}</family><prefer><family>{face}</family>"
        "<family>Noto Serif CJK SC</family></prefer></alias>"
        for name, face in ALIASES.items()
    )
    # 方正小标宋 is a heavy face: its stand-in is Noto Serif CJK Bold, as in the PDF.
    heavy = (
        "<match target='pattern'><test name='family'><string>方正小标宋简体</string></test>"
        "<edit name='weight' mode='assign'><const>bold</const></edit></match>"
    )
    conf = folder / "fonts.conf"
    conf.write_text(
        "<?xml version='1.0'?><!DOCTYPE fontconfig SYSTEM 'fonts.dtd'><fontconfig>"
        "<include ignore_missing='yes'>/etc/fonts/fonts.conf</include>"
        f"<dir>{FANDOL_DIR}</dir>{heavy}{aliases}</fontconfig>",
        encoding="utf-8",
    )
    return conf


def docx_to_pdf(docx: Path, outdir: Path, *, timeout: int = 180) -> Path:
    """Convert with LibreOffice; returns the PDF's path. Raises RuntimeError if it fails."""
    exe = soffice()
    if not exe:
        raise RuntimeError("soffice is not installed (Debian package libreoffice-writer-nogui)")
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="soffice-") as tmp:
        env = dict(os.environ, FONTCONFIG_FILE=str(_fontconfig(Path(tmp))), HOME=tmp)
        profile = Path(tmp, "profile").as_uri()
        result = subprocess.run(
            [exe, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir", str(outdir), str(docx)],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
        )
    pdf = outdir / (Path(docx).stem + ".pdf")
    if result.returncode != 0 or not pdf.exists():
        raise RuntimeError(f"soffice failed ({result.returncode}): {result.stderr[-500:]}")
    return pdf


def page_count(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(str(pdf)).pages)
