"""Evidence uploads: accepted by content (PDF, PNG/JPEG, .docx/.xlsx/.pptx), stored under
MEDIA_ROOT by their sha256; hostile files refused with a Chinese message and nothing
changed: a wrong type under a good name, oversized files, zip bombs (refused from the
archive's directory, before any entry is decompressed), path names."""

import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from actions.evidence import MAX_BYTES, EvidenceRejected, evidence_check
from reports.supervision.models import Evidence, SupervisionOrder
from reports.tests.supervision_data import metric_led_by, order_on

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def member(name):
    """A zip member dated once for all: the files are test parameters, and parallel test
    processes must build the same bytes (and so the same test ids)."""
    return zipfile.ZipInfo(name, date_time=(2022, 5, 17, 0, 0, 0))


def office(main="word/document.xml", extra=()):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(member("[Content_Types].xml"), "<Types/>", zipfile.ZIP_DEFLATED)
        z.writestr(member(main), "<document>整改报告</document>", zipfile.ZIP_DEFLATED)
        for name, data in extra:
            z.writestr(member(name), data, zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def bomb(size):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(member("[Content_Types].xml"), "<Types/>", zipfile.ZIP_DEFLATED)
        z.writestr(member("word/document.xml"), b"\x00" * size, zipfile.ZIP_DEFLATED)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("data", "ext"),
    [
        (PDF, "pdf"),
        (PNG, "png"),
        (JPG, "jpg"),
        (office(), "docx"),
        (office("xl/workbook.xml"), "xlsx"),
        (office("ppt/presentation.xml"), "pptx"),
    ],
)
def test_good_files_are_known_by_their_content(data, ext):
    checked = evidence_check(data=data, name="随便起的名字.bin")
    assert checked.extension == ext and checked.name == f"随便起的名字.{ext}"
    assert checked.sha256 == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"MZ\x90\x00 an executable", "文件内容不是PDF"),  # an .exe named 整改报告.pdf
        (b"<html><script>alert(1)</script></html>", "文件内容不是PDF"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "旧版 Office"),
        (office("content.xml"), "无法识别的 Office 文件"),  # an OpenDocument or other zip
        (office(extra=[("../../evil.sh", "rm -rf /")]), "异常路径"),
        (b"PK\x03\x04 not really a zip", "已损坏"),
        (b"", "空的"),
    ],
)
def test_a_wrong_type_under_a_good_name_is_refused(data, message):
    with pytest.raises(EvidenceRejected, match=message):
        evidence_check(data=data, name="整改报告.pdf")


def test_an_oversized_file_is_refused():
    with pytest.raises(EvidenceRejected, match="超过 10 MB"):
        evidence_check(data=PDF + b"\x00" * MAX_BYTES, name="a.pdf")


@pytest.mark.parametrize("size", [2 * 1024 * 1024, 80 * 1024 * 1024])  # a high ratio; a huge total
def test_a_zip_bomb_is_refused_before_any_entry_is_read(size, monkeypatch):
    data = bomb(size)
    assert len(data) < MAX_BYTES

    def never(*args, **kwargs):
        raise AssertionError("an entry was decompressed")

    monkeypatch.setattr(zipfile.ZipFile, "open", never)
    monkeypatch.setattr(zipfile.ZipFile, "read", never)
    with pytest.raises(EvidenceRejected, match="压缩炸弹"):
        evidence_check(data=data, name="报告.docx")


# -- through the page -------------------------------------------------------------------
@pytest.fixture
def order(users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return order_on(users["office"], "hengnan", metric_led_by("amr", "hengnan"))


def _post(client, order, upload):
    data = {"measures": "已整改", "progress": "完成", "expected_done": "2022-08-01", "version": order.version, "files": [upload]}
    return client.post(f"/reports/supervision/{order.pk}/answer/", data)


def test_an_answer_keeps_its_evidence_by_hash_and_drops_the_path(client, users, order, tmp_path):
    client.force_login(users["reporter"])
    response = _post(client, order, SimpleUploadedFile("../../../etc/整改报告.pdf", PDF, content_type="text/plain"))
    assert response.status_code == 302
    ev = Evidence.objects.get()
    digest = hashlib.sha256(PDF).hexdigest()
    assert (ev.name, ev.sha256, ev.size, ev.extension) == ("整改报告.pdf", digest, len(PDF), "pdf")
    stored = Path(ev.file.path)
    assert stored == tmp_path / "supervision" / digest[:2] / f"{digest}.pdf" and stored.read_bytes() == PDF
    got = client.get(f"/reports/supervision/evidence/{ev.pk}/")
    assert got.status_code == 200 and got["Content-Type"] == "application/pdf" and b"".join(got.streaming_content) == PDF
    assert got["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("整改报告.pdf", b"MZ\x90\x00 executable", "文件内容不是PDF"),
        ("整改照片.png", b"<svg onload=alert(1)>", "文件内容不是PDF"),
        ("台账.docx", bomb(2 * 1024 * 1024), "压缩炸弹"),
        ("大文件.pdf", PDF + b"\x00" * MAX_BYTES, "超过 10 MB"),
    ],
)
def test_a_hostile_file_changes_nothing(client, users, order, tmp_path, name, data, message):
    client.force_login(users["reporter"])
    response = _post(client, order, SimpleUploadedFile(name, data))
    assert response.status_code == 400
    assert message in response.content.decode() and name in response.content.decode()
    order.refresh_from_db()
    assert order.stage == "open" and not order.answers.exists() and not Evidence.objects.exists()
    assert not (tmp_path / "supervision").exists()
    assert SupervisionOrder.objects.get(pk=order.pk).version == order.version


def test_the_same_content_is_stored_once(client, users, order, tmp_path):
    client.force_login(users["reporter"])
    data = {"measures": "已整改", "progress": "完成", "expected_done": "2022-08-01", "version": order.version}
    data["files"] = [SimpleUploadedFile("a.pdf", PDF), SimpleUploadedFile("b.pdf", PDF)]
    assert client.post(f"/reports/supervision/{order.pk}/answer/", data).status_code == 302
    names = sorted(Evidence.objects.values_list("name", flat=True))
    paths = set(Evidence.objects.values_list("file", flat=True))
    assert names == ["a.pdf", "b.pdf"] and len(paths) == 1
    assert len(list((tmp_path / "supervision").rglob("*.pdf"))) == 1
