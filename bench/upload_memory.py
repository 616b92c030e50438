"""Peak memory of the web process checking an uploaded Office file, zip bombs included:
`python -m bench.upload_memory` builds each file, checks it in a fresh process (as the
upload views do: reports.services.issue.check_docx, indicators.excel's upload checks) and
prints the process's peak resident size. Issue 19: a 440 KB .docx bomb took 917 MB."""

from __future__ import annotations

import io
import os
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def docx_bomb(paragraphs: int = 75_000_000) -> bytes:
    """A valid .docx whose document.xml is hundreds of MB of empty paragraphs."""
    from docx import Document

    buf = io.BytesIO()
    Document().save(buf)
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename == "word/document.xml":
                with dst.open("word/document.xml", "w", force_zip64=True) as f:
                    f.write(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W}><w:body>'.encode())
                    chunk = b"<w:p/>" * 1_000_000
                    for _ in range(paragraphs // 1_000_000):
                        f.write(chunk)
                    f.write(b"</w:body></w:document>")
            else:
                dst.writestr(info, src.read(info.filename))
    return out.getvalue()


def xlsx_bomb(rows: int = 50_000_000) -> bytes:
    """A valid .xlsx whose first sheet is hundreds of MB of empty rows."""
    from openpyxl import Workbook

    buf = io.BytesIO()
    Workbook().save(buf)
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename == "xl/worksheets/sheet1.xml":
                ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
                with dst.open(info.filename, "w", force_zip64=True) as f:
                    f.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet {ns}><sheetData>'.encode())
                    chunk = b"<row/>" * 1_000_000
                    for _ in range(rows // 1_000_000):
                        f.write(chunk)
                    f.write(b"</sheetData></worksheet>")
            else:
                dst.writestr(info, src.read(info.filename))
    return out.getvalue()


def docx_plain() -> bytes:
    from docx import Document

    d = Document()
    for i in range(200):
        d.add_paragraph(f"第{i}段 衡阳市优化营商环境攻坚行动调度情况" * 5)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def check(path: str) -> None:
    """In a fresh process: set up Django, check the file as the upload view does, print
    the peak RSS in MB and the verdict."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hengyang_ybe.settings")
    django.setup()
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from indicators.excel.reading import UploadRejected, _open_workbook, _read_upload
    from reports.services.issue import check_docx

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    upload = SimpleUploadedFile(Path(path).name, Path(path).read_bytes())
    try:
        if path.endswith(".xlsx"):  # what upload_check does before it reads the cells
            wb = _open_workbook(_read_upload(upload))
            for ws in wb.worksheets:
                for _row in ws.iter_rows():
                    pass
        else:
            check_docx(upload)
        verdict = "accepted"
    except (ValidationError, UploadRejected) as exc:
        verdict = "refused: " + (exc.messages[0] if isinstance(exc, ValidationError) else str(exc))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"{Path(path).name}: {os.path.getsize(path) // 1024} KB, after setup {before} MB, peak {peak} MB, {verdict}")


def main() -> None:
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    files = {"plain.docx": docx_plain(), "bomb.docx": docx_bomb(), "bomb.xlsx": xlsx_bomb()}
    for name, data in files.items():
        (out / name).write_bytes(data)
        subprocess.run([sys.executable, "-m", "bench.upload_memory", str(out / name)], cwd=ROOT, check=False)


if __name__ == "__main__":
    if len(sys.argv) > 1:
        check(sys.argv[1])
    else:
        main()
