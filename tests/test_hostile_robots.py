"""Group robots (催报 to WeCom / DingTalk) that misbehave: a redirect is never followed
(it could lead inside the office's network), a robot that drips its answer is cut off
at one deadline per call, the robot's own error text never reaches the office's page,
and the robots are called from the Celery worker, not inside the office's request."""

import json
import threading
import time
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import override_settings

from actions.models import Unit
from indicators.models import Submission
from reports import tasks
from reports.models import ReminderLog
from reports.tests.dashboard_data import demo_year
from reports.webhooks import WECOM, Robot, post

JUNE = date(2022, 6, 1)
SECRET = "connect 10.1.2.3:8080 refused by intranet-gw"


class Server:
    """A stub HTTP server on 127.0.0.1 whose handler is `respond(handler)`."""

    def __init__(self, respond):
        hits = self.hits = []

        class Handler(BaseHTTPRequestHandler):
            def _any(self):
                length = int(self.headers.get("Content-Length") or 0)
                hits.append((self.command, self.path, self.rfile.read(length)))
                respond(self)

            do_GET = do_POST = _any

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def answer(handler, status=200, body=None, headers=()):
    data = json.dumps(body if body is not None else {"errcode": 0}).encode()
    handler.send_response(status)
    for k, v in headers:
        handler.send_header(k, v)
    handler.send_header("Content-Length", str(len(data)))
    handler.end_headers()
    handler.wfile.write(data)


def test_a_redirect_is_not_followed_and_its_target_never_asked():
    with Server(lambda h: answer(h, 200, {"errcode": 40001, "errmsg": SECRET})) as inside:
        with Server(lambda h: answer(h, 302, {}, [("Location", inside.url + "/admin")])) as robot:
            error = post(Robot(robot.url + "/hook", WECOM), {"msgtype": "text"}, timeout=2)
    assert inside.hits == []  # the internal address was never requested
    assert error.summary == "机器人地址要求跳转(HTTP 302),已拒绝跟随,请核对机器人地址"
    assert "/admin" in error.detail and SECRET not in error.summary


def _drip(handler):
    """Headers at once, then a byte every 0.2 s for 6 s: each read is quick."""
    handler.send_response(200)
    handler.send_header("Content-Length", "40")
    handler.end_headers()
    handler.wfile.flush()
    try:
        for _ in range(30):
            handler.wfile.write(b" ")
            handler.wfile.flush()
            time.sleep(0.2)
    except OSError:
        pass


def test_a_robot_that_drips_its_answer_is_cut_off_at_one_deadline():
    with Server(_drip) as robot:
        started = time.monotonic()
        error = post(Robot(robot.url + "/hook", WECOM), {"msgtype": "text"}, timeout=1)
        elapsed = time.monotonic() - started
    assert elapsed < 2, elapsed  # one deadline for the whole call, not 1 s per byte read
    assert error.summary == "机器人在 1 秒内没有应答完毕"


@pytest.fixture
def year(plan_2022, users):
    demo_year(plan_2022, today=date(2022, 8, 1))
    Submission.objects.filter(period=JUNE, unit__code="hengnan").delete()
    return plan_2022


def test_the_office_request_queues_the_robots_and_the_log_shows_a_chinese_summary(
    client, year, users, monkeypatch, django_capture_on_commit_callbacks
):
    queued = []
    task = getattr(tasks, "reminder_robots_task", None)  # (none before the robots moved to the worker)
    if task is not None:
        monkeypatch.setattr(task, "apply_async", lambda **kw: queued.append(kw))
    with Server(lambda h: answer(h, 200, {"errcode": 93000, "errmsg": SECRET})) as robot:
        with override_settings(REMINDER_WEBHOOKS={"hengnan": Robot(robot.url + "/hook", WECOM)}):
            client.force_login(users["office"])
            with django_capture_on_commit_callbacks(execute=True):
                page = client.post(
                    "/reports/dashboard/completeness/remind/", {"period": "2022-06", "units": ["hengnan"]}, follow=True
                ).content.decode()
            assert robot.hits == []  # not from inside the office's request
            assert "正在由后台向群机器人发送 1 条催报消息" in page
            assert len(queued) == 1
            task(*queued[0]["args"], **queued[0]["kwargs"])  # what the worker runs
            assert len(robot.hits) == 1
    log = ReminderLog.objects.get(channel=ReminderLog.Channel.WEBHOOK)
    assert (log.unit, log.ok, log.sent_by) == (Unit.objects.get(code="hengnan"), False, users["office"])
    assert log.error == "机器人拒收消息(错误码 93000),请核对机器人地址和安全设置" and SECRET in log.detail
    board = client.get("/reports/dashboard/completeness/?period=2022-06").content.decode()
    assert "机器人拒收消息(错误码 93000)" in board and "10.1.2.3" not in board
