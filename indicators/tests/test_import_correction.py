"""`import_figures --correction` is the office's own correction (recorded as approved by
the importing user): as after a correction accepted on the web, each issued document
that printed a corrected month gets one draft 更正通知 listing what it printed → the
corrected value; nothing is issued or rebuilt, and the office is told."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from actions.models import Notification
from indicators.tests.test_import_figures import write_csv
from reports.models import CorrectionNotice, Report
from reports.services.build import report_build
from reports.tests.reportdata import TODAY, june

JUNE_ROW = "qidong,business_start_days,2022-06,0.4,,,5,"  # was 3 days (red)
MAY_ROW = "qidong,business_start_days,2022-05,0.5,,,8,"  # was 0.4 days


@pytest.fixture
def issued(plan_2022, users, settings, tmp_path):
    """June's dispatch and Q2's bulletin issued; May's dispatch never built."""
    settings.MEDIA_ROOT = tmp_path / "media"
    june(plan_2022)
    return [
        report_build(kind=k, key=key, today=TODAY, issue=True) for k, key in (("dispatch", "2022-06"), ("bulletin", "2022Q2"))
    ]


def correct(tmp_path: Path, rows, reason="统计口径有误,重新核定") -> str:
    out = StringIO()
    call_command("import_figures", str(write_csv(tmp_path, rows)), "--correction", reason, "--user", "office", stdout=out)
    return out.getvalue()


def _figures(notice) -> list[tuple]:
    return [(c["period"], c["unit"], c["metric"], c["old"], c["new"]) for c in notice.changes["figures"]]


def test_a_correction_by_file_drafts_one_notice_per_issued_document(issued, users, tmp_path, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        out = correct(tmp_path, [MAY_ROW, JUNE_ROW])

    assert "2 个单位月份已关闭,按更正处理" in out
    notices = {(n.original.kind, n.original.key): n for n in CorrectionNotice.objects.select_related("original")}
    assert set(notices) == {("dispatch", "2022-06"), ("bulletin", "2022Q2")}  # May's dispatch was never issued
    assert _figures(notices[("dispatch", "2022-06")]) == [("2022-06", "祁东县", "企业开办时间", "3个工作日", "0.4个工作日")]
    # The bulletin printed June's unit figures (its last month) and the city's: one notice for both months.
    bulletin_figures = _figures(notices[("bulletin", "2022Q2")])
    assert ("2022-06", "祁东县", "企业开办时间", "3个工作日", "0.4个工作日") in bulletin_figures
    assert all(n.state == "draft" and not n.doc_number for n in notices.values())
    assert list(Report.objects.values_list("state", flat=True)) == ["issued", "issued"]  # nothing rebuilt or re-issued
    told = Notification.objects.filter(user=users["office"], text__contains="更正通知").first()
    assert told is not None and told.url == reverse("reports:archive")


def test_a_correction_of_months_without_an_issued_report_drafts_nothing(
    plan_2022, users, tmp_path, django_capture_on_commit_callbacks
):
    june(plan_2022)
    with django_capture_on_commit_callbacks(execute=True):
        correct(tmp_path, [JUNE_ROW])
    assert not CorrectionNotice.objects.exists()


def test_a_file_that_changes_nothing_in_a_closed_month_needs_no_correction(issued, tmp_path):
    out = correct(tmp_path, ["qidong,business_start_days,2022-06,3,,,5,"])  # the figure as it stands
    assert "未变化 1 条" in out and not CorrectionNotice.objects.exists()
