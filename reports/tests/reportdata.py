"""Test data for the report tests (not a test module): a June 2022 with known figures,
submissions and task reports, and helpers to read the produced files."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from actions.models import Task, TaskReport, Unit
from indicators.models import Figure, Metric, ReportingMonth, Submission
from indicators.status.refresh import status_refresh

MAY, JUNE = date(2022, 5, 1), date(2022, 6, 1)
TODAY = date(2022, 7, 8)


def _at(y, m, d):
    return timezone.make_aware(datetime(y, m, d, 10, 0))


def june(plan) -> dict:
    """_june(plan), made once per test process for each state of the database it meets
    and put back afterwards (tests/snapshots.py): it judges six months."""
    from actions import clock
    from tests.snapshots import seeded

    return seeded(("june", plan.year, clock.today()), lambda: _june(plan))


def _june(plan) -> dict:
    """企业开办时间 (≤ 0.5 个工作日): 祁东县 turns red in June (3 days), 衡南县 was red in
    May (0.6) and is green in June (0.4: the mean of May and June, its year-end outlook,
    still meets the target, so no 预警). 衡东县's "双随机、一公开" coverage (building up to 100% by
    December, June's pace 50%, band 5 points) is 46% in June: behind its pace within the
    band, yellow. 衡南县 submitted on time, 祁东县 and 衡东县 late; every other unit is
    missing."""
    m = Metric.objects.get(plan=plan, code="business_start_days")
    u = {c: Unit.objects.get(code=c) for c in ("qidong", "hengnan", "hengdong")}
    for period in (MAY, JUNE):
        ReportingMonth.objects.get_or_create(
            period=period, defaults={"deadline": date(2022, period.month + 1, 6), "lock_date": date(2022, period.month + 1, 15)}
        )
    Figure.objects.create(unit=u["qidong"], metric=m, period=MAY, value=Decimal("0.4"), cases=8)
    Figure.objects.create(unit=u["hengnan"], metric=m, period=MAY, value=Decimal("0.6"), cases=8, explanation="五月人手不足")
    Figure.objects.create(
        unit=u["qidong"],
        metric=m,
        period=JUNE,
        value=Decimal("3"),
        cases=5,
        explanation="窗口人员不足,办件积压",
        measures="增派窗口人员,推行容缺受理",
    )
    Figure.objects.create(unit=u["hengnan"], metric=m, period=JUNE, value=Decimal("0.4"), cases=10)
    # A plan whose coverage target has a 5-point band behind its pace (the 2022 file gives
    # none): the sample 预警 of these documents.
    Metric.objects.filter(plan=plan, code="double_random_coverage").update(tolerance=5)
    Figure.objects.create(
        unit=u["hengdong"],
        metric=Metric.objects.get(plan=plan, code="double_random_coverage"),
        period=JUNE,
        numerator=46,
        denominator=100,
        explanation="系统对接中",
        measures="月底前完成对接",
    )
    Submission.objects.create(unit=u["hengnan"], period=JUNE, state="accepted", submitted_at=_at(2022, 7, 4))
    Submission.objects.create(unit=u["qidong"], period=JUNE, state="submitted", submitted_at=_at(2022, 7, 9), is_late=True)
    Submission.objects.create(unit=u["hengdong"], period=JUNE, state="submitted", submitted_at=_at(2022, 7, 10), is_late=True)
    Submission.objects.create(unit=Unit.objects.get(code="zhuhui"), period=JUNE, state="draft")
    task = Task.objects.get(plan=plan, code="a1-1")
    TaskReport.objects.create(
        unit=u["hengnan"], task=task, period=JUNE, state="done", narrative="全面推行一网通办", highlight=True
    )
    TaskReport.objects.create(unit=u["qidong"], task=task, period=JUNE, state="delayed", narrative="进度滞后")
    TaskReport.objects.create(unit=u["hengdong"], task=task, period=JUNE, state="on_track", narrative="按计划")
    # The stored status rows of the closed months, as the saves' commits would have left
    # them (inside a test's transaction no commit comes): pages and documents read them.
    status_refresh(periods=[date(2022, m, 1) for m in range(1, 7)], today=date(2022, 7, 1))
    return {"metric": m, **u}


def june_dispatch(plan, *, issued_by=None, doc_date=None, needs_approval=False):
    """june(plan) with June's dispatch built (as of TODAY), and issued by `issued_by` on
    `doc_date` when given; 衡南县 needs its approver when `needs_approval`. Made once per
    test process for each state of the database it meets and put back afterwards, files
    and all (tests/snapshots.py): a build renders a Word file, a PDF and a workbook.
    Returns (june's data, the report)."""
    from actions import clock
    from reports.services.build import report_build
    from reports.services.issue import report_issue
    from tests.snapshots import seeded

    def recipe():
        data = june(plan)
        if needs_approval:
            Unit.objects.filter(code="hengnan").update(needs_approval=True)
        report = report_build(kind="dispatch", key="2022-06", today=TODAY)
        if issued_by is not None:
            report = report_issue(report=report, user=issued_by, doc_date=doc_date)
        return data, report

    key = ("june_dispatch", plan.year, getattr(issued_by, "pk", None), doc_date, needs_approval, clock.today())
    return seeded(key, recipe)


def media_path(field) -> Path:
    return Path(settings.MEDIA_ROOT) / field.name


def docx_text(path) -> str:
    """The text of a Word file, a paragraph a line. The line breaks the renderer sets
    inside a paragraph or a cell (reports.builders.compose) are layout, not text: dropped."""
    from docx import Document

    doc = Document(str(path))
    parts = [p.text.replace("\n", "") for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            parts.append(" | ".join(c.text.replace("\n", "") for c in row.cells))
    return "\n".join(parts)


def docx_tables(path) -> list[list[list[str]]]:
    from docx import Document

    return [[[c.text.replace("\n", "") for c in row.cells] for row in t.rows] for t in Document(str(path)).tables]


def xlsx_rows(path, sheet: str) -> list[list]:
    from openpyxl import load_workbook

    from reports.builders.xlsx import TITLE_ROWS

    ws = load_workbook(str(path), read_only=True)[sheet]
    rows = []
    for r in ws.iter_rows(min_row=TITLE_ROWS + 1, values_only=True):  # from the header
        if all(v is None for v in r):
            break  # the table ends; its 注 follow an empty row
        rows.append(list(r))
    return rows


def pdf_text(path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)
