"""What the writes of a document share (reports.services.build, .issue and the 更正通知 of
reports.notices): its formats and renderers, the 公文 head around its body and its 发文字号,
a file written whole, and the lock of a report's series that every build record and every
issue passes one at a time."""

from __future__ import annotations

import os
import time
import uuid
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import models, transaction

from reports.builders.blocks import Document, Head, annex_titles
from reports.builders.common import BuildError
from reports.builders.docx import render_docx
from reports.builders.pdf import render_pdf
from reports.builders.xlsx import render_xlsx
from reports.jobs import temp_owner
from reports.models import DocNumber, Kind, ReportSeries, ReportSettings

FORMATS = ("docx", "pdf", "xlsx")
# Both are official documents (公文): Word, the same in PDF, and the Excel annex.
FORMATS_BY_KIND = {Kind.DISPATCH: FORMATS, Kind.BULLETIN: FORMATS}
RENDERERS = {"docx": render_docx, "pdf": render_pdf, "xlsx": render_xlsx}
FORMAT_LABELS = {"docx": "Word", "pdf": "PDF", "xlsx": "Excel附件"}
# Test hook: seconds a build sleeps with a half-written file, so a test can kill the worker.
SLEEP_ENV = "REPORTS_BUILD_TEST_SLEEP"


def number_prefix(kind: str) -> str:
    if kind == Kind.BULLETIN:
        return settings.REPORT_NUMBER_PREFIX_BULLETIN
    return settings.REPORT_NUMBER_PREFIX_DISPATCH


def doc_number_take(*, kind: str, year: int) -> str:
    """The next 发文字号 of a series and year (衡优化办通〔2022〕3号). The sequence row is
    locked for the increment; a number once taken is never given again, even if the
    issue that took it fails afterwards."""
    with transaction.atomic():
        DocNumber.objects.get_or_create(series=kind, year=year)
        # Update first: SQLite then holds its write lock; PostgreSQL locks the row.
        DocNumber.objects.filter(series=kind, year=year).update(last=models.F("last") + 1)
        n = DocNumber.objects.select_for_update().get(series=kind, year=year).last
    return f"{number_prefix(kind)}〔{year}〕{n}号"


def document_head(*, document: Document, kind: str, doc_date: date, number: str = "") -> Head:
    """The 公文 elements around the body, from the office's settings."""
    office = ReportSettings.current()
    return Head(
        issuer=office.issuer,
        number=number,
        number_prefix=number_prefix(kind),
        year=doc_date.year,
        to=office.bulletin_to if kind == Kind.BULLETIN else office.dispatch_to,
        annexes=annex_titles(document.sheets),
        signer=office.issuer,
        date=doc_date.isoformat(),
        sealed=office.sealed,
        cc=office.cc,
        printer=office.issuer,
        print_date=doc_date.isoformat(),
        remark="；".join(x for x in (office.disclosure, f"联系人：{office.contact}" if office.contact else "") if x),
    )


def temp_render(folder: Path, name: str, render, document: Document) -> Path:
    """Render to a temporary file in the report's folder (named after this process: see
    reports.jobs.temps_stale) and return it; the build moves it into place in one step,
    so that a reader (or a worker killed mid-write) never leaves or sees half a file."""
    tmp = folder / f".{name}.{temp_owner()}.{uuid.uuid4().hex}.tmp"
    try:
        try:
            render(document, tmp)
        except (ValueError, TypeError) as e:
            # The renderers clean text; this is the guard: say where the text sits, in a
            # message the office can act on.
            where = document.text_problem()
            if where:
                raise BuildError(f"报告生成失败：{where}。请修改该内容后重新生成。") from e
            raise
        pause = float(os.environ.get(SLEEP_ENV) or 0)
        if pause:
            time.sleep(pause)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def series_lock(series_pk: int, **update) -> None:
    """Lock a report's series row for the rest of the transaction: every build record and
    every issue of one report passes here, one at a time. PostgreSQL holds the row until
    commit; SQLite's write lock is taken by the update, which comes first so that it is
    taken before any read."""
    ReportSeries.objects.filter(pk=series_pk).update(**(update or {"task_id": models.F("task_id")}))
    ReportSeries.objects.select_for_update(of=("self",)).get(pk=series_pk)


def file_render(path: Path, fmt: str, document: Document) -> None:
    """One file of a version, written whole: rendered beside it, then moved into place."""
    os.replace(temp_render(path.parent, path.name, RENDERERS[fmt], document), path)
