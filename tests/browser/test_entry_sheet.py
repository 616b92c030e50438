"""The entry sheet on a phone and the review steps in a real browser: at 390 px every
target is a card with its inputs on screen and a short header; the computed ratio follows
the typing; a unit approver approves; the office accepts several units at once."""

from datetime import date

import pytest

from conftest import ARTIFACTS, browser_login
from tests.browser.test_reporting_journey import ENTRY, prefill_all_but_business_start

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_on_a_phone_each_target_is_a_card_with_every_input_on_screen(page, users):
    prefill_all_but_business_start()
    browser_login(page, "hengnan_reporter")
    page.goto(ENTRY)
    page.screenshot(path=ARTIFACTS / "entry_1366.png", full_page=False)

    page.set_viewport_size(PHONE)
    page.goto(ENTRY)
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    # the site header and the sheet's title block together take at most 120 px
    assert page.locator("header.topbar").bounding_box()["height"] <= 120
    title = page.locator(".entry-head").bounding_box()
    assert title["y"] + title["height"] <= 120
    assert page.locator("table.entry thead").first.is_hidden()  # cards, not columns
    # every input lies within the screen's width: reachable by scrolling down only
    fields = "#entry-form input:not([type=hidden]), #entry-form select, #entry-form textarea, #entry-form button"
    outside = page.evaluate(
        """(selector) => [...document.querySelectorAll(selector)]
              .map(el => [el.name || el.textContent, el.getBoundingClientRect()])
              .filter(([, r]) => r.left < 0 || r.right > document.documentElement.clientWidth)
              .map(([name]) => name)""",
        fields,
    )
    assert outside == []
    page.screenshot(path=ARTIFACTS / "entry_390.png", full_page=False)
    page.locator("tr[data-metric=business_start_days]").scroll_into_view_if_needed()
    page.screenshot(path=ARTIFACTS / "entry_390_card.png", full_page=False)

    # the computed ratio follows the typing
    row = page.locator("tr[data-metric=online_service_rate]")
    row.locator("input[name='online_service_rate-numerator']").fill("45")
    row.locator("input[name='online_service_rate-denominator']").fill("60")
    row.locator("[data-testid=ratio]").filter(has_text="75%").wait_for()


def test_the_approver_approves_and_the_office_accepts_several_units_at_once(page, users):
    from actions.models import Unit
    from indicators.services.workflow import entry_save

    prefill_all_but_business_start()
    Unit.objects.filter(code="hengnan").update(needs_approval=True)
    for code in ("hengnan", "qidong", "tax"):
        entry_save(
            unit=Unit.objects.get(code=code),
            period=date(2022, 6, 1),
            user=users["reporter"],
            version=0,
            figures={},
            tasks={},
            submit=True,
        )
    page.on("dialog", lambda dialog: dialog.accept())

    browser_login(page, "hengnan_approver")
    assert page.locator("[data-testid=unread]").inner_text() == "1"
    page.goto(ENTRY)
    page.click("button:has-text('审核通过')")
    page.wait_for_load_state()
    assert page.locator("[data-testid=submission-state]").inner_text() == "单位已审核"
    assert page.locator("[data-testid=unread]").count() == 0  # the request to approve is answered
    page.click(".who button[type=submit]")
    page.wait_for_load_state()

    browser_login(page, "office")
    page.goto("/indicators/months/2022-06/")
    for name in ("衡南县", "祁东县"):
        page.locator("tr", has_text=name).locator("[data-testid=pick]").check()
    page.click("[data-testid=bulk-accept]")
    page.wait_for_load_state()
    assert "已采纳 2 个单位的本月数据:衡南县、祁东县。" in page.locator(".messages").inner_text()
    page.screenshot(path=ARTIFACTS / "month_bulk_accept.png", full_page=False)
    from indicators.models import Submission

    states = dict(Submission.objects.filter(period=date(2022, 6, 1)).values_list("unit__code", "state"))
    assert states == {"hengnan": "accepted", "qidong": "accepted", "tax": "submitted"}
