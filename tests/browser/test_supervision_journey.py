"""督查督办 in chromium at 1366 px and 390 px: the office raises a batch from December's
red list, each unit answers with evidence, the lead department (指标长) reviews, the
office closes one and returns another with a reason, and the leader's home shows the
order that has gone overdue."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from actions.models import Membership
from conftest import ARTIFACTS, browser_login, make_user
from reports.supervision.models import SupervisionOrder
from reports.supervision.selectors import red_list
from reports.tests.dashboard_data import demo_year

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NO_SIDEWAYS = "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
R = Membership.Role


def _as(page, username):
    page.context.clear_cookies()
    browser_login(page, username)


def _shot(page, name, width):
    assert page.evaluate(NO_SIDEWAYS), f"{name} scrolls sideways at {width} px"
    page.screenshot(path=ARTIFACTS / f"supervision-{name}-{width}.png", full_page=True)


@pytest.fixture
def december(plan_2022, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    demo_year(plan_2022)
    cells = red_list(plan=plan_2022, period=date(2022, 12, 1))[:3]
    people = {}
    for c in cells:  # a reporter for each unit, a lead user for each lead department
        unit, lead = c.row.unit, c.row.metric.indicator.lead_unit
        people.setdefault(unit.code, make_user(f"rep_{unit.code}", R.REPORTER, unit.code).username)
        if lead.code == "amr":
            people[f"lead:{lead.code}"] = "amr_lead"
        else:
            people.setdefault(f"lead:{lead.code}", make_user(f"lead_{lead.code}", R.LEAD, lead.code).username)
    return cells, people


@pytest.mark.parametrize("width", [1366, 390])
def test_a_batch_from_the_red_list_followed_to_close_and_return(page, december, width, tmp_path):
    cells, people = december
    page.set_viewport_size({"width": width, "height": 844})

    # the office raises three orders at once from December's red list
    _as(page, "office")
    page.goto("/reports/supervision/raise/?period=2022-12")
    for c in cells:
        page.check(f"input[name=keys][value='{c.key}']")
    due = timezone.localdate() + timedelta(days=10)
    page.fill("input[name=due]", due.isoformat())
    _shot(page, "raise", width)
    page.click("[data-testid=raise-selected]")
    page.wait_for_load_state()
    assert "已交办 3 件督办单" in page.locator(".messages").inner_text()
    _shot(page, "list", width)
    orders = {o.metric_id * 100000 + o.unit_id: o for o in SupervisionOrder.objects.all()}
    assert len(orders) == 3
    by_cell = [next(o for o in orders.values() if (o.metric_id, o.unit_id) == (c.row.metric.pk, c.row.unit.pk)) for c in cells]
    for o, c in zip(by_cell, cells, strict=True):
        assert o.problem == c.problem and "未达标" in o.problem

    evidence = tmp_path / "整改报告.pdf"
    evidence.write_bytes(PDF)
    for o in by_cell[:2]:  # each unit answers with evidence
        _as(page, people[o.unit.code])
        page.goto(f"/reports/supervision/{o.pk}/")
        assert page.locator("[data-testid=order-state]").inner_text() == "待答复"
        page.fill("textarea[name=measures]", "增设专窗,压缩办理时限。")
        page.fill("textarea[name=progress]", "整改已完成,本月数据已改善。")
        page.fill("input[name=expected_done]", (due + timedelta(days=20)).isoformat())
        page.set_input_files("input[name=files]", str(evidence))
        _shot(page, "answer", width)
        page.click("#answer button[type=submit]")
        page.wait_for_load_state()
        assert page.locator("[data-testid=order-state]").inner_text() == "已答复"
        assert page.get_by_role("link", name="整改报告.pdf").count() == 1

    for o in by_cell[:2]:  # the lead department reviews
        _as(page, people[f"lead:{o.metric.indicator.lead_unit.code}"])
        page.goto(f"/reports/supervision/{o.pk}/")
        page.fill("#decide textarea[name=note]", "措施可行。")
        _shot(page, "review", width)
        page.click("text=审核通过,转市优化办")
        page.wait_for_load_state()

    closed, returned = by_cell[0], by_cell[1]
    _as(page, "office")
    page.goto(f"/reports/supervision/{closed.pk}/")
    page.click("#decide button:has-text('销号')")
    page.wait_for_load_state()
    assert page.locator("[data-testid=order-state]").inner_text() == "已销号"
    page.goto(f"/reports/supervision/{returned.pk}/")
    page.click("#decide button:has-text('退回')")  # without a reason: refused
    page.wait_for_load_state()
    assert "请填写退回原因" in page.locator(".messages").inner_text()
    page.fill("#decide textarea[name=note]", "佐证材料未体现整改后的数据,请补充。")
    page.click("#decide button:has-text('退回')")
    page.wait_for_load_state()
    assert page.locator("[data-testid=order-state]").inner_text() == "已退回"
    history = page.locator("#history").inner_text()
    for step in ("交办", "答复", "指标长审核通过", "市优化办退回", "佐证材料未体现整改后的数据"):
        assert step in history
    _shot(page, "history", width)

    _as(page, people[returned.unit.code])  # the unit sees why
    page.goto(f"/reports/supervision/{returned.pk}/")
    assert "佐证材料未体现整改后的数据" in page.locator("#returned").inner_text()

    # the third goes past its date unanswered: the leader's home names it
    SupervisionOrder.objects.filter(pk=by_cell[2].pk).update(due=timezone.localdate() - timedelta(days=2))
    _as(page, "leader")
    page.goto("/")
    box = page.locator("#overdue-orders")
    assert "逾期督办(1)" in box.inner_text() and by_cell[2].number_text in box.inner_text()
    _shot(page, "home-leader", width)
