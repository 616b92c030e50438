"""report_build, report_issue, report_final_upload: one draft whatever happens, whole
files only. (The lifecycle around an issued version: test_report_lifecycle; corrections:
test_correction_notice.)"""

import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from reports.builders.common import BuildError
from reports.models import Report
from reports.services.build import report_build
from reports.services.issue import report_final_upload, report_issue
from reports.tests.reportdata import TODAY, docx_text, june, media_path


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def data(plan_2022, media):
    return june(plan_2022)


def test_building_twice_keeps_one_current_version(data, media):
    first = report_build(kind="dispatch", key="2022-06", today=TODAY)
    second = report_build(kind="dispatch", key="2022-6", today=TODAY)  # same report, other spelling
    first.refresh_from_db()
    assert (first.version, first.state) == (1, Report.State.SUPERSEDED)
    assert (second.version, second.state) == (2, Report.State.DRAFT)
    assert Report.objects.filter(kind="dispatch", key="2022-06").exclude(state="superseded").count() == 1
    assert media_path(first.docx).exists() and media_path(second.docx).exists()  # the old one is kept
    assert not list((media / "reports" / "dispatch" / "2022-06").glob("*.tmp"))


def test_the_database_refuses_a_second_current_version(data):
    report = report_build(kind="dispatch", key="2022-06", today=TODAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(series=report.series, kind="dispatch", key="2022-06", version=9, title="x", built_at=timezone.now())


def test_a_stale_temporary_file_is_cleared_and_never_served(data, media):
    folder = media / "reports" / "dispatch" / "2022-06"
    folder.mkdir(parents=True)
    (folder / ".dispatch-2022-06-v1.docx.dead.tmp").write_bytes(b"half a file")
    report = report_build(kind="dispatch", key="2022-06", today=TODAY)
    assert not list(folder.glob("*.tmp"))
    assert "关于2022年6月全市优化营商环境攻坚行动调度情况的通报" in docx_text(media_path(report.docx))


def test_a_year_without_a_plan_is_refused_in_chinese(data):
    with pytest.raises(BuildError, match="没有 2019 年度的行动方案"):
        report_build(kind="dispatch", key="2019-06")
    with pytest.raises(BuildError, match="格式不正确"):
        report_build(kind="bulletin", key="2022-13")


def test_issue_only_a_current_draft(data, users):
    report = report_build(kind="dispatch", key="2022-06", today=TODAY)
    report_issue(report=report, user=users["office"])
    assert report.state == Report.State.ISSUED and report.issued_by == users["office"]
    with pytest.raises(ValidationError, match="已印发或已被新版本替代"):
        report_issue(report=report, user=users["office"])


def _docx_bytes():
    from docx import Document

    buf = io.BytesIO()
    doc = Document()
    doc.add_paragraph("定稿:经主任审定")
    doc.save(buf)
    return buf.getvalue()


def test_the_final_word_file_becomes_the_download(data, users):
    report = report_build(kind="dispatch", key="2022-06", today=TODAY)
    upload = SimpleUploadedFile("定稿.docx", _docx_bytes())
    report_final_upload(report=report, upload=upload, user=users["office"])
    assert report.file_for("docx") == report.final_docx
    assert "经主任审定" in docx_text(media_path(report.final_docx))
    assert report.file_for("xlsx") == report.xlsx


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("x.doc", b"old word", "请上传 Word 文件"),
        ("x.docx", b"", "空的"),
        ("x.docx", b"%PDF-1.4 not a zip", "不是有效的 Word 文件"),
        ("x.docx", None, "缺少正文部分"),
    ],
)
def test_a_file_that_is_not_a_real_docx_is_refused(data, users, name, content, message):
    import zipfile

    if content is None:  # a zip, but not a Word document
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            zf.writestr("hello.txt", "hi")
        content = buf.getvalue()
    report = report_build(kind="dispatch", key="2022-06", today=TODAY)
    with pytest.raises(ValidationError, match=message):
        report_final_upload(report=report, upload=SimpleUploadedFile(name, content), user=users["office"])
    report.refresh_from_db()
    assert not report.final_docx


def test_two_builds_at_once_add_two_versions_one_after_the_other(transactional_db, plan_2022, media):
    """Two processes building the same report at the same moment: the lock makes one
    wait, so versions are 1 and 2 (never two version 1s) and one of them is current."""
    import threading

    from django.db import connection

    june(plan_2022)
    barrier = threading.Barrier(2)
    errors = []

    def build():
        try:
            barrier.wait()
            report_build(kind="dispatch", key="2022-06", today=TODAY)
        except Exception as e:  # surfaced below
            errors.append(e)
        finally:
            connection.close()

    threads = [threading.Thread(target=build) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    assert sorted(Report.objects.values_list("version", flat=True)) == [1, 2]
    assert Report.objects.exclude(state="superseded").count() == 1
    folder = media / "reports" / "dispatch" / "2022-06"
    assert sorted(p.name for p in folder.iterdir()) == [
        "dispatch-2022-06-v1.docx",
        "dispatch-2022-06-v1.pdf",
        "dispatch-2022-06-v1.xlsx",
        "dispatch-2022-06-v2.docx",
        "dispatch-2022-06-v2.pdf",
        "dispatch-2022-06-v2.xlsx",
    ]
