"""催报 to a unit's WeCom (企业微信) or DingTalk (钉钉) group robot: the settings' shape, the
payload each robot accepts, and one POST that never raises (a robot that is down or
slow is a failed delivery to log, never a broken 催报), never follows a redirect and
ends within one deadline. Posted from the Celery worker, not the office's request."""

from __future__ import annotations

import http.client
import io
import json
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

WECOM, DINGTALK = "wecom", "dingtalk"
DEFAULT = "default"  # the REMINDER_WEBHOOKS key of the robot for units without their own


class WebhookConfigError(ValueError):
    """REMINDER_WEBHOOKS that cannot be used; raised at start-up, naming the entry."""


@dataclass(frozen=True)
class Robot:
    url: str
    kind: str  # WECOM or DINGTALK


def _robot(key: str, value) -> Robot:
    if isinstance(value, str):
        url, kind = value, None
    elif isinstance(value, dict) and isinstance(value.get("url"), str):
        url, kind = value["url"], value.get("kind")
    else:
        raise WebhookConfigError(f"REMINDER_WEBHOOKS[{key!r}] must be a URL or {{'url': …, 'kind': 'wecom'|'dingtalk'}}")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise WebhookConfigError(f"REMINDER_WEBHOOKS[{key!r}] is not an http(s) URL: {url!r}")
    kind = kind or (DINGTALK if "dingtalk" in parts.netloc else WECOM)
    if kind not in (WECOM, DINGTALK):
        raise WebhookConfigError(f"REMINDER_WEBHOOKS[{key!r}] kind must be wecom or dingtalk, got {kind!r}")
    return Robot(url, kind)


def parse_robots(raw: str) -> dict[str, Robot]:
    """REMINDER_WEBHOOKS as JSON: {"unit_code": "https://…", "default": "https://…"}; the
    kind is read from the host (oapi.dingtalk.com is DingTalk, anything else WeCom)
    unless given as {"url": …, "kind": …}. Empty: no robots."""
    if not raw.strip():
        return {}
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise WebhookConfigError(f"REMINDER_WEBHOOKS is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise WebhookConfigError("REMINDER_WEBHOOKS must be a JSON object of unit code → URL")
    return {str(k): _robot(str(k), v) for k, v in data.items()}


def payload(kind: str, *, title: str, text: str) -> dict:
    """The markdown message each robot accepts (WeCom: markdown.content; DingTalk:
    markdown.title + markdown.text)."""
    body = f"### {title}\n\n{text}"
    if kind == DINGTALK:
        return {"msgtype": "markdown", "markdown": {"title": title, "text": body}}
    return {"msgtype": "markdown", "markdown": {"content": body}}


@dataclass(frozen=True)
class RobotError:
    """Why a robot did not take a message: `summary` in Chinese for the office's page
    and 催报记录 (never the robot's own text, which may name internal hosts or carry
    whatever an attacker controlling the URL answers), `detail` for the logs and the
    admin's record."""

    summary: str
    detail: str


class _DeadlineReader(io.RawIOBase):
    """A socket's reads, each given only the time left until one deadline: a robot
    that sends one byte a second is cut off at the deadline, not kept alive by each
    byte (a socket timeout alone counts per read)."""

    def __init__(self, sock, deadline: float):
        self._sock, self._deadline = sock, deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("robot deadline passed")
        self._sock.settimeout(left)
        return self._sock.recv_into(buffer)


class _DeadlineSocket:
    def __init__(self, sock, deadline: float):
        self._sock, self._deadline = sock, deadline

    def makefile(self, mode="rb", *args, **kwargs):
        return io.BufferedReader(_DeadlineReader(self._sock, self._deadline))

    def close(self):
        """http.client closes the connection as soon as it has the headers of an answer
        that ends the connection, before the body is read (a real socket waits for its
        files to close); `_ask` closes the socket itself once done."""

    def __getattr__(self, name):
        return getattr(self._sock, name)


def _ask(robot: Robot, body: bytes, *, deadline: float) -> tuple[int, dict, bytes]:
    """POST `body`; (status, headers, at most 64 KB of the answer). Never follows a
    redirect: http.client has no such thing."""
    parts = urlsplit(robot.url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    left = max(deadline - time.monotonic(), 0.001)
    cls = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    conn = cls(parts.hostname, parts.port, timeout=left)
    sock = None
    try:
        conn.connect()
        sock = conn.sock
        conn.sock = _DeadlineSocket(sock, deadline)
        conn.request("POST", path, body=body, headers={"Content-Type": "application/json; charset=utf-8"})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read(65536)
    finally:
        conn.close()
        if sock is not None:
            sock.close()


def post(robot: Robot, message: dict, *, timeout: float) -> RobotError | None:
    """POST one message within `timeout` seconds in all (connecting, sending, the
    answer); None when the robot accepted it. Both robots answer 200 with
    {"errcode": 0} on success and a non-zero errcode otherwise. A redirect is a
    failure: a robot's address never moves, and following one could reach a host
    inside the office's network."""
    host = urlsplit(robot.url).hostname or ""
    deadline = time.monotonic() + timeout
    try:
        status, headers, raw = _ask(robot, json.dumps(message, ensure_ascii=False).encode("utf-8"), deadline=deadline)
    except TimeoutError as exc:
        return RobotError(f"机器人在 {timeout:g} 秒内没有应答完毕", f"{host}: {type(exc).__name__}: {exc}")
    except (OSError, http.client.HTTPException, ValueError) as exc:
        return RobotError("无法连接机器人地址", f"{host}: {type(exc).__name__}: {exc}")
    if 300 <= status < 400:
        where = headers.get("Location") or headers.get("location") or ""
        return RobotError(
            f"机器人地址要求跳转(HTTP {status}),已拒绝跟随,请核对机器人地址", f"{host}: HTTP {status} → {where[:200]}"
        )
    if status != 200:
        return RobotError(f"机器人地址返回错误(HTTP {status})", f"{host}: HTTP {status}: {raw[:200]!r}")
    try:
        answer = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return RobotError("机器人的应答无法识别", f"{host}: not JSON: {raw[:200]!r}")
    if not isinstance(answer, dict) or answer.get("errcode", 0) != 0:
        code = answer.get("errcode") if isinstance(answer, dict) else None
        shown = f"(错误码 {code})" if isinstance(code, int) and not isinstance(code, bool) else ""
        return RobotError(f"机器人拒收消息{shown},请核对机器人地址和安全设置", f"{host}: {str(answer)[:250]}")
    return None
