"""Chart.js comes from the pinned CDN file with subresource integrity and falls back to
the local copy; CHARTJS_LOCAL=1 uses the local copy only."""

import base64
import hashlib
import time
from datetime import date

import pytest
from django.conf import settings as django_settings
from django.template import Context, Template

from conftest import browser_login
from hengyang_ybe.settings import BASE_DIR
from tests.snapshots import demo_seed

LOCAL = BASE_DIR / "static" / "vendor" / "chart.umd.min.js"


class _Request:
    csp_nonce = "n0nce"


def _loader() -> str:
    return Template("{% load dashboard %}{% chartjs %}").render(Context({"request": _Request()}))


def test_the_cdn_script_carries_its_integrity_and_a_local_fallback(settings):
    settings.CHARTJS_LOCAL = False
    html = _loader()
    assert f'cdn.src = "{settings.CHARTJS_CDN_URL}";' in html
    assert f'cdn.integrity = "{settings.CHARTJS_SRI}";' in html
    assert 'cdn.crossOrigin = "anonymous";' in html
    assert "cdn.onerror = local;" in html
    assert "setTimeout(function () { if (!window.Chart) local(); }, 3000);" in html  # a CDN that hangs
    assert '<script nonce="n0nce">' in html  # the inline loader passes the Content-Security-Policy
    assert "/static/vendor/chart.umd.min.js" in html  # what the fallback loads


def test_chartjs_local_skips_the_cdn(settings):
    settings.CHARTJS_LOCAL = True
    html = _loader()
    assert "cdn.jsdelivr.net" not in html
    assert '<script src="/static/vendor/chart.umd.min.js"></script>' in html


def test_the_pinned_version_is_the_one_make_static_installs():
    assert "chart.js@4.5.1/" in django_settings.CHARTJS_CDN_URL
    makefile = (BASE_DIR / "Makefile").read_text()
    assert "CHARTJS_VERSION := 4.5.1" in makefile


@pytest.mark.skipif(not LOCAL.exists(), reason="run `make static` first")
def test_the_integrity_hash_is_that_of_the_local_copy():
    digest = base64.b64encode(hashlib.sha384(LOCAL.read_bytes()).digest()).decode()
    assert django_settings.CHARTJS_SRI == f"sha384-{digest}"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not LOCAL.exists(), reason="run `make static` first")
def test_charts_are_drawn_from_the_local_copy_while_the_cdn_hangs(page, users, plan_2022, settings):
    """The CDN neither answers nor fails (a blackholed route): the local copy is loaded
    after 3 s and the chart is drawn within about 5 s."""
    settings.CHARTJS_LOCAL = False
    demo_seed(plan_2022, today=date(2022, 8, 1))
    hung = []
    page.route(settings.CHARTJS_CDN_URL, lambda route: hung.append(route))  # never fulfilled
    browser_login(page, "office")
    started = time.monotonic()
    page.goto("/reports/dashboard/?period=2022-06", wait_until="domcontentloaded")
    page.wait_for_selector("canvas[data-chart=areas][data-drawn]", timeout=6000)
    took = time.monotonic() - started
    assert hung, "the CDN was asked first"
    assert page.evaluate("() => !!Chart.getChart(document.querySelector('canvas[data-chart=areas]'))")
    assert 2.5 < took < 6


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not LOCAL.exists(), reason="run `make static` first")
def test_a_hanging_cdn_does_not_hold_the_pages_load_event(page, users, plan_2022, settings):
    """The CDN route never answers: the page still finishes loading within 2 s (the
    browser's spinner stops, and the charts follow from the local copy)."""
    settings.CHARTJS_LOCAL = False
    demo_seed(plan_2022, today=date(2022, 8, 1))
    page.route(settings.CHARTJS_CDN_URL, lambda route: None)  # never fulfilled
    browser_login(page, "office")
    page.goto("/reports/dashboard/?period=2022-06", wait_until="commit")
    loaded = page.evaluate(
        "() => new Promise(done => { setTimeout(() => done(99999), 5000);"
        " const t = () => done(performance.getEntriesByType('navigation')[0].loadEventStart);"
        " if (document.readyState === 'complete') t(); else addEventListener('load', () => setTimeout(t)); })"
    )
    assert loaded < 2000, f"load event after {loaded:.0f} ms"
    page.wait_for_selector("canvas[data-chart=areas][data-drawn]", timeout=6000)
