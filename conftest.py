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


PLAN_FILE = ROOT / "fixtures" / "plan_2022.yaml"


class PlanSnapshot:
    """The rows that `load_plan fixtures/plan_2022.yaml` writes, taken once per test
    session and put back by bulk inserts in every later test that asks for the plan:
    the loader costs about a second per test (YAML, validation, a query per row), a
    restore a few milliseconds. Rows keep their primary keys and the database's
    sequences are moved past them, so what a test creates afterwards never collides.
    Every model of the project's apps is covered, whatever the loader writes."""

    APPS = ("actions", "indicators", "reports")

    def __init__(self):
        self.rows: list[tuple] | None = None  # tests.snapshots.prepared() rows in creation order
        self.digest = None

    @staticmethod
    def _models():
        from django.apps import apps

        return [m for m in apps.get_models(include_auto_created=True) if m._meta.app_label in PlanSnapshot.APPS]

    def _digest(self):
        return PLAN_FILE.stat().st_mtime_ns

    def take(self) -> None:
        """Load the plan for real and keep what it added (nothing is in these tables yet
        inside a fresh test, except what other fixtures made first: those rows are left out)."""
        from tests.snapshots import creation_order, prepared

        before = {m: set(m._base_manager.values_list("pk", flat=True)) for m in self._models()}
        call_command("load_plan", str(PLAN_FILE), stdout=open(os.devnull, "w"))
        rows = []
        for model in creation_order(self._models()):
            added = [o for o in model._base_manager.order_by("pk") if o.pk not in before[model]]
            if added:
                rows.append((model, added))
        self.rows, self.digest = prepared(rows), self._digest()

    def restore(self) -> None:
        from tests.snapshots import insert

        insert(self.rows)

    def load(self) -> None:
        if self.rows is None or self.digest != self._digest():
            self.take()
        else:
            self.restore()


_plan_snapshot = PlanSnapshot()


@pytest.fixture
def plan_2022(db):
    """The 2022 plan as `load_plan fixtures/plan_2022.yaml` writes it (loaded for real
    once per session, then restored from its rows)."""
    from actions.models import Plan

    if Plan.objects.filter(year=2022).exists():  # a test loaded it itself first
        call_command("load_plan", str(PLAN_FILE), stdout=open(os.devnull, "w"))
    else:
        _plan_snapshot.load()
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
    env["MEDIA_ROOT"] = str(settings.MEDIA_ROOT)  # it writes where the test reads
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


# -- `make test-fast`: the tests that need no database, browser or worker -------------
DATABASE_FIXTURES = {"db", "transactional_db", "django_db_setup", "live_server"}


def pytest_collection_modifyitems(items):
    """Mark as `unit` each test that asks for no database (pytest-django refuses database
    access to the others), no browser and no worker: the rules, pure functions, forms
    and parsers. Decided from what the test asks for, so no list needs keeping up."""
    for item in items:
        needs = set(getattr(item, "fixturenames", ()))
        if needs & DATABASE_FIXTURES or any(item.get_closest_marker(m) for m in ("django_db", "browser", "worker")):
            continue
        item.add_marker(pytest.mark.unit)


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
    from django.contrib.auth.models import Group, User
    from django.core.management.color import no_style
    from django.db import connection

    from actions.models import Membership

    # The same primary keys in every test, also on PostgreSQL (whose sequences a rollback
    # does not reset): data seeded on top is put back from tests/snapshots.py then.
    with connection.cursor() as cursor:
        keyed = [User, Membership, Group, Group.permissions.through, User.groups.through]  # the office's beat group
        for statement in connection.ops.sequence_reset_sql(no_style(), keyed):
            cursor.execute(statement)
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


@pytest.fixture
def assumptions_confirmed(plan_2022):
    """The 2022 plan with every judged assumption (待核定) confirmed as it stands: for tests
    of how a kind of target is judged, not of the assumptions (test_assumptions_page)."""
    from indicators.models import Metric
    from indicators.pending import pending_value
    from indicators.rules.assumptions import JUDGED_FIELDS

    for metric in Metric.objects.filter(plan=plan_2022).exclude(pending=[]):
        metric.confirmed = {f: pending_value(metric, f) for f in metric.pending if f in JUDGED_FIELDS}
        metric.save(update_fields=["confirmed"])
    return plan_2022


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


@pytest.fixture(scope="session")
def _test_media(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _media_of_this_process(settings, _test_media):
    """Files the tests write (documents, uploads) go to a folder of this test process,
    not var/media: the parallel processes of `make test` build the same documents under
    the same names at the same time. Tests that read the files set their own folder."""
    settings.MEDIA_ROOT = _test_media


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
