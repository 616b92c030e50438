"""A user signs in through the real login page and lands on the plan's home page."""

import pytest

from conftest import ARTIFACTS, browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reporter_signs_in_and_sees_the_plan(page, users):
    browser_login(page, "hengnan_reporter")

    assert page.locator("h1").inner_text() == "衡阳市2022年聚力中心化优化营商环境攻坚年行动方案"
    assert "衡南县" in page.locator(".who").inner_text()
    page.screenshot(path=ARTIFACTS / "home.png", full_page=True)


def test_a_wrong_password_is_refused_in_chinese(page, users):
    browser_login(page, "hengnan_reporter", "wrong-password")

    assert "/accounts/login/" in page.url
    assert "请输入一个正确的" in page.content()
