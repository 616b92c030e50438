"""Production settings: `check --deploy` is clean, secrets are required, cookies are
secure, and every response carries the security headers and a Content-Security-Policy
that lets Chart.js (local copy or the CDN) and nonce'd inline scripts run, nothing else."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.template import engines
from django.urls import path

ROOT = Path(__file__).resolve().parent.parent
PROD_KEY = "k3#Vb9!x-" + "q" * 20 + "Zr7$uT2@mW8^pL5&nJ4*hG6(fD1)sA0"


def run_prod(*args, secret=PROD_KEY, **extra):
    # A clean production environment as `make prod` sets it (PROD_ENV in the Makefile): not
    # the test run's database nor the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE (which check
    # --deploy rightly warns about).
    dropped = {"SECRET_KEY", "DEBUG", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "BEHIND_TLS_PROXY", "STATIC_MANIFEST"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(DEBUG="0", BEHIND_TLS_PROXY="1", STATIC_MANIFEST="1", ALLOWED_HOSTS="hengyang.example.gov.cn", **extra)
    if secret:
        env["SECRET_KEY"] = secret
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def test_check_deploy_is_clean():
    result = run_prod("manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_make_prod_refuses_to_start_without_a_secret_key():
    # Several machines must share one key; `make run` generates its own instead (test_safe_defaults).
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    result = subprocess.run(["make", "prod"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "make prod 需要 SECRET_KEY" in result.stdout + result.stderr


def test_make_prod_runs_behind_the_tls_proxy_with_collected_static_files():
    makefile = (ROOT / "Makefile").read_text()
    prod_env = re.search(r"^PROD_ENV = (.*)$", makefile, re.M).group(1)
    assert "DEBUG=0" in prod_env and "BEHIND_TLS_PROXY=${BEHIND_TLS_PROXY:-1}" in prod_env.replace("$$", "$")
    assert "STATIC_MANIFEST=${STATIC_MANIFEST:-1}" in prod_env.replace("$$", "$")
    assert makefile.count("$(PROD_ENV) ") == 5  # check --deploy, migrate, refresh_status, collectstatic, honcho


PRINT_SETTINGS = """
import json, django
django.setup()
from django.conf import settings as s
print(json.dumps({k: getattr(s, k) for k in ["SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY",
  "SECURE_HSTS_SECONDS", "SECURE_SSL_REDIRECT", "SECURE_PROXY_SSL_HEADER", "DEBUG"]}
  | {"static": s.STORAGES["staticfiles"]["BACKEND"]}))
"""


def prod_settings(**extra):
    result = run_prod("-c", PRINT_SETTINGS, DJANGO_SETTINGS_MODULE="hengyang_ybe.settings", **extra)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_cookies_are_secure_and_https_is_enforced():
    s = prod_settings()
    assert s["DEBUG"] is False
    assert s["SESSION_COOKIE_SECURE"] and s["CSRF_COOKIE_SECURE"] and s["SESSION_COOKIE_HTTPONLY"]
    assert s["SECURE_HSTS_SECONDS"] >= 31536000
    assert s["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert s["SECURE_SSL_REDIRECT"] is False  # the TLS proxy redirects; documented in the README
    assert s["static"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"


def test_the_environment_can_switch_the_redirect_on():
    assert prod_settings(SECURE_SSL_REDIRECT="1")["SECURE_SSL_REDIRECT"] is True
    result = run_prod("manage.py", "check", SECURE_SSL_REDIRECT="perhaps")
    assert result.returncode != 0 and "SECURE_SSL_REDIRECT must be a boolean" in result.stderr


# -- headers, on a page with a chart-like inline script ------------------------------------
PAGE = engines["django"].from_string(
    '<script src="/static/vendor/chart.umd.min.js"></script><script nonce="{{ request.csp_nonce }}">draw()</script>'
)


def chart_page(request):
    return HttpResponse(PAGE.render({}, request))


urlpatterns = [path("chart/", chart_page)]


def csp_directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in header.split(";") if d.strip()}


@pytest.mark.urls(__name__)
def test_every_response_has_the_security_headers(client):
    response = client.get("/chart/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.urls(__name__)
def test_the_policy_lets_charts_and_nonced_scripts_run_and_nothing_else(client):
    response = client.get("/chart/")
    nonce = re.search(r'nonce="([^"]+)"', response.content.decode()).group(1)
    d = csp_directives(response)
    assert d["script-src"] == ["'self'", f"'nonce-{nonce}'", "https://cdn.jsdelivr.net"]
    assert "'unsafe-inline'" not in d["script-src"] and "'unsafe-eval'" not in d["script-src"]
    assert d["default-src"] == ["'self'"]
    assert d["object-src"] == ["'none'"]
    assert d["frame-ancestors"] == ["'none'"]
    assert client.get("/chart/")["Content-Security-Policy"] != response["Content-Security-Policy"]  # a nonce per request


@pytest.mark.urls(__name__)
def test_the_policy_follows_the_chartjs_cdn_setting(client, settings):
    settings.CHARTJS_CDN_URL = "https://unpkg.com/chart.js@4.5.1/dist/chart.umd.min.js"
    assert csp_directives(client.get("/chart/"))["script-src"][-1] == "https://unpkg.com"
