"""`make test` runs the tests in parallel processes (pytest-xdist names them gw0, gw1, …).
Each has its own broker folder, Redis broker keys and cache keys, so that the real worker
one of them starts never takes the other's jobs, and one clearing its cache between tests
leaves the other's cached results alone."""

import json
import os
import subprocess
import sys
from uuid import uuid4

import pytest
from django.conf import settings

from conftest import ROOT

PRINT = """
import json, django
django.setup()
from django.conf import settings as s
from django.core.cache import caches
print(json.dumps({"broker_dir": str(s.BROKER_DIR), "broker_prefix": s.CELERY_BROKER_TRANSPORT_OPTIONS.get("global_keyprefix"),
                  "cache_prefix": caches["default"].key_prefix}))
"""
REDIS = {"CELERY_BROKER_URL": "redis://127.0.0.1:6379/11", "CACHE_URL": "redis://127.0.0.1:6379/12"}  # not connected to


def settings_of(process: str, **env) -> dict:
    """The settings a test process of that name starts with (empty: outside the tests)."""
    unset = {"PYTEST_XDIST_WORKER", "BROKER_DIR", "CELERY_BROKER_URL", "CACHE_URL", "DATABASE_URL"}
    environment = {k: v for k, v in os.environ.items() if k not in unset} | env
    environment |= {"DJANGO_SETTINGS_MODULE": "hengyang_ybe.settings"} | ({"PYTEST_XDIST_WORKER": process} if process else {})
    out = subprocess.run([sys.executable, "-c", PRINT], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.splitlines()[-1])


def test_each_test_process_has_its_own_broker_folder():
    assert settings_of("gw1")["broker_dir"] == str(ROOT / "var" / "broker-gw1")
    assert settings_of("")["broker_dir"] == str(ROOT / "var" / "broker")  # `make run`'s, unchanged


def test_on_redis_each_test_process_has_its_own_broker_and_cache_keys():
    gw1, outside = settings_of("gw1", **REDIS), settings_of("", **REDIS)
    assert (gw1["broker_prefix"], gw1["cache_prefix"]) == ("gw1:", "gw1")
    assert (outside["broker_prefix"], outside["cache_prefix"]) == (None, "")  # a site's keys as before


@pytest.mark.skipif(not settings.CACHE_URL.startswith("redis://"), reason="needs the Redis cache (CACHE_URL)")
def test_clearing_one_process_cache_leaves_another_s_alone():
    from hengyang_ybe.cache import RedisCache

    tag = uuid4().hex[:8]  # keys of this test only, whoever else uses the database
    mine, theirs = (RedisCache(settings.CACHE_URL, {"KEY_PREFIX": f"isolation-{tag}-{n}"}) for n in ("a", "b"))
    mine.set("board", 1)
    theirs.set("board", 2)
    try:
        mine.clear()

        assert mine.get("board") is None
        assert theirs.get("board") == 2  # Django's own clear() empties the whole database
    finally:
        theirs.clear()
