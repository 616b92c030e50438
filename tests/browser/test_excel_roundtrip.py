"""The Excel round trip in a real browser, at desktop and phone widths: a reporter of a
unit with milestone targets downloads the month's template from the entry sheet and
uploads it unchanged; the preview says there is nothing to change (it used to refuse
every milestone row). Then a filled-in copy previews its change and saves on confirm."""

from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from conftest import ARTIFACTS, browser_login
from tests.browser.test_reporting_journey import ENTRY, prefill_all_but_business_start

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1366, 390])
def test_the_unchanged_template_round_trips_then_a_change_is_confirmed(browser, live_server, users, tmp_path, width):
    from indicators.models import Figure

    prefill_all_but_business_start()
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        browser_login(page, "hengnan_reporter")
        page.goto(ENTRY)
        with page.expect_download() as download:
            page.click("text=下载 Excel 模板")
        path = tmp_path / "template.xlsx"
        download.value.save_as(path)

        page.click("text=上传 Excel")
        page.set_input_files("input[type=file]", str(path))
        page.click("button:has-text('上传并预览')")
        page.wait_for_load_state()
        assert "没有需要导入的修改" in page.locator("[data-testid=no-changes]").inner_text()

        wb = load_workbook(path)
        ws = wb["月度填报"]
        r = next(r for r in range(4, ws.max_row + 1) if ws.cell(row=r, column=1).value == "business_start_days")
        ws.cell(row=r, column=7, value=0.4)
        ws.cell(row=r, column=10, value=12)
        wb.save(path)
        page.goto(ENTRY.rstrip("/") + "/excel/upload/")
        page.set_input_files("input[type=file]", str(path))
        page.click("button:has-text('上传并预览')")
        page.wait_for_load_state()
        preview = page.locator("[data-testid=preview]").inner_text()
        assert "企业开办时间" in preview and "0.4(12 件)" in preview and "达标" in preview
        page.screenshot(path=ARTIFACTS / f"excel_preview_{width}.png", full_page=False)
        page.click("button:has-text('确认导入')")
        page.wait_for_load_state()
        assert "Excel 数据已导入" in page.locator(".messages").inner_text()
        f = Figure.objects.get(unit__code="hengnan", metric__code="business_start_days", period=date(2022, 6, 1))
        assert (f.value, f.cases, f.source) == (Decimal("0.4"), 12, "excel")
    finally:
        context.close()
