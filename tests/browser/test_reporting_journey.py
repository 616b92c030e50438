"""The monthly reporting journey in a real browser: a reporter fills the form with one
red figure and saves a draft without explaining it; submitting is blocked with a summary
that links to the row; they explain it and submit; the office returns it with a reason;
the reporter fixes and resubmits; the office accepts."""

from datetime import date

import pytest

from conftest import ARTIFACTS, browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ENTRY = "/indicators/entry/hengnan/2022-06/"


def prefill_all_but_business_start(unit_code="hengnan"):
    """Everything but 企业开办时间 already saved as a draft earlier in the month."""
    from actions.models import Unit
    from indicators.models import Assignment, Baseline, Figure, ReportingMonth

    ReportingMonth.objects.create(period=date(2022, 6, 1), deadline=date(2099, 1, 5), lock_date=date(2099, 1, 15))
    unit = Unit.objects.get(code=unit_code)
    for a in Assignment.objects.filter(unit=unit).exclude(metric__code="business_start_days").select_related("metric"):
        m = a.metric
        f = Figure(unit=unit, metric=m, period=date(2022, 6, 1), explanation="已核实", measures="持续跟踪")
        if m.measure == "ratio":
            f.numerator, f.denominator = 99, 100
        elif m.measure == "milestone":
            f.state = "done"
        else:
            f.value, f.cases = 0, (3 if m.measure == "average" else None)
        if m.kind in ("improve", "change_vs_last_year"):  # last year's value is the office's (上年基数)
            Baseline.objects.create(metric=m, unit=unit, period=date(2021, 6, 1), value=1)
        f.save()


def sign_out(page):
    page.click(".who button[type=submit]")
    page.wait_for_load_state()


def test_reporter_office_round_trip(page, users):
    prefill_all_but_business_start()
    page.on("dialog", lambda dialog: dialog.accept())  # the confirmation of each step

    # the reporter types a red figure: the status turns red as they type
    browser_login(page, "hengnan_reporter")
    page.goto(ENTRY)
    row = page.locator("tr[data-metric=business_start_days]")
    row.locator("input[name='business_start_days-value']").fill("3")
    row.locator("input[name='business_start_days-cases']").fill("5")
    status = row.locator("[data-testid=status]")
    status.filter(has_text="未达标").wait_for()
    assert "required" in row.locator("td.notes").get_attribute("class")

    # a draft without the explanation is saved all the same
    page.click("button[value=save]")
    page.wait_for_load_state()
    assert "草稿已保存" in page.locator(".messages").inner_text()
    row = page.locator("tr[data-metric=business_start_days]")
    assert row.locator("input[name='business_start_days-value']").input_value() == "3"

    # submitting is blocked, with a summary at the top that links to the row to fix
    page.click("button[value=submit]")
    page.wait_for_load_state()
    summary = page.locator("[data-testid=attention]")
    assert "企业开办时间" in summary.inner_text() and "须填写情况说明" in summary.inner_text()
    assert page.locator("[data-testid=submission-state]").inner_text() == "草稿"
    page.screenshot(path=ARTIFACTS / "entry_submit_blocked.png", full_page=False)
    summary.locator("a", has_text="企业开办时间").click()
    assert page.evaluate("location.hash") == "#m-business_start_days"
    page.wait_for_function("document.activeElement.name === 'business_start_days-explanation'")  # the field to fill
    row = page.locator("tr[data-metric=business_start_days]")
    assert "未达标的指标须填写情况说明" in row.inner_text()
    assert row.locator("input[name='business_start_days-value']").input_value() == "3"

    row.locator("textarea[name='business_start_days-explanation']").fill("6月集中申报,个别企业材料补正时间较长。")
    row.locator("textarea[name='business_start_days-measures']").fill("推行容缺受理,专人跟踪督办。")
    page.click("button[value=save]")
    page.wait_for_load_state()
    assert "草稿已保存" in page.locator(".messages").inner_text()
    page.locator("tr[data-metric=business_start_days]").scroll_into_view_if_needed()
    page.screenshot(path=ARTIFACTS / "entry_form.png", full_page=False)

    page.click("button[value=submit]")
    page.wait_for_load_state()
    assert page.locator("[data-testid=submission-state]").inner_text() == "已提交"
    sign_out(page)

    # the office returns it with a reason
    browser_login(page, "office")
    assert page.locator("[data-testid=unread]").inner_text() == "1"
    page.goto(ENTRY)
    page.click("summary:has-text('退回')")
    page.fill("textarea[name=reason]", "企业开办时间与系统统计不符,请核实后重报。")
    page.click("[data-testid=return]")
    page.wait_for_load_state()
    assert page.locator("[data-testid=submission-state]").inner_text() == "已退回"
    sign_out(page)

    # the reporter sees why, fixes the figure and resubmits
    browser_login(page, "hengnan_reporter")
    page.goto(ENTRY)
    assert "企业开办时间与系统统计不符" in page.locator("[data-testid=returned-reason]").inner_text()
    row = page.locator("tr[data-metric=business_start_days]")
    row.locator("input[name='business_start_days-value']").fill("0.4")
    row.locator("[data-testid=status]").filter(has_text="达标").wait_for()
    page.click("button[value=submit]")
    page.wait_for_load_state()
    assert page.locator("[data-testid=submission-state]").inner_text() == "已提交"
    sign_out(page)

    # the office accepts
    browser_login(page, "office")
    page.goto(ENTRY)
    page.click("[data-testid=accept]")
    page.wait_for_load_state()
    assert page.locator("[data-testid=submission-state]").inner_text() == "已采纳"
    assert "市优化办已采纳" not in page.content()  # the office is not told the reporter's lock reason
    from indicators.models import Figure, Submission

    sub = Submission.objects.get(unit__code="hengnan")
    assert (sub.state, sub.accepted_by.username, sub.submitted_by.username) == ("accepted", "office", "hengnan_reporter")
    assert Figure.objects.get(unit__code="hengnan", metric__code="business_start_days").history.count() == 3
