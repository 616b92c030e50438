"""Safe by default: `make run` serves with DEBUG off, a secret of its own in var/, Chinese
error pages and working static files and logins on plain http; DEBUG needs DEBUG=1;
error reports never show a broker's password."""

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from django.conf import settings
from django.test import RequestFactory, override_settings
from django.views.debug import technical_500_response

from hengyang_ybe.security import SecretsReporterFilter

ROOT = Path(__file__).resolve().parent.parent
DROPPED = {"SECRET_KEY", "DEBUG", "DATABASE_URL", "ALLOWED_HOSTS", "BEHIND_TLS_PROXY", "STATIC_MANIFEST", "WEB_HOST"}
SHOW = """
import json, os, django
django.setup()
from django.conf import settings as s
print(json.dumps({"DEBUG": s.DEBUG, "key": s.SECRET_KEY, "hosts": s.ALLOWED_HOSTS,
  "session_secure": s.SESSION_COOKIE_SECURE, "csrf_secure": s.CSRF_COOKIE_SECURE, "hsts": s.SECURE_HSTS_SECONDS,
  "proxy": s.SECURE_PROXY_SSL_HEADER, "finders": s.WHITENOISE_USE_FINDERS,
  "static": s.STORAGES["staticfiles"]["BACKEND"]}))
"""


def local_env(tmp_path, **extra):
    """The environment of `make run` on a fresh machine: nothing set."""
    env = {k: v for k, v in os.environ.items() if k not in DROPPED}
    env.update(DJANGO_SETTINGS_MODULE="hengyang_ybe.settings", SECRET_KEY_FILE=str(tmp_path / "secret_key"), **extra)
    return env


def show(tmp_path, **extra) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", SHOW], cwd=ROOT, env=local_env(tmp_path, **extra), capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_debug_is_off_unless_asked_for(tmp_path):
    assert show(tmp_path)["DEBUG"] is False
    assert show(tmp_path, DEBUG="1")["DEBUG"] is True


def test_a_secret_is_generated_once_private_and_kept(tmp_path):
    first = show(tmp_path)["key"]
    key_file = tmp_path / "secret_key"

    assert len(first) >= 50 and first != "dev-only-insecure-key"
    assert key_file.read_text().strip() == first
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert show(tmp_path)["key"] == first  # sessions survive a restart
    assert show(tmp_path / "elsewhere")["key"] != first  # never a key shared between installations
    assert show(tmp_path, SECRET_KEY="given-" + "x" * 50)["key"] == "given-" + "x" * 50


def test_a_damaged_key_file_stops_the_start_up(tmp_path):
    (tmp_path / "secret_key").write_text("short")
    result = subprocess.run([sys.executable, "-c", SHOW], cwd=ROOT, env=local_env(tmp_path), capture_output=True, text=True)
    assert result.returncode != 0 and "secret_key" in result.stderr


def test_local_http_defaults_let_a_browser_keep_its_session(tmp_path):
    s = show(tmp_path, WEB_HOST="192.168.1.20")

    assert {"127.0.0.1", "localhost", "192.168.1.20"} <= set(s["hosts"])
    assert s["session_secure"] is False and s["csrf_secure"] is False  # plain http on loopback
    assert s["hsts"] == 0 and s["proxy"] is None
    assert s["finders"] is True and s["static"] == "django.contrib.staticfiles.storage.StaticFilesStorage"


def test_behind_the_tls_proxy_everything_is_https_only(tmp_path):
    s = show(tmp_path, BEHIND_TLS_PROXY="1", STATIC_MANIFEST="1")

    assert s["session_secure"] and s["csrf_secure"] and s["hsts"] >= 31536000
    assert s["proxy"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert s["static"] == "whitenoise.storage.CompressedManifestStaticFilesStorage" and s["finders"] is False


# -- error reports ------------------------------------------------------------------------
BROKER_PASSWORD = "hunter2" + "-broker"  # never literally in this file: the debug page quotes source lines
BROKER = f"redis://:{BROKER_PASSWORD}@10.0.0.5:6379/0"


def test_error_reports_mask_passwords_in_urls():
    with override_settings(CELERY_BROKER_URL=BROKER, CACHE_URL="redis://cache:s3cret-cache@10.0.0.6:6379/1"):
        safe = SecretsReporterFilter().get_safe_settings()

    assert BROKER_PASSWORD not in safe["CELERY_BROKER_URL"] and "10.0.0.5:6379/0" in safe["CELERY_BROKER_URL"]
    assert "s3cret-cache" not in safe["CACHE_URL"]
    assert safe["STATIC_URL"] == settings.STATIC_URL  # other settings untouched


@override_settings(DEBUG=True, CELERY_BROKER_URL=BROKER)
def test_even_a_debug_traceback_hides_the_broker_password():
    request = RequestFactory().get("/")
    try:
        raise RuntimeError("the broker is down")
    except RuntimeError:
        response = technical_500_response(request, *sys.exc_info())

    page = response.content.decode()
    assert "CELERY_BROKER_URL" in page
    assert BROKER_PASSWORD not in page


# -- the web process of `make run`, as the Procfile starts it ------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def make_run_web(transactional_db, tmp_path, settings):
    """The Procfile's web line on the test database, with `make run`'s (empty) environment."""
    from django.conf import global_settings

    from conftest import make_user

    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS  # the server's own hashers

    db = settings.DATABASES["default"]
    if not db["ENGINE"].endswith("sqlite3"):
        pytest.skip("the embedded default is SQLite")
    make_user("web_office", "office")
    port = free_port()
    web_line = next(line for line in (ROOT / "Procfile").read_text().splitlines() if line.startswith("web:"))
    env = local_env(tmp_path, WEB_PORT=str(port), DATABASE_URL=f"sqlite:///{db['NAME']}")
    env["PATH"] = f"{Path(sys.executable).parent}:{env['PATH']}"
    log = open(tmp_path / "web.log", "w")
    proc = subprocess.Popen(["bash", "-c", "exec " + web_line.split(":", 1)[1]], cwd=ROOT, env=env, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):  # up to a minute on a busy machine
        try:
            urllib.request.urlopen(base + "/accounts/login/", timeout=1)
            break
        except urllib.error.HTTPError:
            break
        except OSError:
            time.sleep(0.2)
    yield base
    proc.terminate()
    proc.wait(timeout=10)
    log.close()


def fetch(opener, url, data=None):
    try:
        with opener.open(url, data=data, timeout=10) as r:
            return r.status, r.headers, r.read().decode("utf-8", "replace"), r.url
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read().decode("utf-8", "replace"), url


def test_make_run_serves_static_files_chinese_errors_and_logins_on_plain_http(make_run_web):
    from conftest import PASSWORD

    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    status, headers, body, _ = fetch(opener, make_run_web + "/static/css/app.css")
    assert status == 200 and "text/css" in headers["Content-Type"]

    status, _, body, _ = fetch(opener, make_run_web + "/no-such-page/")
    assert status == 404 and "页面不存在" in body
    assert "URLconf" not in body and "admin/" not in body  # no pattern list, no debug page

    status, _, body, _ = fetch(opener, make_run_web + "/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    form = f"username=web_office&password={PASSWORD}&csrfmiddlewaretoken={token}".encode()
    status, _, body, url = fetch(opener, make_run_web + "/accounts/login/", data=form)
    assert status == 200 and url.rstrip("/") == make_run_web, body[:500]  # signed in, back home over http
    assert "退出" in body


# -- the other error pages are Chinese too ---------------------------------------------------
def test_a_stale_form_is_explained_in_chinese(users):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(users["reporter"])
    response = client.post("/indicators/entry/hengnan/2022-06/", {"action": "save"})  # no CSRF token
    assert response.status_code == 403
    assert "页面已过期" in response.content.decode() and "CSRF" not in response.content.decode()


def test_an_unknown_host_is_refused_in_chinese(client, db):
    response = client.get("/accounts/login/", HTTP_HOST="evil.example.com")
    assert response.status_code == 400 and "请求无效" in response.content.decode()
