"""The office's month page on a phone: one card per unit, each cell labelled, nothing
to scroll sideways (the table of units is the page's main content)."""

from datetime import date

import pytest

from conftest import ARTIFACTS, browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_on_a_phone_each_unit_of_the_month_is_a_labelled_card(page, users):
    from actions.models import Unit
    from indicators.models import ReportingMonth
    from indicators.services.workflow import entry_save

    ReportingMonth.objects.create(period=date(2022, 6, 1), deadline=date(2099, 1, 5), lock_date=date(2099, 1, 15))
    entry_save(  # a draft: 衡南县's card says so
        unit=Unit.objects.get(code="hengnan"),
        period=date(2022, 6, 1),
        user=users["reporter"],
        version=0,
        figures={},
        tasks={},
        submit=False,
    )
    browser_login(page, "office")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/indicators/months/2022-06/")
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    assert page.locator("table.phone-cards thead").first.is_hidden()
    card = page.locator("table.phone-cards tbody tr").filter(has_text="衡南县")
    state = card.locator("td[data-label=报送状态]")
    assert "草稿" in state.inner_text()
    assert state.evaluate("td => getComputedStyle(td, '::before').content") == '"报送状态:"'  # labelled
    box = card.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    page.screenshot(path=ARTIFACTS / "month_390.png", full_page=False)

    page.set_viewport_size({"width": 1366, "height": 860})
    page.goto("/indicators/months/2022-06/")
    assert page.locator("table.phone-cards thead").first.is_visible()  # columns on a desk
