"""`import_figures --correction` reaches the issued documents as a correction through the
web does (reports.services.correction_resubmitted): each issued report covering a
corrected month gets one 更正, queued on commit, that lists metric, unit, old → new, and
the office is told."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from actions.models import Notification
from indicators.tests.test_import_figures import write_csv
from reports import tasks
from reports.models import Report, ReportSeries
from reports.services import report_build
from reports.tests.reportdata import TODAY, june
from reports.tests.test_tasks_worker import wait_for, worker_media  # noqa: F401 (a fixture)

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


@pytest.fixture
def queued(monkeypatch):
    from reports import tasks

    sent = []
    monkeypatch.setattr(tasks.report_build_task, "apply_async", lambda **kw: sent.append(kw))
    return sent


def correct(tmp_path: Path, rows, reason="统计口径有误,重新核定") -> str:
    out = StringIO()
    call_command("import_figures", str(write_csv(tmp_path, rows)), "--correction", reason, "--user", "office", stdout=out)
    return out.getvalue()


def test_a_correction_by_file_queues_one_correction_per_issued_report(
    issued, queued, users, tmp_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        out = correct(tmp_path, [MAY_ROW, JUNE_ROW])

    assert "2 个单位月份已关闭,按更正处理" in out
    june_change = {"figure": "企业开办时间", "unit": "祁东县", "old": "3个工作日", "new": "0.4个工作日"}
    may_change = {"figure": "企业开办时间", "unit": "祁东县", "old": "0.4个工作日", "new": "0.5个工作日"}
    # What each job builds is recorded on its series row, under the task id sent
    jobs = {tuple(job["args"]): ReportSeries.objects.get(task_id=job["task_id"]) for job in queued}
    assert set(jobs) == {("bulletin", "2022Q2"), ("dispatch", "2022-06")}  # May's dispatch was never issued
    assert jobs[("dispatch", "2022-06")].changes == [june_change]
    assert jobs[("bulletin", "2022Q2")].changes == [may_change, june_change]  # one 更正 for the quarter
    assert all(job.issue and job.requested_by == users["office"] for job in jobs.values())
    notice = Notification.objects.get(user=users["office"], text__startswith="文件导入更正")
    assert "2022年5月、2022年6月的2项数据" in notice.text and notice.url == reverse("reports:archive")


def test_the_built_correction_is_issued_and_the_archive_says_what_changed(
    issued, queued, users, client, tmp_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        correct(tmp_path, [JUNE_ROW])
    job = next(job for job in queued if job["args"] == ["dispatch", "2022-06"])
    tasks.report_build_task.apply(args=job["args"], task_id=job["task_id"]).get()  # what the worker does

    new = Report.objects.get(kind="dispatch", key="2022-06", is_correction=True)
    assert new.state == Report.State.ISSUED and new.version == issued[0].version + 1
    client.force_login(users["leader"])
    page = client.get(reverse("reports:archive-detail", args=["dispatch", "2022-06"])).content.decode()
    assert "祁东县 企业开办时间:3个工作日 → 0.4个工作日" in page


def test_a_correction_of_months_without_an_issued_report_queues_nothing(
    plan_2022, queued, users, tmp_path, django_capture_on_commit_callbacks
):
    june(plan_2022)
    with django_capture_on_commit_callbacks(execute=True):
        correct(tmp_path, [JUNE_ROW])
    assert queued == []
    assert not Notification.objects.filter(text__startswith="文件导入更正").exists()


def test_a_file_that_changes_nothing_in_a_closed_month_needs_no_correction(issued, queued, tmp_path):
    out = correct(tmp_path, ["qidong,business_start_days,2022-06,3,,,5,"])  # the figure as it stands
    assert "未变化 1 条" in out and queued == []


@pytest.mark.worker
@pytest.mark.usefixtures("worker_media", "celery_worker_process")
def test_a_correction_by_file_is_built_and_issued_by_a_real_worker(plan_2022, users, tmp_path):
    """No manual step: the import commits, the worker builds the 更正 and issues it."""
    june(plan_2022)
    first = report_build(kind="dispatch", key="2022-06", issue=True)

    correct(tmp_path, [JUNE_ROW])

    new = wait_for(lambda: Report.objects.filter(kind="dispatch", key="2022-06", is_correction=True).first(), what="the 更正")
    assert new.state == Report.State.ISSUED and new.version == first.version + 1
    assert new.changes == [{"figure": "企业开办时间", "unit": "祁东县", "old": "3个工作日", "new": "0.4个工作日"}]
    assert "（更正）" in new.title and new.doc_number != first.doc_number
