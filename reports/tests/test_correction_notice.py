"""The 更正通知: nothing is issued by a reporter's or an approver's step; when the office
accepts a corrected month that an issued document printed, one notice per affected
document is drafted, citing the original 文号 and listing what the document printed →
what the correction makes of it (figures, statuses, totals), computed from the document's
printed facts and never from the day's data; the office issues it with its own number."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from actions.models import Unit
from indicators.models import CorrectionRequest, Figure, Metric, Submission
from indicators.services import review, workflow
from indicators.status.refresh import status_refresh
from reports.models import CorrectionNotice, Report
from reports.notices import notice_issue, notice_submit_review
from reports.services.build import report_build
from reports.services.issue import report_issue
from reports.tests.reportdata import JUNE, TODAY, june, june_dispatch

ISSUED_ON = date(2022, 7, 12)


@pytest.fixture
def issued(plan_2022, users, settings, tmp_path):
    """June's dispatch issued (衡南县 0.4个工作日, 达标); 衡南县 needs its approver."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return june_dispatch(plan_2022, issued_by=users["office"], doc_date=ISSUED_ON, needs_approval=True)[1]


def _reopen(users, unit):
    req = workflow.correction_request(unit=unit, period=JUNE, user=users["reporter"], reason="企业开办件数漏报")
    workflow.correction_decide(request_id=req.pk, user=users["office"], approve=True)


def _resubmit(users, unit, value: str):
    metric = Metric.objects.get(plan__year=2022, code="business_start_days")
    sub = Submission.objects.get(unit=unit, period=JUNE)
    workflow.entry_save(
        unit=unit,
        period=JUNE,
        user=users["reporter"],
        version=sub.version,
        figures={metric.pk: {"value": Decimal(value), "cases": 10}},
        tasks={},
        submit=True,
    )


def _correct(users, capture, value="0.8"):
    """衡南县 corrects June's 企业开办时间 0.4 → `value`: request, approval, resubmission,
    the unit's approval, and the office's acceptance; the notices drafted on commit."""
    unit = Unit.objects.get(code="hengnan")
    with capture(execute=True):
        _reopen(users, unit)
    with capture(execute=True):
        _resubmit(users, unit, value)
    assert not CorrectionNotice.objects.exclude(state="issued").exists()  # the reporter's 提交 issues nothing
    with capture(execute=True):
        review.submission_approve(unit=unit, period=JUNE, user=users["approver"])
    assert not CorrectionNotice.objects.exclude(state="issued").exists()  # nor the unit approver's
    with capture(execute=True):
        review.submission_accept(unit=unit, period=JUNE, user=users["office"])


def test_no_step_of_a_reporter_or_approver_issues_anything(issued, users, django_capture_on_commit_callbacks):
    _correct(users, django_capture_on_commit_callbacks)
    assert list(Report.objects.values_list("version", "state", "doc_number")) == [(1, "issued", issued.doc_number)]
    notice = CorrectionNotice.objects.get()
    assert notice.state == CorrectionNotice.State.DRAFT and not notice.doc_number and notice.issued_by is None


def test_the_notice_says_what_the_document_printed_and_what_the_correction_makes_of_it(
    issued, users, django_capture_on_commit_callbacks
):
    printed = issued.printed
    # After the issue, another unit's June figure moves (a late fix): not this notice's business.
    Figure.objects.filter(unit__code="qidong", period=JUNE).update(value=Decimal("0.3"))
    status_refresh(periods=[JUNE])

    _correct(users, django_capture_on_commit_callbacks)

    notice = CorrectionNotice.objects.get()
    assert notice.original == issued
    assert notice.title == f"关于更正《{issued.title}》（{issued.doc_number}）的通知"
    assert notice.changes["figures"] == [
        {
            "key": "2022-06|hengnan|business_start_days",
            "period": "2022-06",
            "unit": "衡南县",
            "metric": "企业开办时间",
            "old": "0.4个工作日",
            "new": "0.8个工作日",
            "old_status": "达标",
            "new_status": "未达标",
        }
    ]
    before = {k: v for k, v in notice.changes["totals"]["before"].items()}
    after = {k: v for k, v in notice.changes["totals"]["after"].items()}
    assert after["达标"] == before["达标"] - 1 and after["未达标"] == before["未达标"] + 1  # qidong's later fix not counted
    text = " ".join(b["text"] + " ".join(" ".join(r) for r in (b["rows"] or [])) for b in notice.content)
    assert issued.doc_number in text and "0.4个工作日 0.8个工作日 达标→未达标" in text
    assert "截至" not in text  # nothing from the day's data
    issued.refresh_from_db()
    assert issued.printed == printed and issued.state == Report.State.ISSUED  # the original unchanged


def test_the_office_reviews_and_issues_the_notice_with_its_own_number(issued, users, django_capture_on_commit_callbacks):
    _correct(users, django_capture_on_commit_callbacks)
    notice = notice_submit_review(notice=CorrectionNotice.objects.get(), user=users["office"])
    assert notice.state == CorrectionNotice.State.REVIEW
    notice = notice_issue(notice=notice, user=users["office"], doc_date=date(2022, 8, 3))
    assert notice.state == CorrectionNotice.State.ISSUED and notice.issued_by == users["office"]
    assert notice.doc_number == issued.doc_number.replace("1号", "2号")  # its own number, in the same series
    assert notice.docx and notice.pdf
    with pytest.raises(ValidationError):
        notice_issue(notice=notice, user=users["office"])


def test_the_notice_is_short_and_its_signature_never_stands_alone(issued, users, django_capture_on_commit_callbacks):
    """1–2 pages, in PDF and in Word as LibreOffice lays it out; the page with the 成文日期
    also holds the end of the body."""
    from pypdf import PdfReader

    from reports.builders.soffice import docx_to_pdf
    from reports.tests.reportdata import media_path

    _correct(users, django_capture_on_commit_callbacks)
    notice = notice_issue(notice=CorrectionNotice.objects.get(), user=users["office"], doc_date=date(2022, 8, 3))
    for pdf in (media_path(notice.pdf), docx_to_pdf(media_path(notice.docx), media_path(notice.docx).parent / "lo")):
        pages = ["".join(p.extract_text().split()) for p in PdfReader(pdf).pages]
        assert 1 <= len(pages) <= 2, pdf
        signed = [p for p in pages if re.search("2022年8月3日(?!印发)", p)]  # the 成文日期, not the 版记's 印发日期
        assert len(signed) == 1 and "特此通知" in signed[0], pdf


def test_a_second_correction_compares_against_what_the_first_notice_published(issued, users, django_capture_on_commit_callbacks):
    _correct(users, django_capture_on_commit_callbacks, value="0.8")
    notice_issue(notice=CorrectionNotice.objects.get(), user=users["office"], doc_date=date(2022, 8, 3))
    _correct(users, django_capture_on_commit_callbacks, value="0.45")
    second = CorrectionNotice.objects.get(state="draft")
    assert [(c["old"], c["new"], c["old_status"], c["new_status"]) for c in second.changes["figures"]] == [
        ("0.8个工作日", "0.45个工作日", "未达标", "预警")  # met, but the year-end outlook (May 0.6) misses
    ]


def test_a_correction_that_changes_nothing_printed_drafts_no_notice(issued, users, django_capture_on_commit_callbacks):
    _correct(users, django_capture_on_commit_callbacks, value="0.4")  # the figure as printed
    assert not CorrectionNotice.objects.exists()
    assert CorrectionRequest.objects.get().state == "approved"


def test_ranks_after_a_correction_match_the_ranks_of_the_corrected_data(
    plan_2022, users, settings, tmp_path, django_capture_on_commit_callbacks
):
    """An oracle: the bulletin's ranks computed from its printed facts plus the correction
    equal the ranks the scoring gives on the corrected data (the rest unchanged)."""
    from reports.notices import printed_capture

    settings.MEDIA_ROOT = tmp_path / "media"
    june(plan_2022)
    Unit.objects.filter(code="hengnan").update(needs_approval=True)
    bulletin = report_issue(report=report_build(kind="bulletin", key="2022Q2", today=TODAY), user=users["office"])
    _correct(users, django_capture_on_commit_callbacks, value="0.8")

    notice = CorrectionNotice.objects.get(original=bulletin)
    recomputed = printed_capture(kind="bulletin", key="2022Q2", today=TODAY)
    ranks = lambda printed: {g: {u: (r["rank"], r["score"]) for u, r in rows.items()} for g, rows in printed["ranks"].items()}  # noqa: E731
    assert ranks(notice.printed) == ranks(recomputed)
    assert ranks(notice.printed) != ranks(bulletin.printed)  # the correction moved 衡南县's score
    assert any(r["unit"] == "衡南县" for r in notice.changes["ranks"])


def test_the_city_figure_is_the_printed_one_plus_the_correction_not_the_days_data(
    plan_2022, users, settings, tmp_path, django_capture_on_commit_callbacks
):
    """The bulletin prints the city's 企业开办时间, which 衡南县's figure is part of. After it
    was issued another unit's June figure moved (a later fix, not corrected through the
    office): the notice's 全市 value is the printed units' figures with 衡南县's correction,
    what the data would say had only the correction happened, never today's."""
    from indicators.selectors import status_board
    from reports.builders.common import value_text

    settings.MEDIA_ROOT = tmp_path / "media"
    june(plan_2022)
    Unit.objects.filter(code="hengnan").update(needs_approval=True)
    bulletin = report_issue(report=report_build(kind="bulletin", key="2022Q2", today=TODAY), user=users["office"])
    metric = Metric.objects.get(plan__year=2022, code="business_start_days")
    later = Figure.objects.filter(unit__code="qidong", period=JUNE, metric=metric)
    was = later.get().value
    later.update(value=Decimal("0.3"))
    status_refresh(periods=[JUNE])

    _correct(users, django_capture_on_commit_callbacks, value="0.8")

    def city_now() -> str:
        return value_text(status_board(plan=plan_2022, period=JUNE).city_rows[metric.pk])

    days_data = city_now()
    later.update(value=was)  # the data had only the correction happened
    status_refresh(periods=[JUNE])
    oracle = city_now()
    assert days_data != oracle
    notice = CorrectionNotice.objects.get(original=bulletin)
    city = [c for c in notice.changes["figures"] if c["unit"] == "全市" and c["metric"] == metric.name]
    assert city and city[0]["new"] == oracle
    assert city[0]["old"] == bulletin.printed["cells"][f"2022-06||{metric.code}"]["v"]
