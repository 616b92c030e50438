"""The embedded default (SQLite) under the load it is meant for: 16 people saving their
entry sheets at once through a live multi-threaded server, while a dispatch and a
bulletin are built, the office edits a baseline (its year's statuses are refreshed) and
people log in. No save and no login may fail ("database is locked" after the busy
timeout was issue 19's 2 of 87). `bench/sqlite_load` runs the same against a real server."""

import http.cookiejar
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone

from conftest import PASSWORD, make_user
from tests.test_concurrent_saves import Browser

pytestmark = pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"), reason="the embedded default is SQLite"
)
SAVERS = 16
ROUNDS = 6


@pytest.fixture
def a_year(transactional_db, users):
    """A year of figures for the 16 units (so a baseline edit refreshes twelve months),
    June open for entry, one reporter per unit."""
    from actions.models import Membership, Unit
    from indicators.models import Figure, Metric, ReportingMonth

    today = timezone.localdate()
    units = list(Unit.objects.filter(kind__in=["county", "park"]).order_by("sort_order", "pk")[:SAVERS])
    metric = Metric.objects.get(code="business_start_days", plan__year=2022)
    for month in range(1, 13):
        far = month >= 6  # June onwards still open
        ReportingMonth.objects.create(
            period=date(2022, month, 1),
            deadline=date(today.year + 1, 1, 5) if far else date(2022, month + 1, 5),
            lock_date=date(today.year + 1, 1, 15) if far else date(2022, month + 1, 15),
        )
    Figure.objects.bulk_create(
        Figure(unit=u, metric=metric, period=date(2022, m, 1), value=Decimal("0.4"), cases=3) for u in units for m in range(1, 6)
    )
    reporters = [make_user(f"load_{u.code}", Membership.Role.REPORTER, u.code) for u in units]
    return {"units": units, "reporters": reporters, "metric": metric} | users


def login(base: str, username: str) -> bool:
    """A browser's login: the form, then the post; True when it lands signed in."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    try:
        with opener.open(base + "/accounts/login/", timeout=60) as r:
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', r.read().decode()).group(1)
        data = urllib.parse.urlencode({"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token})
        with opener.open(base + "/accounts/login/", data=data.encode(), timeout=60) as r:
            return "/accounts/login/" not in r.geturl() and r.status == 200
    except urllib.error.HTTPError:
        return False


def test_sixteen_savers_during_builds_and_a_baseline_edit_never_fail(live_server, a_year, settings, tmp_path):
    from indicators.models import Baseline
    from indicators.services.baselines import baseline_save
    from reports.services.build import report_build

    settings.MEDIA_ROOT = tmp_path
    browsers = [Browser(live_server.url, u, unit.code) for u, unit in zip(a_year["reporters"], a_year["units"], strict=True)]
    for b in browsers:
        b.fields |= {"business_start_days-value": "0.4"}
    start, done = threading.Event(), threading.Event()
    side: dict[str, list] = {"builds": [], "baselines": [], "logins": [], "errors": []}

    def builds():
        start.wait()
        try:
            while not done.is_set():
                for kind, key in (("dispatch", "2022-06"), ("bulletin", "2022Q2")):
                    side["builds"].append(report_build(kind=kind, key=key).version)
        except Exception as e:  # a failed build is a failure of this test too
            side["errors"].append(f"build: {e!r}")

    def baselines():
        start.wait()
        try:
            for n in range(1, 5):
                row = Baseline.objects.filter(metric=a_year["metric"], unit=None, period=None).first()
                row = row or Baseline(metric=a_year["metric"], unit=None, period=None)
                row.value = Decimal(f"0.{n}")
                baseline_save(baseline=row)  # the year's twelve months are refreshed on commit
                side["baselines"].append(n)
                time.sleep(1)
        except Exception as e:
            side["errors"].append(f"baseline: {e!r}")

    def logins():
        start.wait()
        for r in a_year["reporters"][:8]:
            side["logins"].append(login(live_server.url, r.username))

    def saves(browser):
        start.wait()
        out = []
        for cases in range(1, ROUNDS + 1):
            try:
                out.append(browser.save(browser.open(), cases))
            except Exception as e:  # a timeout or a dropped connection counts as a failed save
                out.append(repr(e))
        return out

    with ThreadPoolExecutor(SAVERS + 3) as pool:
        background = [pool.submit(f) for f in (builds, baselines, logins)]
        futures = [pool.submit(saves, b) for b in browsers]
        began = time.monotonic()
        start.set()
        results = [f.result() for f in futures]
        elapsed = time.monotonic() - began
        done.set()
        for f in background:
            f.result()

    statuses = [s for r in results for s in r]
    failed = [s for s in statuses if s != 302]
    print(
        f"\n{len(statuses)} saves by {SAVERS} people in {elapsed:.0f} s, {len(failed)} failed {failed[:5]}; "
        f"{len(side['builds'])} builds, {len(side['baselines'])} baseline edits, "
        f"{side['logins'].count(False)} of {len(side['logins'])} logins failed; {side['errors']}"
    )
    assert len(statuses) == SAVERS * ROUNDS and failed == []
    assert side["errors"] == [] and len(side["baselines"]) == 4 and side["builds"]
    assert side["logins"] == [True] * 8
