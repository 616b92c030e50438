"""催报 that reaches people: in-app, mail and each unit's WeCom / DingTalk group robot
(a local stub server stands in for the robots), every delivery logged, failures logged
and never raised, and units without accounts listed for a phone call."""

import json
import threading
import time
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail
from django.test import override_settings

from actions.models import Notification, Unit
from indicators.models import Submission
from reports.models import ReminderLog
from reports.services.reminders import reminders_send
from reports.tests.dashboard_data import demo_year
from reports.webhooks import DINGTALK, WECOM, Robot, WebhookConfigError, parse_robots, payload

JUNE = date(2022, 6, 1)
Channel = ReminderLog.Channel


class Robots:
    """A stub robot server on 127.0.0.1: records each POST; /fail answers errcode 300001,
    /slow answers after `slow` seconds."""

    def __init__(self, slow: float = 0):
        received = self.received = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])).decode("utf-8"))
                received.append((self.path, body))
                if self.path.startswith("/slow"):
                    time.sleep(slow)
                answer = {"errcode": 300001, "errmsg": "invalid webhook url"} if self.path.startswith("/fail") else {"errcode": 0}
                data = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def year(plan_2022, users):
    demo_year(plan_2022, today=date(2022, 8, 1))
    users["reporter"].email = "hengnan@example.cn"
    users["reporter"].save()
    Submission.objects.filter(period=JUNE, unit__code__in=["hengnan", "qidong", "hengdong"]).delete()
    return plan_2022


def units(*codes):
    return [Unit.objects.get(code=c) for c in codes]


def test_every_channel_reaches_the_unit_and_is_logged(year, users):
    hengnan, qidong, hengdong = units("hengnan", "qidong", "hengdong")  # 衡东县 has no account
    with Robots() as robots:
        hooks = {"hengnan": Robot(f"{robots.url}/wecom", WECOM), "default": Robot(f"{robots.url}/ding", DINGTALK)}
        with override_settings(REMINDER_WEBHOOKS=hooks):
            result = reminders_send(period=JUNE, units=[hengnan, qidong, hengdong], sender=users["office"])

    paths = dict(robots.received)
    assert set(paths) == {"/wecom", "/ding"}  # one message to hengnan's group, one to the default group
    assert paths["/wecom"]["msgtype"] == "markdown" and "衡南县" in paths["/wecom"]["markdown"]["content"]
    ding = paths["/ding"]["markdown"]
    assert "【催报】" in ding["title"] and "祁东县、衡东县" in ding["text"] and "衡南县" not in ding["text"]
    assert result.robots == 2 and result.sent == 1 and result.failed == []
    assert result.no_account == [hengdong]
    assert result.reached == [hengnan, qidong, hengdong]  # by mail or a robot
    assert Notification.objects.filter(user=users["other_reporter"], text__contains="催报").exists()
    logs = {(log.unit.code, log.channel, log.ok) for log in ReminderLog.objects.all()}
    assert logs == {
        ("hengnan", Channel.IN_APP, True),
        ("hengnan", Channel.IN_APP, True),
        ("hengnan", Channel.MAIL, True),
        ("hengnan", Channel.WEBHOOK, True),
        ("qidong", Channel.IN_APP, True),
        ("qidong", Channel.WEBHOOK, True),
        ("hengdong", Channel.PHONE, True),
        ("hengdong", Channel.WEBHOOK, True),
    }
    assert ReminderLog.objects.filter(channel=Channel.MAIL, user=users["reporter"], sent_by=users["office"]).exists()


def test_a_robot_that_refuses_hangs_or_is_gone_is_logged_and_the_rest_still_goes(year, users):
    hengnan, qidong, hengdong = units("hengnan", "qidong", "hengdong")
    with Robots(slow=3) as robots:
        hooks = {
            "hengnan": Robot(f"{robots.url}/fail", WECOM),
            "qidong": Robot(f"{robots.url}/slow", WECOM),
            "hengdong": Robot("http://127.0.0.1:9/", WECOM),  # nothing listens on the discard port
            "hengshan": Robot(f"{robots.url}/slow2", WECOM),
            "default": Robot(f"{robots.url}/slow3", WECOM),  # 衡阳县 below
        }
        started = time.monotonic()
        with override_settings(REMINDER_WEBHOOKS=hooks, REMINDER_WEBHOOK_TIMEOUT=1):
            result = reminders_send(period=JUNE, units=[hengnan, qidong, hengdong, *units("hengshan", "hengyangxian")])
        assert time.monotonic() - started < 2.5  # three slow robots given up on after 1 s, side by side (not 3 s)
    assert result.robots == 0 and len(result.failed) == 5
    assert len(mail.outbox) == 1  # the mail still went
    errors = dict(ReminderLog.objects.filter(channel=Channel.WEBHOOK).values_list("unit__code", "error"))
    # the robot's own errmsg is for admins (detail), the office reads a Chinese summary
    assert errors["hengnan"] == "机器人拒收消息(错误码 300001),请核对机器人地址和安全设置"
    assert "invalid webhook url" in ReminderLog.objects.get(channel=Channel.WEBHOOK, unit__code="hengnan").detail
    assert errors["qidong"] == "机器人在 1 秒内没有应答完毕" and errors["hengdong"] == "无法连接机器人地址"
    assert not ReminderLog.objects.filter(channel=Channel.WEBHOOK, ok=True).exists()
    codes = set(ReminderLog.objects.filter(sent_by=None).values_list("unit__code", flat=True))
    assert codes == {"hengnan", "qidong", "hengdong", "hengshan", "hengyangxian"}


class DownBackend:
    """A mail backend whose server is down."""

    def __init__(self, *args, **kwargs):
        pass

    def open(self):
        raise ConnectionRefusedError("connection refused")

    def close(self):
        pass


def test_a_mail_server_that_is_down_never_breaks_the_reminder(client, year, users, settings):
    settings.EMAIL_BACKEND = "reports.tests.test_reminder_channels.DownBackend"
    client.force_login(users["office"])
    response = client.post("/reports/dashboard/completeness/remind/", {"period": "2022-06", "units": ["hengnan"]}, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "以下催报未送达" in html and "邮件服务器不可用" in html
    log = ReminderLog.objects.get(channel=Channel.MAIL)
    assert not log.ok and "邮件服务器不可用" in log.error
    assert ReminderLog.objects.filter(channel=Channel.IN_APP, unit__code="hengnan").count() == 2  # reporter, approver


def test_the_completeness_page_shows_the_log_and_whom_to_phone(client, year, users):
    client.force_login(users["office"])
    client.post("/reports/dashboard/completeness/remind/", {"period": "2022-06", "units": ["hengnan", "hengdong"]})
    html = client.get("/reports/dashboard/completeness/?period=2022-06").content.decode()
    assert 'id="reminder-log"' in html and "站内通知" in html and "邮件" in html
    assert "无账号,请电话联系" in html
    phone = html[html.index('id="phone-list"') :]
    assert "衡东县" in phone and "衡南县" not in phone.split("</section>")[0]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", {}),
        ('{"hengnan": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"}', {"hengnan": WECOM}),
        ('{"default": "https://oapi.dingtalk.com/robot/send?access_token=t"}', {"default": DINGTALK}),
        ('{"x": {"url": "http://10.0.0.5/hook", "kind": "dingtalk"}}', {"x": DINGTALK}),
    ],
)
def test_robots_from_the_environment(raw, expected):
    assert {k: r.kind for k, r in parse_robots(raw).items()} == expected


@pytest.mark.parametrize(
    "raw", ["{not json", '["https://a"]', '{"x": "ftp://a/b"}', '{"x": 3}', '{"x": {"url": "https://a", "kind": "qq"}}']
)
def test_bad_robot_settings_stop_the_start_up(raw):
    with pytest.raises(WebhookConfigError):
        parse_robots(raw)


def test_each_robot_gets_the_markdown_it_accepts():
    assert payload(WECOM, title="T", text="x") == {"msgtype": "markdown", "markdown": {"content": "### T\n\nx"}}
    assert payload(DINGTALK, title="T", text="x") == {"msgtype": "markdown", "markdown": {"title": "T", "text": "### T\n\nx"}}
