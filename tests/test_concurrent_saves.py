"""Concurrent saves on the embedded default (SQLite): two units saving at once, a double
click (the same form posted twice at once) and saves during a bulletin build, each
through a live multi-threaded server, give no server error. A double click may be
refused as stale (409), never a 500."""

import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from indicators.models import Figure, ReportingMonth, Submission

pytestmark = pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"), reason="the embedded default is SQLite"
)
PERIOD = "2022-06"
ROUNDS = 12


@pytest.fixture
def open_june(transactional_db, users):
    today = timezone.localdate()
    ReportingMonth.objects.create(
        period=date(2022, 6, 1), deadline=date(today.year + 1, 1, 5), lock_date=date(today.year + 1, 1, 15)
    )
    return users


class Browser:
    """One signed-in user talking to the live server over real HTTP."""

    def __init__(self, base: str, user, unit: str):
        client = Client()
        client.force_login(user)
        self.cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        path = f"/indicators/entry/{unit}/{PERIOD}/"
        self.url = base + path
        form = client.get(path).context["form"]  # every field of the sheet, as the page fills it
        self.fields = {name: ("" if form[name].value() is None else form[name].value()) for name in form.fields}

    def open(self) -> dict:
        """GET the sheet: the version and CSRF token a browser would post back."""
        req = urllib.request.Request(self.url, headers={"Cookie": self.cookie})
        with urllib.request.urlopen(req, timeout=60) as r:
            page = r.read().decode()
            csrf_cookie = re.search(r"csrftoken=([^;]+)", r.headers.get("Set-Cookie", "")).group(1)
        return {
            "version": re.search(r'name="version" value="(\d+)"', page).group(1),
            "csrfmiddlewaretoken": re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1),
            "_csrf_cookie": csrf_cookie,
        }

    def save(self, opened: dict, cases: int) -> int:
        data = self.fields | {k: v for k, v in opened.items() if not k.startswith("_")}
        data |= {"business_start_days-value": "0.4", "business_start_days-cases": str(cases), "action": "save"}
        req = urllib.request.Request(
            self.url,
            data=urllib.parse.urlencode(data).encode(),
            headers={"Cookie": f"{self.cookie}; csrftoken={opened['_csrf_cookie']}"},
        )
        opener = urllib.request.build_opener(NoRedirect)
        try:
            with opener.open(req, timeout=60) as r:
                return r.status
        except urllib.error.HTTPError as e:
            return e.code


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def saves(browser: Browser, rounds: int, start: threading.Event | None = None) -> list[int]:
    if start:
        start.wait()
    return [browser.save(browser.open(), cases) for cases in range(1, rounds + 1)]


def test_two_units_saving_at_once_never_fail(live_server, open_june):
    a = Browser(live_server.url, open_june["reporter"], "hengnan")
    b = Browser(live_server.url, open_june["other_reporter"], "qidong")
    start = threading.Event()
    with ThreadPoolExecutor(2) as pool:
        futures = [pool.submit(saves, a, ROUNDS, start), pool.submit(saves, b, ROUNDS, start)]
        start.set()
        results = [f.result() for f in futures]

    assert results == [[302] * ROUNDS, [302] * ROUNDS]
    for unit in ("hengnan", "qidong"):
        assert Submission.objects.get(unit__code=unit).version == ROUNDS
        assert Figure.objects.get(unit__code=unit, metric__code="business_start_days").cases == ROUNDS


def test_a_double_click_saves_once_and_refuses_the_copy(live_server, open_june):
    browser = Browser(live_server.url, open_june["reporter"], "hengnan")
    statuses = []
    for cases in range(1, ROUNDS + 1):
        opened = browser.open()
        with ThreadPoolExecutor(2) as pool:
            pair = sorted(pool.map(lambda _: browser.save(opened, cases), range(2)))
        statuses.append(pair)

    assert all(pair == [302, 409] for pair in statuses), statuses  # one saved, the copy refused as stale
    assert Submission.objects.get(unit__code="hengnan").version == ROUNDS


def test_saves_during_a_bulletin_build_never_fail(live_server, open_june, settings, tmp_path):
    from reports.services.build import report_build

    settings.MEDIA_ROOT = tmp_path
    a = Browser(live_server.url, open_june["reporter"], "hengnan")
    b = Browser(live_server.url, open_june["other_reporter"], "qidong")
    built = []

    def build():
        for _ in range(2):
            built.append(report_build(kind="bulletin", key="2022Q2"))

    builder = threading.Thread(target=build)
    builder.start()
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda br: saves(br, ROUNDS), [a, b]))
    builder.join(120)

    assert results == [[302] * ROUNDS, [302] * ROUNDS]
    assert len(built) == 2 and built[-1].version == 2
