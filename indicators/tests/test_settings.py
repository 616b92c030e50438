"""Settings read the environment strictly: a malformed value stops the start-up with a
message naming the variable, instead of silently meaning something else."""

import os
import subprocess
import sys
from pathlib import Path

import environ
import pytest

from hengyang_ybe.envvars import env_bool, env_int

ROOT = Path(__file__).resolve().parents[2]
START = "import django; django.setup(); from django.conf import settings; print('DEBUG', settings.DEBUG)"


def start(**env):
    """Start Django in a fresh interpreter with the given environment."""
    environment = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "CELERY_TASK_ALWAYS_EAGER"}}
    environment.update(DJANGO_SETTINGS_MODULE="hengyang_ybe.settings", **env)
    return subprocess.run([sys.executable, "-c", START], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", True),
        ("true", True),
        ("True", True),
        (" yes ", True),
        ("on", True),
        ("0", False),
        ("false", False),
        ("FALSE", False),
        ("no", False),
        ("off", False),
    ],
)
def test_env_bool_reads_clear_answers(monkeypatch, raw, expected):
    monkeypatch.setenv("HY_TEST_FLAG", raw)

    assert env_bool("HY_TEST_FLAG", not expected) is expected


@pytest.mark.parametrize("raw", ["maybe", "2", "ture", "y es", "-1"])
def test_env_bool_refuses_anything_else(monkeypatch, raw):
    monkeypatch.setenv("HY_TEST_FLAG", raw)

    with pytest.raises(environ.ImproperlyConfigured, match="HY_TEST_FLAG must be a boolean"):
        env_bool("HY_TEST_FLAG", True)


@pytest.mark.parametrize("default", [True, False])
def test_env_bool_default_when_unset(monkeypatch, default):
    monkeypatch.delenv("HY_TEST_FLAG", raising=False)

    assert env_bool("HY_TEST_FLAG", default) is default


@pytest.mark.parametrize(("raw", "expected"), [("5", 5), (" 10 ", 10), ("0", 0), ("-1", -1)])
def test_env_int_reads_whole_numbers(monkeypatch, raw, expected):
    monkeypatch.setenv("HY_TEST_NUMBER", raw)

    assert env_int("HY_TEST_NUMBER", 3) == expected


@pytest.mark.parametrize("raw", ["five", "5.5", "", "1e3"])
def test_env_int_refuses_anything_else(monkeypatch, raw):
    monkeypatch.setenv("HY_TEST_NUMBER", raw)

    with pytest.raises(environ.ImproperlyConfigured, match="HY_TEST_NUMBER must be a whole number"):
        env_int("HY_TEST_NUMBER", 3)


def test_a_malformed_number_stops_the_start_up():
    result = start(AXES_FAILURE_LIMIT="five")

    assert result.returncode != 0
    assert "AXES_FAILURE_LIMIT must be a whole number" in result.stderr


def test_a_malformed_debug_stops_the_start_up():
    result = start(DEBUG="maybe")

    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr
    assert "DEBUG" not in result.stdout


def test_a_malformed_celery_flag_stops_the_start_up():
    result = start(CELERY_TASK_ALWAYS_EAGER="sometimes")

    assert result.returncode != 0
    assert "CELERY_TASK_ALWAYS_EAGER must be a boolean" in result.stderr


def test_without_a_secret_key_one_is_generated_for_this_installation(tmp_path):
    result = start(DEBUG="0", SECRET_KEY_FILE=str(tmp_path / "secret_key"))

    assert result.returncode == 0, result.stderr
    assert len((tmp_path / "secret_key").read_text()) >= 50


def test_a_well_formed_environment_starts():
    result = start(DEBUG="0", SECRET_KEY="x" * 50)

    assert result.returncode == 0, result.stderr
    assert "DEBUG False" in result.stdout
