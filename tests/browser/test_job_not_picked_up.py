"""With no background worker, a report job does not wait forever: after a minute the page
says 后台任务服务未运行 and offers 重试, which queues the job again."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import browser_login
from reports import tasks
from reports.models import ReportSeries

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_page_stops_waiting_and_offers_a_retry(page, plan_2022, users, monkeypatch):
    sent = []
    monkeypatch.setattr(tasks.report_build_task, "apply_async", lambda **kw: sent.append(kw))  # no worker runs
    browser_login(page, "office")
    ReportSeries.objects.create(
        kind="dispatch", key="2022-06", job_state="queued", task_id="lost", requested_at=timezone.now() - timedelta(seconds=55)
    )
    page.goto("/reports/archive/dispatch/2022-06/")
    assert page.locator("#job-label").inner_text() == "生成任务：排队中……"

    page.wait_for_selector("text=后台任务服务未运行", timeout=20000)  # the polling page noticed
    assert page.locator("#job-error").is_visible()
    assert "请联系系统管理员启动后台任务服务" in page.locator("#job-error").inner_text()
    assert page.locator("#rebuild").inner_text() == "重试"

    page.click("#rebuild")

    assert "已开始生成" in page.content()
    series = ReportSeries.objects.get()
    assert len(sent) == 1 and sent[0]["task_id"] == series.task_id != "lost"
    assert page.locator("#job-label").inner_text() == "生成任务：排队中……"
