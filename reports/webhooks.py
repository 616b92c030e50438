"""催报 to a unit's WeCom (企业微信) or DingTalk (钉钉) group robot: the settings' shape, the
payload each robot accepts, and one POST that never raises (a robot that is down or
slow is a failed delivery to log, never a broken 催报)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
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


def post(robot: Robot, message: dict, *, timeout: float) -> str | None:
    """POST one message; None when the robot accepted it, else why not (in Chinese). Both
    robots answer 200 with {"errcode": 0} on success and a non-zero errcode otherwise."""
    request = urllib.request.Request(  # noqa: S310 (http(s) only: checked by parse_robots at start-up)
        robot.url,
        data=json.dumps(message, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (http(s) checked at start-up)
            raw = response.read(65536)
    except urllib.error.HTTPError as exc:
        return f"机器人地址返回 HTTP {exc.code}"
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        return f"无法连接机器人地址({reason})"
    try:
        answer = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return "机器人地址的应答不是 JSON"
    if not isinstance(answer, dict) or answer.get("errcode", 0) != 0:
        detail = answer.get("errmsg", "") if isinstance(answer, dict) else ""
        return f"机器人拒收:{detail or answer}"
    return None
