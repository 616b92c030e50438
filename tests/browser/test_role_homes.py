"""Each role's home page in chromium at 1366 px and 390 px: the leader's red list and
trend at one glance, the reporter's month with its deadline and a return's reason."""

from datetime import date

import pytest

from conftest import ARTIFACTS, browser_login
from indicators.models import Submission
from indicators.months import collecting_month
from tests.snapshots import demo_seed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NO_SIDEWAYS = "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"


@pytest.fixture
def demo(plan_2022):
    demo_seed(plan_2022, today=date(2022, 8, 1))  # January to June
    return plan_2022


@pytest.mark.parametrize("width", [1366, 390])
def test_the_leader_sees_the_red_list_and_the_trend(page, users, demo, width):
    page.set_viewport_size({"width": width, "height": 844})
    browser_login(page, "leader")
    page.goto("/")
    red = page.locator("#red-list li")
    assert red.count() > 0
    assert "牵头单位" in red.first.inner_text()
    page.wait_for_selector("#trend canvas[data-drawn]")
    assert page.locator("[data-testid=share]").inner_text().endswith("%")
    assert page.evaluate(NO_SIDEWAYS)
    if width == 390:  # one glance: the two rates and the first red target on the first screen
        assert page.locator("#red-list li").first.bounding_box()["y"] < 844
    page.screenshot(path=ARTIFACTS / f"home-leader-{width}.png", full_page=True)


def test_a_reporter_on_a_phone_sees_the_returned_month_and_why(page, users, demo):
    period = collecting_month()
    Submission.objects.create(
        unit=users["reporter"].membership.unit, period=period, state="returned", returned_reason="营业收入口径有误"
    )
    page.set_viewport_size({"width": 390, "height": 844})
    browser_login(page, "hengnan_reporter")
    page.goto("/")
    assert "营业收入口径有误" in page.locator("#returned").inner_text()
    assert page.locator("[data-testid=state]").inner_text() == "已退回"
    assert page.evaluate(NO_SIDEWAYS)
    page.click("#my-month a.button")
    page.wait_for_load_state()
    assert f"/indicators/entry/hengnan/{period:%Y-%m}/" in page.url
