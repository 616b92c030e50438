"""The office works through the dashboards in chromium; a leader reads them on a phone."""

from datetime import date
from io import BytesIO

import openpyxl
import pytest

from conftest import ARTIFACTS, browser_login
from tests.snapshots import demo_seed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CANVAS_INK = """(selector) => {
  const c = document.querySelector(selector);
  const data = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
  let ink = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) ink++;
  return ink;
}"""


@pytest.fixture
def demo_year(plan_2022):
    demo_seed(plan_2022, today=date(2023, 3, 1))
    return plan_2022


def test_the_office_filters_to_red_opens_a_metric_sorts_and_exports(page, users, demo_year):
    browser_login(page, "office")
    page.goto("/reports/dashboard/?period=2022-12")
    assert "2022年12月" in page.locator("h1").inner_text()
    page.wait_for_selector("canvas[data-chart=areas][data-drawn]")
    page.screenshot(path=ARTIFACTS / "dashboard-overview.png", full_page=True)

    page.select_option("select[name=status]", "red")
    page.click("#filters button[type=submit]")
    page.wait_for_load_state()
    assert "status=red" in page.url
    assert page.locator("#matrix td.cell-red").count() > 0
    # Only red unit cells are left (the city column keeps its own status).
    assert page.locator("#matrix td.cell:not(.city):not(.cell-red) a").count() == 0

    page.locator("#matrix th.metric-name a").first.click()
    page.wait_for_selector("#trend-chart[data-drawn]")
    assert "/reports/dashboard/metrics/2022/" in page.url
    assert page.evaluate(CANVAS_INK, "#trend-chart") > 500
    page.screenshot(path=ARTIFACTS / "dashboard-metric.png", full_page=True)

    page.goto("/reports/dashboard/list/?period=2022-12&status=red_yellow")
    page.click("table.data th >> text=数值")
    page.wait_for_load_state()
    assert "sort=value" in page.url
    first, second = (page.locator("table.data tbody tr").nth(i).locator("td").nth(5).inner_text() for i in (0, 1))
    assert first and second

    with page.expect_download() as info:
        page.click("#export-xlsx")
    download = info.value
    assert download.suggested_filename == "status-2022-12.xlsx"
    book = openpyxl.load_workbook(BytesIO(open(download.path(), "rb").read()))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][:2] == ("目标指标", "行动")
    assert len(rows) > 1
    assert {r[-1] for r in rows[1:]} <= {"未达标", "预警"}


def test_a_leader_reads_the_same_pages_at_phone_width(page, users, demo_year):
    page.set_viewport_size({"width": 390, "height": 844})
    browser_login(page, "leader")
    page.goto("/reports/dashboard/?period=2022-12")
    page.wait_for_selector("canvas[data-chart=areas][data-drawn]")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=ARTIFACTS / "dashboard-phone-overview.png", full_page=True)

    page.goto("/reports/dashboard/metrics/2022/business_start_days/")
    page.wait_for_selector("#units-chart[data-drawn]")
    assert page.evaluate(CANVAS_INK, "#units-chart") > 500
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=ARTIFACTS / "dashboard-phone-metric.png", full_page=True)

    page.goto("/reports/dashboard/completeness/?period=2022-12")
    assert page.locator("#remind-form").count() == 0
    assert "只读" in page.content()


def test_charts_fall_back_to_the_local_copy_when_the_cdn_cannot_be_reached(page, users, demo_year, settings):
    settings.CHARTJS_LOCAL = False
    blocked = []
    page.route("https://cdn.jsdelivr.net/**", lambda route: (blocked.append(route.request.url), route.abort()))
    browser_login(page, "office")
    page.goto("/reports/dashboard/metrics/2022/tech_smes/")
    page.wait_for_selector("#trend-chart[data-drawn]")
    assert blocked == [settings.CHARTJS_CDN_URL]
    assert page.evaluate(CANVAS_INK, "#trend-chart") > 500
