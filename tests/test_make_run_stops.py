"""Stopping `make run`: SIGTERM or SIGINT to the pid an operator has (make's) stops every
process it started (honcho, web, worker, beat) within 10 seconds, and frees the port.
A real `make run` (without its setup and database steps) on the test database."""

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
HONCHO = ROOT / ".venv" / "bin" / "honcho"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def port_in_use(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


@pytest.mark.skipif(not HONCHO.exists(), reason="honcho is not installed (make setup installs it)")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_to_makes_pid_stops_everything_it_started(sig, transactional_db, tmp_path):
    db = settings.DATABASES["default"]
    if not db["ENGINE"].endswith("sqlite3"):
        pytest.skip("runs `make run` on the embedded default")
    port = free_port()
    env = dict(
        os.environ,
        WEB_PORT=str(port),
        DATABASE_URL=f"sqlite:///{db['NAME']}",
        BROKER_DIR=str(tmp_path / "broker"),
        CELERY_BROKER_URL="filesystem://",
    )
    env.pop("DEMO_TODAY", None)
    log = open(tmp_path / "make.log", "w")
    make = subprocess.Popen(
        ["make", "-o", "setup", "-o", "db", "-o", "demo", "run", f"RUN_MARKER={tmp_path}/run/serving"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # as a service manager starts it: no terminal to signal the group
    )
    started: set[int] = set()
    try:
        for _ in range(600):  # up to two minutes on a busy machine
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=1)
                break
            except urllib.error.HTTPError:
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("make run did not serve: " + (tmp_path / "make.log").read_text()[-2000:])
        for _ in range(100):  # the worker and beat start beside the web process
            started = descendants(make.pid)
            if len(started) >= 5:  # scripts/run, honcho, web, worker (+ its pool), beat
                break
            time.sleep(0.2)
        assert len(started) >= 5, started

        sent = time.monotonic()
        os.kill(make.pid, sig)  # one pid: make's
        make.wait(timeout=10)
        left = {p for p in started if alive(p)}
        while left and time.monotonic() - sent < 10:
            time.sleep(0.2)
            left = {p for p in left if alive(p)}
        assert not left, f"still running 10 s after the signal: {left}"
        assert not port_in_use(port)
    finally:
        for pid in descendants(make.pid) | started | {make.pid}:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        log.close()


@pytest.mark.skipif(not HONCHO.exists(), reason="honcho is not installed (make setup installs it)")
@pytest.mark.parametrize("flag, seen", [(["--demo-clock"], "DEMO=2023-01-16"), ([], "DEMO=")])
def test_only_make_run_gives_its_processes_the_demos_date(flag, seen, tmp_path):
    """`make run` passes the demo's date that prepare_run wrote; `make prod` never does."""
    (tmp_path / "run").mkdir()
    (tmp_path / "run" / "demo_today").write_text("2023-01-16\n")
    (tmp_path / "Procfile").write_text('show: echo "DEMO=$DEMO_TODAY"\n')
    env = {k: v for k, v in os.environ.items() if k != "DEMO_TODAY"}
    launcher = [str(ROOT / ".venv" / "bin" / "python"), str(ROOT / "scripts" / "run"), str(tmp_path / "run" / "serving")]
    result = subprocess.run(
        [*launcher, *flag, "-f", str(tmp_path / "Procfile"), "start"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    lines = [line.split("| ", 1)[1] for line in result.stdout.splitlines() if "show.1" in line and "| DEMO=" in line]
    assert lines == [seen]
    assert not (tmp_path / "run" / "serving").exists()
