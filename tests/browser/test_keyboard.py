"""The pages without a mouse and on a phone: a skip link first, focus never hidden under
the entry sheet's sticky bar, a reporter's month completed with the keyboard alone, and
the phone's navigation reaching every link the role has."""

import pytest

from conftest import ARTIFACTS, PASSWORD, browser_login
from tests.browser.test_reporting_journey import ENTRY, prefill_all_but_business_start

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUS = """() => { const e = document.activeElement;
  return {name: e.name || '', tag: e.tagName, text: (e.innerText || e.value || '').trim().slice(0, 30)}; }"""
# The focused element is on screen and not covered (by the sticky 保存/提交 bar or a header).
VISIBLE = """() => {
  const e = document.activeElement, r = e.getBoundingClientRect();
  if (r.width === 0 || r.bottom < 0 || r.top > innerHeight) return false;
  const x = Math.min(Math.max(r.left + 4, 0), innerWidth - 1);
  const y = Math.min(Math.max(r.top + Math.min(r.height / 2, 8), 0), innerHeight - 1);
  const hit = document.elementFromPoint(x, y);
  return !!hit && (e === hit || e.contains(hit) || hit.contains(e)
                   || (!!e.closest('label') && hit.closest('label') === e.closest('label')));
}"""


def _tab_to(page, match, most=900):
    """Tab until `match(focus)`; every stop on the way must be visible."""
    hidden = []
    for _ in range(most):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS)
        if not page.evaluate(VISIBLE):
            hidden.append(focus)
        if match(focus):
            return hidden
    raise AssertionError(f"never reached; last focus {focus}")


def test_the_first_tab_is_a_skip_link_to_the_content(page, users):
    browser_login(page, "office")
    page.goto("/reports/dashboard/")
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUS)["text"] == "跳到正文"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"


def test_a_reporter_completes_the_month_with_the_keyboard_alone(page, users):
    prefill_all_but_business_start()
    page.on("dialog", lambda dialog: dialog.accept())  # the confirmation answers to Enter
    page.goto("/accounts/login/")
    if page.evaluate(FOCUS)["name"] != "username":  # the login form focuses it itself
        _tab_to(page, lambda f: f["name"] == "username")
    page.keyboard.type("hengnan_reporter")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    # Signed in only once the login page has been left: going on at once (a busy machine)
    # races the login's own redirect, which then lands on the home page instead.
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto(ENTRY)
    hidden = _tab_to(page, lambda f: f["name"] == "business_start_days-value")
    page.keyboard.type("0.4")
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUS)["name"] == "business_start_days-cases"
    page.keyboard.type("5")
    hidden += _tab_to(page, lambda f: f["tag"] == "BUTTON" and f["text"] == "提交")
    page.screenshot(path=ARTIFACTS / "keyboard-submit.png")
    assert not hidden, f"focus hidden at {hidden[:5]}"
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert page.locator("[data-testid=submission-state]").inner_text() == "已提交"


@pytest.mark.parametrize("role", ["reporter", "office", "leader"])
def test_the_phone_menu_shows_every_link_of_the_role(page, users, plan_2022, role):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/accounts/login/")
    page.fill("input[name=username]", users[role].username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    links = page.locator("#mainnav a")
    assert links.count() >= 4
    page.click("button.menu-toggle")
    page.screenshot(path=ARTIFACTS / f"phone-menu-{role}.png")
    for i in range(links.count()):
        box = links.nth(i).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, links.nth(i).inner_text()
    assert page.evaluate("() => document.documentElement.scrollWidth <= 390")
