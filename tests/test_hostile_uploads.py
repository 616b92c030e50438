"""Uploaded Office files that are zip bombs: refused from the zip's directory (sizes,
member count, compression ratio) before any parser opens them, with a Chinese message,
so the web process never inflates them (bench/upload_memory.py measures the peak)."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from indicators.rules.officezip import DOCX_LIMITS, XLSX_LIMITS, ZipLimits, zip_problem
from reports.models import Report
from reports.services.build import report_build
from reports.services.issue import check_docx, report_issue
from reports.tests.reportdata import TODAY, june

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _docx(document_xml: bytes, extra: int = 0) -> bytes:
    """A python-docx document with its body replaced (and `extra` empty members added)."""
    from docx import Document

    buf = io.BytesIO()
    Document().save(buf)
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = document_xml if info.filename == "word/document.xml" else src.read(info.filename)
            dst.writestr(info.filename, data)
        for i in range(extra):
            dst.writestr(f"extra/part{i}.xml", b"")
    return out.getvalue()


def bomb(megabytes: int) -> bytes:
    body = b"<w:p/>" * (megabytes * 1024 * 1024 // 6)
    return _docx(f'<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>'.encode() + body + b"</w:body></w:document>")


@pytest.fixture
def issued(plan_2022, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    june(plan_2022)
    report = report_build(kind="dispatch", key="2022-06", today=TODAY)
    return report_issue(report=report, user=users["office"])


def test_a_docx_bomb_uploaded_as_the_final_is_refused_before_python_docx_opens_it(client, users, issued, monkeypatch):
    data = bomb(9)  # 9 MB of empty paragraphs in a few KB
    assert len(data) < 64 * 1024
    opened = []
    import docx

    monkeypatch.setattr(docx, "Document", lambda *a, **k: opened.append(a) or pytest.fail("python-docx opened a zip bomb"))
    client.force_login(users["office"])
    upload = SimpleUploadedFile("定稿.docx", data)
    page = client.post(reverse("reports:archive-upload", args=[issued.pk]), {"file": upload}, follow=True).content.decode()
    assert "压缩炸弹" in page and "定稿已上传" not in page
    assert not Report.objects.get(pk=issued.pk).final_docx and not opened


@pytest.mark.parametrize(
    "data, refused",
    [
        (_docx(b'<?xml version="1.0"?><w:document ' + W.encode() + b"><w:body><w:p/></w:body></w:document>"), False),
        (_docx(b'<?xml version="1.0"?><w:document ' + W.encode() + b"><w:body><w:p/></w:body></w:document>", extra=600), True),
    ],
    ids=["plain", "600 members"],
)
def test_check_docx_counts_members(data, refused):
    upload = SimpleUploadedFile("a.docx", data)
    if refused:
        with pytest.raises(ValidationError, match="部件过多"):
            check_docx(upload)
    else:
        check_docx(upload)


def _zip(**members: tuple[bytes, int]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, (data, method) in members.items():
            z.writestr(name.replace("__", "/").replace("_", "."), data, compress_type=method)
    return out.getvalue()


LIMITS = ZipLimits(members=3, total=1000, xml_part=500, ratio=10, ratio_from=100)
D, S = zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED


@pytest.mark.parametrize(
    "data, problem",
    [
        (_zip(a_xml=(b"x" * 99, D)), None),  # under ratio_from: a small part may compress well
        (_zip(a_xml=(b"x" * 400, D)), "压缩炸弹"),  # 400 bytes in a few: over the ratio
        (_zip(a_bin=(bytes(range(256)) * 3, S)), None),  # stored, 768 bytes
        (_zip(a_xml=(bytes(range(256)) * 2 + b"x", S)), "压缩炸弹"),  # one XML part over 500
        (_zip(a_bin=(bytes(range(256)) * 3, S), b_bin=(bytes(range(256)), S)), "压缩炸弹"),  # 1,024 in all
        (_zip(a=(b"", S), b=(b"", S), c=(b"", S), d=(b"", S)), "部件过多"),
        (b"not a zip", "不是有效的压缩包"),
    ],
    ids=["small", "ratio", "stored", "xml part", "total", "members", "not a zip"],
)
def test_zip_problem(data, problem):
    found = zip_problem(data, LIMITS)
    assert (found is None) if problem is None else (problem in found)


def test_real_files_pass_the_limits(plan_2022, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    june(plan_2022)
    report = report_build(kind="dispatch", key="2022-06", today=TODAY)
    assert zip_problem(report.docx.open("rb").read(), DOCX_LIMITS) is None
    assert zip_problem(report.xlsx.open("rb").read(), XLSX_LIMITS) is None
