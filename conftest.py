"""Shared test fixtures: the standard users of each role, the loaded 2022 plan, and a
real Celery worker for the tests that prove jobs run through the configured broker."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent


@pytest.fixture
def plan_2022(db):
    call_command("load_plan", str(ROOT / "fixtures" / "plan_2022.yaml"), stdout=open(os.devnull, "w"))
    from actions.models import Plan

    return Plan.objects.get(year=2022)


@pytest.fixture
def celery_worker_process(transactional_db, tmp_path):
    """A real `celery worker` process on the configured broker and the test database."""
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    if db["ENGINE"].endswith("sqlite3"):
        env["DATABASE_URL"] = f"sqlite:///{db['NAME']}"
    else:
        env["DATABASE_URL"] = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env["CELERY_BROKER_URL"] = settings.CELERY_BROKER_URL
    env["BROKER_DIR"] = str(settings.BROKER_DIR)
    env["CELERY_TASK_ALWAYS_EAGER"] = "0"
    log = open(tmp_path / "worker.log", "w")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "hengyang_ybe",
            "worker",
            "--pool",
            "solo",
            "-l",
            "info",
            "-n",
            f"test-{os.getpid()}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    time.sleep(0.5)
    yield proc
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


# -- the standard users of each role ------------------------------------------------
PASSWORD = "Test-pass-2022"


def make_user(username, role, unit_code=None, **extra):
    from django.contrib.auth.models import User

    from actions.models import Membership, Unit

    user = User.objects.create_user(username=username, password=PASSWORD, first_name=username, **extra)
    unit = Unit.objects.get(code=unit_code) if unit_code else None
    Membership.objects.create(user=user, role=role, unit=unit)
    return user


@pytest.fixture
def users(plan_2022):
    """One user per role: a county reporter (衡南县) and a second county's reporter
    (祁东县), a department reporter (税务局), an approver, a lead unit, the office, a
    leader and an administrator."""
    from actions.models import Membership

    R = Membership.Role
    return {
        "reporter": make_user("hengnan_reporter", R.REPORTER, "hengnan"),
        "other_reporter": make_user("qidong_reporter", R.REPORTER, "qidong"),
        "dept_reporter": make_user("tax_reporter", R.REPORTER, "tax"),
        "approver": make_user("hengnan_approver", R.APPROVER, "hengnan"),
        "lead": make_user("amr_lead", R.LEAD, "amr"),
        "office": make_user("office", R.OFFICE, "office"),
        "leader": make_user("leader", R.LEADER),
        "admin": make_user("sysadmin", R.ADMIN, is_staff=True, is_superuser=True),
    }


# -- browser tests: one live server and one chromium for the whole session -----------
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by Playwright (no browser download: executable_path)."""
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            headless=True,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--disable-component-update"],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context (no cookies) per test, pointed at the live server."""
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 1366, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield pg
    context.close()


def browser_login(page, username, password=PASSWORD):
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()


@pytest.fixture(autouse=True)
def _chartjs_local(settings):
    """No internet in tests and CI: the dashboards load Chart.js from the local copy."""
    settings.CHARTJS_LOCAL = True


@pytest.fixture(autouse=True)
def _empty_result_cache():
    """Each test starts with no cached results: a rolled-back test leaves its status rows'
    refresh times behind in no table, and the next test's rows may reuse its keys."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Tests create many users; PBKDF2's million rounds cost half a second each. Production
    keeps Django's default hashers."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# Property-based tests explore new random inputs on developers' machines; CI replays a
# fixed sequence so that a landing never depends on luck (found failures become tests).
try:
    from hypothesis import settings as hypothesis_settings

    hypothesis_settings.register_profile("ci", derandomize=True, database=None)
    if os.environ.get("CI"):
        hypothesis_settings.load_profile("ci")
except ImportError:  # pragma: no cover
    pass
