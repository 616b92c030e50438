"""The office builds a month's dispatch from the archive, watches the job on a real
worker until it is done, issues it, and the leader downloads it."""

import re

import pytest

from conftest import ARTIFACTS, browser_login
from reports.tests.reportdata import june

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker_media(tmp_path, monkeypatch, settings):
    media = tmp_path / "media"
    monkeypatch.setenv("MEDIA_ROOT", str(media))  # before the worker starts: it writes here
    settings.MEDIA_ROOT = media
    return media


def test_the_office_builds_watches_and_issues_and_the_leader_downloads(
    worker_media, celery_worker_process, page, plan_2022, users
):
    june(plan_2022)
    browser_login(page, "office")
    page.goto("/reports/archive/")
    assert "尚未生成报告" in page.content()
    page.select_option("select[name=kind]", "dispatch")
    page.fill("input[name=key]", "2022-06")
    page.click("form[action$='build/'] button[type=submit]")

    assert "已开始生成" in page.content()
    page.wait_for_selector("text=送审此版本", timeout=60000)  # the page polled until done, then reloaded
    assert "二、本月新增未达标目标" in page.content()
    assert page.locator("#job-label").inner_text() == "生成任务：已完成"
    page.screenshot(path=ARTIFACTS / "archive-dispatch.png", full_page=False)

    page.once("dialog", lambda d: d.accept())
    page.click("text=送审此版本")  # 草稿 → 送审 → 已印发
    page.wait_for_selector("text=印发此版本")
    page.once("dialog", lambda d: d.accept())
    page.click("text=印发此版本")
    page.wait_for_selector("text=仍然印发")  # the confirmation page, once it has loaded
    assert "珠晖区" in page.content()  # units still missing are named before issuing
    page.click("text=仍然印发")
    page.wait_for_selector("text=领导可以下载")
    # numbered in the year it is issued (today, the default 成文日期)
    assert re.search(r"已印发（衡优化办调度〔\d{4}〕1号），领导可以下载", page.content())

    page.context.clear_cookies()
    browser_login(page, "leader")
    page.goto("/reports/archive/")
    page.screenshot(path=ARTIFACTS / "archive-leader.png", full_page=True)
    with page.expect_download() as download:
        page.click("a:has-text('Word')")
    assert download.value.suggested_filename.endswith(".docx")
