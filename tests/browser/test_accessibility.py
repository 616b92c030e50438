"""Every page each role reaches, checked by axe-core (installed by `make setup` into
var/npm) at 1366 px and 390 px (one visit, the window narrowed between the two checks):
no critical and no serious finding. The pages are found by following the links of each
role's pages from its home, one page per kind (URL name), starting with the pages each
role must reach (督查督办 with orders in every hand, the baselines, the plan loads); the
run fails if one of those is not reached. The Chart.js CDN hangs throughout (a route
that never answers): no page's load event waits for it."""

import json
from datetime import date
from urllib.parse import urlsplit

import pytest
from django.urls import Resolver404, resolve
from playwright.sync_api import Error as PlaywrightError

from conftest import ARTIFACTS, PASSWORD, ROOT
from tests.snapshots import demo_seed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = ROOT / "var" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
ROLES = ["reporter", "dept_reporter", "approver", "lead", "office", "leader"]
WIDTHS = (1366, 390)  # a desktop, a phone
SKIP = ("_export=", "/excel/", "/download/", "/admin/", "/api/", "/accounts/logout", "/rebuild/", "/job/")
MOST_PAGES = 60
CDN = "https://cdn.jsdelivr.net/**"
LOAD_MS = 2000
# The pages each role must reach (URL names), besides what its links lead to.
MUST = {
    "reporter": {"reports:supervision-list", "reports:supervision-detail"},  # the detail holds the answer form
    "dept_reporter": {"reports:supervision-list"},
    "approver": {"reports:supervision-list", "reports:supervision-detail"},
    "lead": {"reports:supervision-list", "reports:supervision-detail"},
    "office": {
        "reports:supervision-list",
        "reports:supervision-detail",
        "reports:supervision-raise",
        "reports:supervision-findings",
        "reports:supervision-proposals",
        "reports:supervision-settings",
        "indicators:baselines",
        "indicators:baseline-new",
        "indicators:plan-loads",
    },
    "leader": {"reports:supervision-list", "reports:supervision-detail"},
}
# How long the page itself held its load event after the response arrived (the server's
# own time on a shared test machine is not what a hanging CDN costs).
LOAD_TIME = """() => { const n = performance.getEntriesByType("navigation")[0];
  return n.loadEventEnd > 0 ? n.loadEventEnd - n.responseEnd : null; }"""

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

    demo_seed(plan_2022, today=date(2022, 8, 1))
    # June still open, so that the entry sheets show their fields (tasks' progress too)
    ReportingMonth.objects.update_or_create(
        period=date(2022, 6, 1), defaults={"deadline": date(2099, 1, 5), "lock_date": date(2099, 1, 15)}
    )
    from indicators.models import Submission

    Submission.objects.filter(period=date(2022, 6, 1), unit__code__in=["hengnan", "tax"]).update(state="draft")
    return plan_2022


@pytest.fixture
def orders(demo, users):
    """督办单 in every hand: one overdue with 衡南县's reporter, one answered and with its
    approver or the lead department, one from a finding on 税务局; a finding still open;
    the rules' proposals."""
    from reports.supervision import services
    from reports.supervision.models import Finding
    from reports.supervision.proposals import proposals_refresh
    from reports.tests.supervision_data import metric_led_by, order_on

    office, day = users["office"], date(2022, 7, 1)
    overdue = order_on(office, "hengnan", metric_led_by("amr", "hengnan"), today=day, level="listed")
    answered = order_on(office, "hengnan", metric_led_by("amr", "hengnan", led=False), today=day)
    services.order_answer(
        order=answered,
        user=users["reporter"],
        measures="增配窗口人员",
        progress="已完成六成",
        expected_done=date(2022, 8, 1),
        files=[],
        version=answered.version,
    )
    finding = services.finding_record(
        source="complaint", received=day, unit=users["dept_reporter"].membership.unit, description="窗口拒收材料", user=office
    )
    services.order_raise(
        unit=finding.unit,
        finding=finding,
        problem=finding.description,
        required="核实整改",
        due=date(2022, 7, 20),
        user=office,
        today=day,
    )
    Finding.objects.create(
        source="incognito", received=day, unit=overdue.unit, description="暗访发现窗口午间不接件", recorded_by=office
    )
    proposals_refresh(plan=demo, period=date(2022, 6, 1), today=day)
    return {"overdue": overdue, "answered": answered}


@pytest.mark.skipif(not AXE.exists(), reason="run `make setup` first (axe-core from npm)")
@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_every_role_has_no_serious_accessibility_finding(browser, live_server, users, orders, settings, role):
    """Each page is opened once and checked at both widths: axe runs at 1366 px, the
    window is narrowed to 390 px (the page reflows, as a phone's browser lays it out)
    and axe runs again. Each width is asserted apart."""
    settings.CHARTJS_LOCAL = False  # the dashboards ask the CDN first, and it hangs
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": WIDTHS[0], "height": 844}, bypass_csp=True
    )
    hanging = []
    context.route(CDN, lambda route: hanging.append(route.request.url))  # never answered
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        visited, findings, slow = _crawl(page, live_server, users, orders, role)
    finally:
        context.close()
    for width in WIDTHS:
        report = {"visited": visited, "findings": findings[width], "slow": slow}
        (ARTIFACTS / f"a11y-{role}-{width}.json").write_text(json.dumps(report, ensure_ascii=False, indent=1))
    assert len(visited) > 2, visited
    for width in WIDTHS:
        assert not findings[width], (width, findings[width])
    assert MUST[role] <= {_kind(p) for p in visited}, MUST[role] - {_kind(p) for p in visited}
    assert not slow, f"load event held by the hanging CDN: {slow}"
    if role in ("office", "leader"):
        assert hanging, "the dashboards asked the (hanging) CDN"


def _crawl(page, live_server, users, orders, role):
    page.goto("/accounts/login/")
    page.fill("input[name=username]", users[role].username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    unit = users[role].membership.unit
    todo = ["/"] + ([f"/indicators/entry/{unit.code}/2022-06/"] if unit else [])
    mine = orders["answered"] if role == "approver" else orders["overdue"]  # the lead: its indicator's
    todo += [
        "/reports/supervision/",
        f"/reports/supervision/{mine.pk}/",
        "/reports/supervision/raise/?period=2022-06",
        "/reports/supervision/findings/",
        "/reports/supervision/proposals/",
        "/reports/supervision/settings/",
        "/indicators/baselines/",
        "/indicators/baselines/new/",
        "/indicators/plan-loads/",
    ]
    seen_kinds, visited, slow = set(), [], {}
    findings = {width: {} for width in WIDTHS}
    while todo and len(visited) < MOST_PAGES:
        path = todo.pop(0)
        kind = _kind(path)
        if kind is None or kind in seen_kinds:
            continue
        seen_kinds.add(kind)
        page.set_viewport_size({"width": WIDTHS[0], "height": 844})
        try:
            response = page.goto(path)
        except PlaywrightError:  # a page this role may not open, refused without a body
            continue
        if response is None or response.status != 200:
            continue
        visited.append(path)
        held = page.evaluate(LOAD_TIME)
        if held is None or held >= LOAD_MS:
            slow[path] = held
        page.add_script_tag(path=str(AXE))
        for width in WIDTHS:
            if width != WIDTHS[0]:
                page.set_viewport_size({"width": width, "height": 844})
                page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")  # reflowed
            found = page.evaluate(RUN_AXE)
            if found:
                findings[width][path] = found
                page.screenshot(path=ARTIFACTS / f"a11y-{role}-{width}-{kind.replace(':', '-')}.png", full_page=True)
        todo += [p for p in _links(page, live_server.url) if _kind(p) not in seen_kinds]
    return visited, findings, slow
