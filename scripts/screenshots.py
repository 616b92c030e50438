"""`make screenshots`: the README's pictures of each role's month, taken from the demo on a
live server in Debian's chromium at 1366 px and 390 px, written to docs/screenshots/.

The demo is built in its own database and media folder (var/screenshots.sqlite3,
var/screenshots-media/, rebuilt each run) so the development data is never touched.
PNGs are reduced to a small palette to stay small."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
DB = ROOT / "var" / "screenshots.sqlite3"
MEDIA = ROOT / "var" / "screenshots-media"
PASSWORD = "Demo@2022"
WIDE, PHONE = (1366, 860), (390, 844)

# (file name, demo user, page, viewport, what to wait for, a click first or None)
SHOTS = [
    ("reporter-home-phone", "hengnan_tb", "/", PHONE, "#my-month", None),
    ("reporter-entry", "hengnan_tb", "/indicators/entry/", WIDE, "form", None),
    ("approver-home", "hengnan_sh", "/", WIDE, "#my-month", None),
    ("lead-overview", "amr_qt", "/reports/dashboard/", WIDE, "canvas[data-chart=areas][data-drawn]", None),
    ("office-review", "office", "/indicators/entry/", WIDE, "table", None),
    ("office-remind", "office", "/reports/dashboard/completeness/", WIDE, ".messages", "button[name=all]"),
    ("leader-home", "leader", "/", WIDE, "canvas[data-chart][data-drawn]", None),
    ("leader-home-phone", "leader", "/", PHONE, "canvas[data-chart][data-drawn]", None),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _manage(env, *args) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def _wait_for(port: int, proc: subprocess.Popen) -> None:
    for _ in range(200):
        if proc.poll() is not None:
            raise SystemExit("the demo server stopped at start-up")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise SystemExit("the demo server did not start")


def _shrink(path: Path) -> None:
    """A 64-colour palette PNG: a fraction of the size, and text stays sharp."""
    image = Image.open(path).convert("RGB")
    image.quantize(colors=64, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    DB.unlink(missing_ok=True)
    env = dict(
        os.environ,
        DATABASE_URL=f"sqlite:///{DB}",
        MEDIA_ROOT=str(MEDIA),
        DEBUG="1",  # runserver serves the static files; the server listens on 127.0.0.1 only
        CHARTJS_LOCAL="1",
        CELERY_TASK_ALWAYS_EAGER="1",
    )
    print("== building the demo in", DB.relative_to(ROOT))
    _manage(env, "migrate", "--noinput")
    _manage(env, "seed_demo")
    _manage(env, "seed_demo_reports")
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(port, server)
        base = f"http://127.0.0.1:{port}"
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=["--no-sandbox"])
            for name, user, path, (width, height), ready, click in SHOTS:
                context = browser.new_context(base_url=base, locale="zh-CN", viewport={"width": width, "height": height})
                page = context.new_page()
                page.goto("/accounts/login/")
                page.fill("input[name=username]", user)
                page.fill("input[name=password]", PASSWORD)
                page.click("button[type=submit]")
                page.wait_for_load_state()
                page.goto(path)
                if click:
                    page.click(click)
                    page.wait_for_load_state()
                page.wait_for_selector(ready, timeout=15000)
                target = OUT / f"{name}.png"
                page.screenshot(path=target)
                _shrink(target)
                print(f"   {target.relative_to(ROOT)}  {target.stat().st_size // 1024} KB")
                context.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
