"""Writes of the report archive: build a report version (the one function the tasks and
the command call), request a build on the queue, send for review, issue, upload the
office's final Word file; and the two small jobs of the monthly rhythm: reminders to
units still missing, and closing a month at its lock date. (Corrections of issued
documents: reports.notices.)

A build is safe to run twice and at once: the report's series row is locked for the
write, files go to a temporary name and are moved into place whole. A build makes a new
draft and supersedes only the older draft: a version in review or issued never changes
state because of a build. Issuing takes the same lock, so that a build can never replace
a numbered version; a partial unique index allows one version per state."""

from __future__ import annotations

import logging
import os
import time
import uuid
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import models, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from actions import access, clock
from actions.access import can_issue_reports
from actions.models import Notification, Unit
from indicators.models import Submission
from indicators.months import reporting_month_get
from indicators.rules.officezip import DOCX_LIMITS, zip_problem
from indicators.rules.periods import PeriodError, format_month, parse_month, parse_quarter
from indicators.services.workflow import reporting_month_ensure
from indicators.status.read import reporting_rows
from reports import webhooks
from reports.builders.blocks import Document, Head, annex_title, annex_titles  # noqa: F401 - annex_title re-exported
from reports.builders.bulletin import bulletin_document
from reports.builders.common import BuildError
from reports.builders.dispatch import dispatch_document
from reports.builders.docx import render_docx
from reports.builders.pdf import render_pdf
from reports.builders.xlsx import render_xlsx
from reports.jobs import PICKUP_TIMEOUT, Heartbeat, heartbeat_timeout, temp_owner, temps_stale
from reports.models import DocNumber, FinalDocx, Kind, ReminderLog, Report, ReportSeries, ReportSettings
from reports.notices import notices_draft, printed_capture
from reports.schedules import scheduled_build_date

log = logging.getLogger(__name__)

FORMATS = ("docx", "pdf", "xlsx")
# Both are official documents (公文): Word, the same in PDF, and the Excel annex.
FORMATS_BY_KIND = {Kind.DISPATCH: FORMATS, Kind.BULLETIN: FORMATS}
RENDERERS = {"docx": render_docx, "pdf": render_pdf, "xlsx": render_xlsx}
FORMAT_LABELS = {"docx": "Word", "pdf": "PDF", "xlsx": "Excel附件"}
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# Test hook: seconds a build sleeps with a half-written file, so a test can kill the worker.
SLEEP_ENV = "REPORTS_BUILD_TEST_SLEEP"


class QueueUnavailable(Exception):
    """The Celery broker could not be reached; the message is for users."""


def normalize_key(kind: str, key: str) -> str:
    """'2022-6' → '2022-06' for a dispatch, '2022q2' → '2022Q2' for a bulletin; Chinese
    errors for anything else."""
    if kind == Kind.DISPATCH:
        return format_month(parse_month(key))
    if kind == Kind.BULLETIN:
        year, quarter = parse_quarter(key)
        return f"{year}Q{quarter}"
    raise BuildError(f"报告类别“{kind}”不存在，应为 dispatch(月调度)或 bulletin(季通报)。")


def report_document(
    *, kind: str, key: str, today: date | None = None, changes: list[dict] | None = None, doc_date: date | None = None
) -> Document:
    if kind == Kind.DISPATCH:
        return dispatch_document(period=parse_month(key), today=today, changes=changes, doc_date=doc_date)
    year, quarter = parse_quarter(key)
    return bulletin_document(year=year, quarter=quarter, today=today, changes=changes, doc_date=doc_date)


def default_doc_date(*, kind: str, key: str) -> date:
    """A draft's 成文日期: the day its schedule builds it (for month M's dispatch the
    scheduled day after M's deadline, for a quarter's bulletin the scheduled day after
    the quarter), whatever day the file is really built."""
    if kind == Kind.DISPATCH:
        period = parse_month(key)
        deadline = reporting_month_get(period).deadline
        return scheduled_build_date(kind=kind, period_end=period, deadline=deadline)
    year, quarter = parse_quarter(key)
    end = date(year, quarter * 3, 1)
    return scheduled_build_date(kind=kind, period_end=end, deadline=end)


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


def _report_dir(kind: str, key: str) -> Path:
    return Path(settings.MEDIA_ROOT) / "reports" / kind / key


def _render_temp(folder: Path, name: str, render, document: Document) -> Path:
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


def _clear_stale_temps(folder: Path) -> None:
    for stale in temps_stale(folder):
        stale.unlink(missing_ok=True)


def report_build(
    *,
    kind: str,
    key: str,
    user=None,
    task_id: str = "",
    changes: list[dict] | None = None,
    issue: bool = False,
    today: date | None = None,
    doc_date: date | None = None,
) -> Report:
    """Build a new version of a report with all its files: it replaces the older draft,
    never a version in review or an issued one (see _report_record).

    `doc_date` is the 成文日期: by default the day the schedule builds the report for a
    draft, today for a version issued at once (a 更正). An issued version takes its
    发文字号 here, and its 印发人 is `user`, who must be allowed to issue (None only from
    the command line, an operator's act).
    Raises BuildError (Chinese message) when the report cannot be built from the data."""
    if issue and user is not None:
        issue_check(user=user)
    try:
        key = normalize_key(kind, key)
    except PeriodError as e:
        raise BuildError(str(e)) from e
    series, _ = ReportSeries.objects.get_or_create(kind=kind, key=key)
    # A build outside a worker (the command, a synchronous correction) starts its own
    # clock, so that the sweep (reports.jobs) never judges it by an older queued job.
    own = {} if task_id else {"task_id": "", "requested_at": timezone.now()}
    ReportSeries.objects.filter(pk=series.pk).update(
        job_state=ReportSeries.Job.RUNNING, error="", heartbeat_at=timezone.now(), **own
    )
    with Heartbeat(series_pk=series.pk, task_id=task_id):
        return _report_build_running(
            series, user=user, task_id=task_id, changes=changes, issue=issue, today=today, doc_date=doc_date
        )


def _report_build_running(series, *, user, task_id, changes, issue, today, doc_date) -> Report:
    """report_build once its job is marked running (and its heartbeat beats): read,
    render outside any transaction, then record in one short one."""
    kind, key = series.kind, series.key
    if doc_date is None:
        doc_date = clock.today() if issue else default_doc_date(kind=kind, key=key)
    try:
        document = report_document(kind=kind, key=key, today=today, changes=changes, doc_date=doc_date)
        printed = printed_capture(kind=kind, key=key, today=today)
    except BuildError as e:
        report_job_fail(kind=kind, key=key, message=str(e))
        raise
    number = doc_number_take(kind=kind, year=doc_date.year) if issue else ""
    document.head = document_head(document=document, kind=kind, doc_date=doc_date, number=number)
    folder = _report_dir(kind, key)
    folder.mkdir(parents=True, exist_ok=True)
    _clear_stale_temps(folder)
    # Render before the transaction: a PDF takes seconds, and on SQLite a transaction
    # holds the whole database's write lock, so every save would wait for it.
    rendered = {}
    try:
        for fmt in FORMATS_BY_KIND[kind]:
            rendered[fmt] = _render_temp(folder, f"{kind}-{key}.{fmt}", RENDERERS[fmt], document)
        return _report_record(
            series,
            document,
            rendered,
            user=user,
            task_id=task_id,
            changes=changes,
            issue=issue,
            number=number,
            doc_date=doc_date,
            printed=printed,
        )
    finally:
        for tmp in rendered.values():
            tmp.unlink(missing_ok=True)


def _series_lock(series_pk: int, **update) -> None:
    """Lock a report's series row for the rest of the transaction: every build record and
    every issue of one report passes here, one at a time. PostgreSQL holds the row until
    commit; SQLite's write lock is taken by the update, which comes first so that it is
    taken before any read."""
    ReportSeries.objects.filter(pk=series_pk).update(**(update or {"task_id": models.F("task_id")}))
    ReportSeries.objects.select_for_update(of=("self",)).get(pk=series_pk)


def _report_record(series, document, rendered: dict, *, user, task_id, changes, issue, number, doc_date, printed) -> Report:
    """The short transaction of a build: number the version, move its files into place,
    write the rows. The new version replaces the older draft only; an issued version
    stays the current issued one (and one in review stays in review)."""
    kind, key, folder = series.kind, series.key, _report_dir(series.kind, series.key)
    now = clock.now()  # shown as 生成于/印发于: the product's clock (the demo's moment in the demo)
    with transaction.atomic():
        # A second build of the same report waits here, then adds the next version.
        _series_lock(series.pk, job_state=ReportSeries.Job.RUNNING)
        version = (Report.objects.filter(kind=kind, key=key).aggregate(v=Max("version"))["v"] or 0) + 1
        names = {}
        for fmt, tmp in rendered.items():
            path = folder / f"{kind}-{key}-v{version}.{fmt}"
            os.replace(tmp, path)
            names[fmt] = str(path.relative_to(settings.MEDIA_ROOT))
        replaced = [Report.State.DRAFT, Report.State.ISSUED] if issue else [Report.State.DRAFT]
        Report.objects.filter(kind=kind, key=key, state__in=replaced).update(state=Report.State.SUPERSEDED)
        report = Report.objects.create(
            series=series,
            kind=kind,
            key=key,
            version=version,
            state=Report.State.ISSUED if issue else Report.State.DRAFT,
            issued_at=now if issue else None,
            issued_by=user if issue else None,
            is_correction=bool(changes),
            changes=changes or [],
            title=document.title,
            content=document.content(),
            doc_number=number,
            doc_date=doc_date,
            head=asdict(document.head),
            printed=printed,
            built_at=now,
            built_by=user,
            task_id=task_id,
            **names,
        )
        ReportSeries.objects.filter(pk=series.pk).update(job_state=ReportSeries.Job.DONE, error="", finished_at=timezone.now())
    log.info("built %s %s v%s", kind, key, version)
    return report


def _render(path: Path, fmt: str, document: Document) -> None:
    """One file of a version, written whole: rendered beside it, then moved into place."""
    os.replace(_render_temp(path.parent, path.name, RENDERERS[fmt], document), path)


def report_job_fail(*, kind: str, key: str, message: str) -> None:
    ReportSeries.objects.filter(kind=kind, key=key).update(
        job_state=ReportSeries.Job.FAILED, error=message, finished_at=timezone.now()
    )


def _enqueue(series: ReportSeries) -> None:
    """Send the job: its kind, key and task id only. What it builds (a 更正's changes,
    whether it is issued, by whom) was recorded on the series row by the service that
    checked the request; the worker reads it there."""
    from kombu.exceptions import OperationalError as BrokerError

    from reports.tasks import report_build_task

    try:
        report_build_task.apply_async(
            args=[series.kind, series.key],
            task_id=series.task_id,
            retry=False,  # fail fast: the office is waiting for an answer
        )
    except BrokerError as e:
        message = "任务队列暂不可用，报告未能开始生成。请稍后重试，或联系管理员检查后台任务服务。"
        report_job_fail(kind=series.kind, key=series.key, message=message)
        raise QueueUnavailable(message) from e


def issue_check(*, user) -> None:
    """印发 is a person's act: only someone who may issue (the office), never nobody."""
    if not can_issue_reports(user):
        raise ValidationError("只有市优化办人员可以印发报告。")


def report_build_request(*, kind: str, key: str, user=None, changes=None, issue: bool = False) -> ReportSeries:
    """Queue a build (on commit). Pressing the button twice queues one job, not two.
    An issued build (a 更正) is asked for by someone who may issue; the request — who,
    what changes, issued or not — is recorded on the series row for the worker."""
    if issue:
        issue_check(user=user)
    try:
        key = normalize_key(kind, key)
    except PeriodError as e:
        raise BuildError(str(e)) from e
    report_document_check(kind=kind, key=key)
    series, _ = ReportSeries.objects.get_or_create(kind=kind, key=key)
    task_id = str(uuid.uuid4())
    now = timezone.now()
    # Busy: running (the sweep fails it if its worker died), or queued and still within
    # the minute a worker takes to pick it up (after that the page offers a retry).
    busy = Q(job_state=ReportSeries.Job.RUNNING, heartbeat_at__gte=now - heartbeat_timeout()) | Q(
        job_state=ReportSeries.Job.QUEUED, requested_at__gte=now - PICKUP_TIMEOUT
    )
    updated = (
        ReportSeries.objects.filter(pk=series.pk)
        .exclude(busy)
        .update(
            job_state=ReportSeries.Job.QUEUED,
            task_id=task_id,
            error="",
            requested_at=timezone.now(),
            requested_by=user,
            finished_at=None,
            changes=changes or [],
            issue=issue,
        )
    )
    series.refresh_from_db()
    if updated or changes:
        if not updated:  # a correction must not be lost behind a plain rebuild
            ReportSeries.objects.filter(pk=series.pk).update(
                task_id=task_id, requested_by=user, changes=changes or [], issue=issue
            )
            series.task_id = task_id
        transaction.on_commit(lambda: _enqueue(series))
    return series


def report_document_check(*, kind: str, key: str) -> None:
    """Refuse at once (before queueing) what cannot be built: a year without a plan."""
    from reports.builders.common import plan_of

    plan_of(int(key[:4]))


def report_submit_review(*, report: Report, user) -> Report:
    """送审: the office sends the current draft for review; it is then kept whatever is
    rebuilt beside it, until it is issued or another draft is sent in its place."""
    with transaction.atomic():
        _series_lock(report.series_id)
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
        _series_lock(report.series_id)
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
    folder = _report_dir(report.kind, report.key)
    folder.mkdir(parents=True, exist_ok=True)
    names = {}
    for fmt in ("docx", "pdf"):
        if fmt not in FORMATS_BY_KIND[report.kind]:
            continue
        path = folder / f"{report.kind}-{report.key}-v{report.version}-issued.{fmt}"
        _render(path, fmt, document)
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
    folder = _report_dir(report.kind, report.key)
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


def corrections_accepted(*, unit_months, user=None) -> list:
    """The office accepted corrected unit-months ((unit, period)): every issued document
    that printed one gets a draft 更正通知 for the office to review and issue
    (reports.notices), on commit, once the month's statuses are written. Returns the
    unit-months; nothing is built or issued here."""
    pending = list(unit_months)

    def draft():
        for unit, period in pending:
            notices_draft(unit=unit, period=period, user=user)

    if pending:
        # Robust: the acceptance stands if a notice cannot be drafted (logged; the office
        # is told only of notices drafted).
        transaction.on_commit(draft, robust=True)
    return pending


# -- the monthly rhythm --------------------------------------------------------------


def missing_units_remind(*, period: date, today: date | None = None) -> list[str]:
    """催报 on schedule: remind every expected unit that has not yet submitted month
    `period`. Returns the names of the units reminded."""
    today = today or clock.today()
    done = {s.unit_id for s in Submission.objects.filter(period=period) if s.counts_as_submitted}
    missing = [r.unit for r in reporting_rows(period=period, today=today) if r.unit_id not in done]
    result = reminders_send(period=period, units=missing)
    log.info("reminded %d units for %s (today %s)", len(missing), format_month(period), today)
    return [u.name for u in result.reached + result.unreachable]


def month_lock(*, period: date, today: date | None = None) -> bool:
    """Close month `period` at its lock date: its dates are fixed (the row is created
    with the calendar's defaults if the office never set them). Entry forms refuse
    changes after the lock date; corrections then go through the correction workflow.
    Returns whether the month is closed."""
    today = today or clock.today()
    month = reporting_month_ensure(period)
    closed = today > month.lock_date
    log.info("month %s lock date %s: %s", format_month(period), month.lock_date, "closed" if closed else "open")
    return closed


def entry_url(unit: Unit, period: date) -> str:
    return reverse("indicators:entry", args=[unit.code, format_month(period)])


@dataclass
class ReminderResult:
    sent: int = 0  # emails delivered (one per user)
    robots: int = 0  # group-robot messages delivered
    robots_queued: int = 0  # group-robot messages left to the worker (robots_later)
    robot_units: list[Unit] = field(default_factory=list)  # the units those messages cover
    reached: list[Unit] = field(default_factory=list)  # by mail or a group robot
    unreachable: list[Unit] = field(default_factory=list)  # by neither: in-app at most, so phone them
    no_account: list[Unit] = field(default_factory=list)  # nobody to log in and report: phone them
    failed: list[str] = field(default_factory=list)  # "衡南县 · 群机器人:无法连接…"
    logs: list[ReminderLog] = field(default_factory=list)


def reminder_text(*, unit: Unit, period: date, deadline: date, sender) -> tuple[str, str]:
    month = f"{period.year}年{period.month}月"
    subject = f"【催报】请尽快报送{month}营商环境攻坚行动监测数据"
    who = (sender.get_full_name() or sender.get_username()) if sender else ""
    body = (
        f"{unit.name}:\n\n"
        f"贵单位{month}的监测数据尚未报送(按时报送截止日为{deadline.year}年{deadline.month}月{deadline.day}日)。"
        "请登录衡阳市营商环境攻坚行动监测平台尽快填报并提交;"
        "未达标的指标请一并填写情况说明和整改措施。\n\n"
        f"市优化办 {who}\n"
    )
    return subject, body


def _send_mails(messages: list[tuple[Unit, object, EmailMessage]], log_row) -> int:
    """Each mail on its own, over one connection: a refused address or a mail server
    that is down is logged against that mail and never stops the 催报."""
    sent = 0
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
    except Exception as exc:  # the server is down: every mail fails, 催报 goes on
        for unit, user, _m in messages:
            log_row(unit, ReminderLog.Channel.MAIL, user=user, error="邮件服务器不可用", detail=repr(exc))
        return 0
    try:
        for unit, user, message in messages:
            try:
                sent += connection.send_messages([message]) or 0
                log_row(unit, ReminderLog.Channel.MAIL, user=user)
            except Exception as exc:
                error = "邮件发送失败(地址被拒收或邮件服务器出错)"
                log_row(unit, ReminderLog.Channel.MAIL, user=user, error=error, detail=repr(exc))
    finally:
        try:
            connection.close()
        except Exception:
            log.warning("closing the mail connection failed", exc_info=True)
    return sent


def reminders_send(*, period: date, units: list[Unit], sender=None, robots_later: bool = False) -> ReminderResult:
    """催报 by every channel a unit has: an in-app notification and an email to each of
    its active users (with an address), and a message to its group robot
    (settings.REMINDER_WEBHOOKS: the unit's own, else the default robot, which gets one
    message naming every unit it covers). Every delivery is logged (ReminderLog);
    failures are logged and reported, never raised. Units with no active account are
    logged for phone follow-up. `sender` None is the scheduled job. `robots_later`
    (the office's request): the robots are posted by the Celery worker, queued on
    commit, and log their deliveries there."""
    deadline = reporting_month_get(period).deadline
    users = get_user_model().objects.filter(
        membership__unit__in=units, membership__role__in=access.UNIT_ACTING_ROLES, is_active=True
    )
    by_unit: dict[int, list] = {}
    for user in users.select_related("membership"):
        by_unit.setdefault(user.membership.unit_id, []).append(user)
    result = ReminderResult()
    arrived: set[int] = set()  # units reached by mail or robot
    log_row = _reminder_logger(period=period, sender=sender, result=result, arrived=arrived)

    notices, mails = [], []
    for unit in units:
        recipients = by_unit.get(unit.pk, [])
        subject, body = reminder_text(unit=unit, period=period, deadline=deadline, sender=sender)
        if not recipients:
            result.no_account.append(unit)
            log_row(unit, ReminderLog.Channel.PHONE)
        for u in recipients:
            notices.append(Notification(user=u, text=subject, url=entry_url(unit, period)))
            log_row(unit, ReminderLog.Channel.IN_APP, user=u)
            if u.email:
                mails.append((unit, u, EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [u.email])))
    # In-app notices here; the reminder's own mail replaces notify()'s short one.
    Notification.objects.bulk_create(notices)
    if mails:
        result.sent = _send_mails(mails, log_row)
    robots = _robot_messages(period=period, units=units, deadline=deadline, sender=sender)
    if robots and robots_later:
        result.robots_queued = len(robots)
        result.robot_units = [u for covered, _r, _m in robots for u in covered]
        ids = [u.pk for u in result.robot_units]
        transaction.on_commit(lambda: _enqueue_robots(period=period, unit_ids=ids, sender=sender))
    elif robots:
        result.robots = _robots_post(robots, log_row)
    for unit in units:
        (result.reached if unit.pk in arrived else result.unreachable).append(unit)
    ReminderLog.objects.bulk_create(result.logs)
    return result


def reminder_robots_send(*, period: date, units: list[Unit], sender=None) -> ReminderResult:
    """The group-robot part of 催报, in the Celery worker: post to each unit's robot
    (or the default one) within the configured deadline each, and log every delivery."""
    result = ReminderResult()
    log_row = _reminder_logger(period=period, sender=sender, result=result, arrived=set())
    deadline = reporting_month_get(period).deadline
    result.robots = _robots_post(_robot_messages(period=period, units=units, deadline=deadline, sender=sender), log_row)
    ReminderLog.objects.bulk_create(result.logs)
    return result


def _reminder_logger(*, period: date, sender, result: ReminderResult, arrived: set[int]):
    def log_row(unit, channel, *, user=None, error="", detail=""):
        result.logs.append(
            ReminderLog(
                period=period,
                unit=unit,
                user=user,
                channel=channel,
                ok=not error,
                error=error[:300],
                detail=detail[:1000],
                sent_by=sender,
            )
        )
        if error:
            result.failed.append(f"{unit.name} · {ReminderLog.Channel(channel).label}:{error}")
        elif channel in (ReminderLog.Channel.MAIL, ReminderLog.Channel.WEBHOOK):
            arrived.add(unit.pk)

    return log_row


def _robot_messages(*, period: date, units: list[Unit], deadline: date, sender) -> list[tuple[list[Unit], webhooks.Robot, dict]]:
    """(units covered, robot, message) of every robot message a 催报 sends."""
    robots, default_units = [], []
    for unit in units:
        robot = settings.REMINDER_WEBHOOKS.get(unit.code)
        if robot:
            subject, body = reminder_text(unit=unit, period=period, deadline=deadline, sender=sender)
            robots.append(([unit], robot, webhooks.payload(robot.kind, title=subject, text=body)))
        elif webhooks.DEFAULT in settings.REMINDER_WEBHOOKS:
            default_units.append(unit)
    if default_units:
        robot = settings.REMINDER_WEBHOOKS[webhooks.DEFAULT]
        month = f"{period.year}年{period.month}月"
        title = f"【催报】以下单位尚未报送{month}监测数据"
        text = (
            "、".join(u.name for u in default_units)
            + f"\n\n按时报送截止日为{deadline.year}年{deadline.month}月{deadline.day}日,请尽快登录平台填报并提交。"
        )
        robots.append((default_units, robot, webhooks.payload(robot.kind, title=title, text=text)))
    return robots


def _robots_post(robots, log_row) -> int:
    """Post side by side (a few that hang cost one deadline, not one each); log each
    delivery with the Chinese summary for the office and the detail for admins."""
    with ThreadPoolExecutor(max_workers=8) as pool:
        errors = list(pool.map(lambda r: webhooks.post(r[1], r[2], timeout=settings.REMINDER_WEBHOOK_TIMEOUT), robots))
    delivered = 0
    for (covered, _robot, _message), error in zip(robots, errors, strict=True):
        delivered += error is None
        if error is not None:
            log.warning("robot 催报 failed for %s: %s", "、".join(u.code for u in covered), error.detail)
        for unit in covered:
            log_row(
                unit,
                ReminderLog.Channel.WEBHOOK,
                error=error.summary if error else "",
                detail=error.detail if error else "",
            )
    return delivered


def _enqueue_robots(*, period: date, unit_ids: list[int], sender) -> None:
    from kombu.exceptions import OperationalError as BrokerError

    from reports.tasks import reminder_robots_task

    try:
        reminder_robots_task.apply_async(
            args=[format_month(period), unit_ids], kwargs={"sender_id": sender.pk if sender else None}, retry=False
        )
    except BrokerError as exc:
        log.error("robot 催报 not queued: %s", exc)
        ReminderLog.objects.bulk_create(
            ReminderLog(
                period=period,
                unit_id=pk,
                channel=ReminderLog.Channel.WEBHOOK,
                ok=False,
                sent_by=sender,
                error="后台任务队列暂不可用,群机器人消息未发送,请稍后重新催报",
                detail=str(exc)[:1000],
            )
            for pk in unit_ids
        )
