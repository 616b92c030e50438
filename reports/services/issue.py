"""The office's acts on a built version: 送审, 印发 (it takes the next 发文字号 and its files
are rendered again with it) and the upload of its offline-edited final Word file. Issuing
takes the series lock a build's record takes, so that a build never replaces a numbered
version; a partial unique index allows one version per state."""

from __future__ import annotations

import os
import uuid
import zipfile
from dataclasses import asdict
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from actions import clock
from actions.access import can_issue_reports
from indicators.rules.officezip import DOCX_LIMITS, zip_problem
from reports.builders.blocks import Document, Head
from reports.models import FinalDocx, Report
from reports.services.documents import FORMATS_BY_KIND, doc_number_take, document_head, file_render, series_lock
from reports.storage import report_dir

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def issue_check(*, user) -> None:
    """印发 is a person's act: only someone who may issue (the office), never nobody."""
    if not can_issue_reports(user):
        raise ValidationError("只有市优化办人员可以印发报告。")


def report_submit_review(*, report: Report, user) -> Report:
    """送审: the office sends the current draft for review; it is then kept whatever is
    rebuilt beside it, until it is issued or another draft is sent in its place."""
    with transaction.atomic():
        series_lock(report.series_id)
        if not Report.objects.filter(pk=report.pk, state=Report.State.DRAFT).exists():
            raise ValidationError("只有当前草稿可以送审；该版本已送审、已印发或已被新版本替代。")
        Report.objects.filter(kind=report.kind, key=report.key, state=Report.State.REVIEW).update(state=Report.State.SUPERSEDED)
        Report.objects.filter(pk=report.pk).update(state=Report.State.REVIEW)
    report.refresh_from_db()
    return report


def report_issue(*, report: Report, user, doc_date: date | None = None) -> Report:
    """The office issues a version in review (or the current draft): it takes the next
    发文字号 of its series and year and its 成文日期 (`doc_date`, by default today), the
    version it replaces (the report's earlier issued one) is superseded, and its Word and
    PDF files are rendered again with both from the content the office reviewed. The
    series row is locked as a build's record is: a build never replaces it. The
    confirmation about units still missing is the view's. Only the office issues (None:
    an operator's act from the command line)."""
    if user is not None:
        issue_check(user=user)
    doc_date = doc_date or clock.today()
    with transaction.atomic():
        series_lock(report.series_id)
        if not Report.objects.filter(pk=report.pk, state__in=[Report.State.DRAFT, Report.State.REVIEW]).exists():
            raise ValidationError("该版本已印发或已被新版本替代，无需重复印发。")
        Report.objects.filter(kind=report.kind, key=report.key, state=Report.State.ISSUED).update(state=Report.State.SUPERSEDED)
        Report.objects.filter(pk=report.pk).update(state=Report.State.ISSUED, issued_at=clock.now(), issued_by=user)
        number = doc_number_take(kind=report.kind, year=doc_date.year)
        Report.objects.filter(pk=report.pk).update(doc_number=number, doc_date=doc_date)
    report.refresh_from_db()
    head = Head(**report.head) if report.head else Head()
    head.number, head.year = number, doc_date.year
    head.date = head.print_date = doc_date.isoformat()
    stored = {"kind": report.kind, "key": report.key, "title": report.title, "content": report.content}
    if not head.issuer:  # a version built before heads existed
        head = document_head(document=Document.from_stored(**stored, head={}), kind=report.kind, doc_date=doc_date, number=number)
    document = Document.from_stored(**stored, head=asdict(head))
    folder = report_dir(report.kind, report.key)
    folder.mkdir(parents=True, exist_ok=True)
    names = {}
    for fmt in ("docx", "pdf"):
        if fmt not in FORMATS_BY_KIND[report.kind]:
            continue
        path = folder / f"{report.kind}-{report.key}-v{report.version}-issued.{fmt}"
        file_render(path, fmt, document)
        names[fmt] = str(path.relative_to(settings.MEDIA_ROOT))
    Report.objects.filter(pk=report.pk).update(head=asdict(head), **names)
    report.refresh_from_db()
    return report


def check_docx(upload) -> None:
    """A real .docx: right name, not too big, a zip holding a Word document that opens."""
    name = getattr(upload, "name", "") or ""
    if not name.lower().endswith(".docx"):
        raise ValidationError("请上传 Word 文件(.docx 格式);.doc 等旧格式请在 Word 中另存为 .docx 后上传。")
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError("文件超过 20 MB,请压缩图片后重新上传。")
    if upload.size == 0:
        raise ValidationError("上传的文件是空的。")
    upload.seek(0)
    if not zipfile.is_zipfile(upload):
        raise ValidationError("该文件不是有效的 Word 文件(.docx),可能已损坏或只是改了扩展名。")
    # Sizes from the zip's directory before python-docx reads every part into memory:
    # a 440 KB zip bomb took the web process to 917 MB.
    problem = zip_problem(upload, DOCX_LIMITS, kind="Word 文件")
    if problem:
        raise ValidationError(problem + "请上传正常保存的 Word 文件。")
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as zf:
            if "word/document.xml" not in zf.namelist():
                raise ValidationError("该文件不是 Word 文档(缺少正文部分),请确认上传的是 Word 文件。")
        upload.seek(0)
        from docx import Document as open_docx

        open_docx(upload)
    except ValidationError:
        raise
    except Exception as e:
        raise ValidationError("Word 文件无法打开，可能已损坏，请重新保存后上传。") from e
    finally:
        upload.seek(0)


def report_final_upload(*, report: Report, upload, user) -> Report:
    """The office's offline-edited Word file becomes the version leaders download. Each
    upload is a new file (…-final-2.docx) recorded in FinalDocx: never replaced in place."""
    check_docx(upload)
    if report.state == Report.State.SUPERSEDED:
        raise ValidationError("该版本已被新版本替代，请在当前版本上上传定稿。")
    folder = report_dir(report.kind, report.key)
    folder.mkdir(parents=True, exist_ok=True)
    with transaction.atomic():
        # The version row is the lock: two uploads at once get two numbers.
        Report.objects.filter(pk=report.pk).update(final_uploaded_at=timezone.now())
        Report.objects.select_for_update().get(pk=report.pk)
        n = FinalDocx.objects.filter(report=report).count() + 1
        path = folder / f"{report.kind}-{report.key}-v{report.version}-final-{n}.docx"
        while path.exists():  # a file left by an upload whose transaction failed: keep it
            n += 1
            path = folder / f"{report.kind}-{report.key}-v{report.version}-final-{n}.docx"
        tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.upload")
        try:
            with open(tmp, "wb") as fh:
                for chunk in upload.chunks():
                    fh.write(chunk)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
        name = str(path.relative_to(settings.MEDIA_ROOT))
        now = timezone.now()
        FinalDocx.objects.create(report=report, file=name, uploaded_at=now, uploaded_by=user)
        Report.objects.filter(pk=report.pk).update(final_docx=name, final_uploaded_at=now, final_uploaded_by=user)
    report.refresh_from_db()
    return report
