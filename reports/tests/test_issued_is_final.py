"""What leaders and the office see around an issued document, end to end with a worker
that builds whatever is queued (as the real one would): a rebuild leaves the issued
version current; a correction is issued by the office only, as a 更正通知 that cites the
original and says what it printed → what the correction makes of it."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from actions.models import Unit
from indicators.models import Metric, Submission
from indicators.services import review, workflow
from reports import tasks
from reports.models import Report
from reports.services.build import report_build
from reports.tests.reportdata import JUNE, TODAY, june_dispatch

ISSUED_ON = date(2022, 7, 12)


@pytest.fixture
def worker(monkeypatch):
    """Every queued build runs at once, with the arguments it was queued with."""

    def run(args, kwargs, **_options):
        user = get_user_model().objects.filter(pk=kwargs.get("user_id")).first()
        report_build(kind=args[0], key=args[1], user=user, changes=kwargs.get("changes"), issue=bool(kwargs.get("issue")))

    monkeypatch.setattr(tasks.report_build_task, "apply_async", run)


@pytest.fixture
def issued(plan_2022, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return june_dispatch(plan_2022, issued_by=users["office"], doc_date=ISSUED_ON, needs_approval=True)[1]


def _corrected_by_the_unit(users, capture):
    """衡南县 corrects June's 企业开办时间 0.4 → 0.8 (达标 → 未达标): the office approves
    the request, the reporter resubmits, the unit's approver approves."""
    unit = Unit.objects.get(code="hengnan")
    metric = Metric.objects.get(plan__year=2022, code="business_start_days")
    with capture(execute=True):
        req = workflow.correction_request(unit=unit, period=JUNE, user=users["reporter"], reason="企业开办件数漏报")
        workflow.correction_decide(request_id=req.pk, user=users["office"], approve=True)
    with capture(execute=True):
        sub = Submission.objects.get(unit=unit, period=JUNE)
        figures = {metric.pk: {"value": Decimal("0.8"), "cases": 10}}
        workflow.entry_save(
            unit=unit, period=JUNE, user=users["reporter"], version=sub.version, figures=figures, tasks={}, submit=True
        )
    with capture(execute=True):
        review.submission_approve(unit=unit, period=JUNE, user=users["approver"])
    return unit


def test_why1_a_rebuild_does_not_unissue_what_leaders_read(client, issued, users):
    report_build(kind="dispatch", key="2022-06", today=TODAY)  # make report-previews / 立即重新生成
    client.force_login(users["leader"])
    listing = client.get(reverse("reports:archive") + "?current=on").content.decode()
    assert issued.doc_number in listing and "已被新版本替代" not in listing
    page = client.get(reverse("reports:archive-detail", args=["dispatch", "2022-06"])).content.decode()
    assert "已被新版本替代" not in page and issued.doc_number in page


def test_why2_no_reporter_or_approver_step_issues_anything(client, issued, users, worker, django_capture_on_commit_callbacks):
    _corrected_by_the_unit(users, django_capture_on_commit_callbacks)
    issued_versions = list(Report.objects.filter(issued_at__isnull=False).values_list("version", "issued_by"))
    assert issued_versions == [(issued.version, users["office"].pk)]
    client.force_login(users["leader"])
    page = client.get(reverse("reports:archive-detail", args=["dispatch", "2022-06"])).content.decode()
    assert "经审核更正" not in page and "更正通知" not in page  # nothing new for leaders yet


def test_why3_the_office_issues_a_notice_that_says_what_was_printed_and_what_it_becomes(
    client, issued, users, worker, django_capture_on_commit_callbacks
):
    unit = _corrected_by_the_unit(users, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        review.submission_accept(unit=unit, period=JUNE, user=users["office"])
    from reports.models import CorrectionNotice
    from reports.notices import notice_issue

    notice = notice_issue(notice=CorrectionNotice.objects.get(), user=users["office"], doc_date=date(2022, 8, 3))
    client.force_login(users["leader"])
    page = client.get(reverse("reports:archive-detail", args=["dispatch", "2022-06"])).content.decode()
    assert f"关于更正《{issued.title}》（{issued.doc_number}）的通知" in page
    assert "<td>衡南县</td><td>企业开办时间</td><td>0.4个工作日</td><td>0.8个工作日</td><td>达标 → 未达标</td>" in page
    totals = notice.changes["totals"]
    assert (totals["before"]["达标"] - 1, totals["before"]["未达标"] + 1) == (totals["after"]["达标"], totals["after"]["未达标"])
    assert notice.issued_by == users["office"] and notice.doc_number != issued.doc_number
    text = " ".join(b["text"] for b in notice.content)
    assert issued.doc_number in text and "作废" not in text
