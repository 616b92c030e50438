"""Every page each role reaches, checked by axe-core (installed by `make setup` into
var/npm) at 1366 px and 390 px: no critical and no serious finding. The pages are found
by following the links of each role's pages from its home, one page per kind (URL name)."""

import json
from datetime import date
from urllib.parse import urlsplit

import pytest
from django.urls import Resolver404, resolve

from conftest import ARTIFACTS, PASSWORD, ROOT
from indicators.demo import seed_year

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = ROOT / "var" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
ROLES = ["reporter", "dept_reporter", "approver", "lead", "office", "leader"]
SKIP = ("_export=", "/excel/", "/download/", "/admin/", "/api/", "/accounts/logout", "/rebuild/", "/job/")
MOST_PAGES = 40

RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.filter(v => v.impact === "critical" || v.impact === "serious")
    .map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ") + " " + n.failureSummary)}));
}"""


def _kind(path: str) -> str | None:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return match.view_name


def _links(page, origin: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(a => a.href)")
    out = []
    for href in hrefs:
        parts = urlsplit(href)
        if f"{parts.scheme}://{parts.netloc}" != origin or any(s in href for s in SKIP):
            continue
        out.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return out


@pytest.fixture
def demo(plan_2022):
    from indicators.models import ReportingMonth

    seed_year(plan_2022, today=date(2022, 8, 1))
    # June still open, so that the entry sheets show their fields (tasks' progress too)
    ReportingMonth.objects.update_or_create(
        period=date(2022, 6, 1), defaults={"deadline": date(2099, 1, 5), "lock_date": date(2099, 1, 15)}
    )
    from indicators.models import Submission

    Submission.objects.filter(period=date(2022, 6, 1), unit__code__in=["hengnan", "tax"]).update(state="draft")
    return plan_2022


@pytest.mark.skipif(not AXE.exists(), reason="run `make setup` first (axe-core from npm)")
@pytest.mark.parametrize("width", [1366, 390])
@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_every_role_has_no_serious_accessibility_finding(browser, live_server, users, demo, role, width):
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": width, "height": 844}, bypass_csp=True
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        page.goto("/accounts/login/")
        page.fill("input[name=username]", users[role].username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state()
        unit = users[role].membership.unit
        todo = ["/"] + ([f"/indicators/entry/{unit.code}/2022-06/"] if unit else [])
        seen_kinds, visited, findings = set(), [], {}
        while todo and len(visited) < MOST_PAGES:
            path = todo.pop(0)
            kind = _kind(path)
            if kind is None or kind in seen_kinds:
                continue
            seen_kinds.add(kind)
            response = page.goto(path)
            if response is None or response.status != 200:
                continue
            visited.append(path)
            page.add_script_tag(path=str(AXE))
            found = page.evaluate(RUN_AXE)
            if found:
                findings[path] = found
                page.screenshot(path=ARTIFACTS / f"a11y-{role}-{width}-{kind.replace(':', '-')}.png", full_page=True)
            todo += [p for p in _links(page, live_server.url) if _kind(p) not in seen_kinds]
        report = json.dumps({"visited": visited, "findings": findings}, ensure_ascii=False, indent=1)
        (ARTIFACTS / f"a11y-{role}-{width}.json").write_text(report)
        assert len(visited) > 2, visited
        assert not findings, findings
    finally:
        context.close()
