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
