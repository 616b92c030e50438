"""The monthly rhythm's two small jobs: 催报 to units still missing, by every channel a
unit has (in-app, mail, its group robot), each delivery logged; and closing a month at
its lock date."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date

from celery import current_app
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from kombu.exceptions import OperationalError as BrokerError

from actions import access, clock
from actions.models import Notification, Unit
from indicators.models import Submission
from indicators.months import reporting_month_get
from indicators.rules.periods import format_month
from indicators.services.workflow import reporting_month_ensure
from indicators.status.read import reporting_rows
from reports import webhooks
from reports.models import ReminderLog

log = logging.getLogger(__name__)

# Queued by name: reports.tasks imports this module, so this one never imports it back.
ROBOTS_TASK = "reports.tasks.reminder_robots_task"


def missing_units_remind(*, period: date, today: date | None = None) -> list[str]:
    """催报 on schedule: remind every expected unit that has not yet submitted month
    `period`. Returns the names of the units reminded."""
    today = today or clock.today()
    done = {s.unit_id for s in Submission.objects.filter(period=period) if s.counts_as_submitted}
    missing = [r.unit for r in reporting_rows(period=period, today=today) if r.unit_id not in done]
    result = reminders_send(period=period, units=missing)
    log.info("reminded %d units for %s (today %s)", len(missing), format_month(period), today)
    return [u.name for u in result.reached + result.unreachable]


def month_lock(*, period: date, today: date | None = None) -> bool:
    """Close month `period` at its lock date: its dates are fixed (the row is created
    with the calendar's defaults if the office never set them). Entry forms refuse
    changes after the lock date; corrections then go through the correction workflow.
    Returns whether the month is closed."""
    today = today or clock.today()
    month = reporting_month_ensure(period)
    closed = today > month.lock_date
    log.info("month %s lock date %s: %s", format_month(period), month.lock_date, "closed" if closed else "open")
    return closed


def entry_url(unit: Unit, period: date) -> str:
    return reverse("indicators:entry", args=[unit.code, format_month(period)])


@dataclass
class ReminderResult:
    sent: int = 0  # emails delivered (one per user)
    robots: int = 0  # group-robot messages delivered
    robots_queued: int = 0  # group-robot messages left to the worker (robots_later)
    robot_units: list[Unit] = field(default_factory=list)  # the units those messages cover
    reached: list[Unit] = field(default_factory=list)  # by mail or a group robot
    unreachable: list[Unit] = field(default_factory=list)  # by neither: in-app at most, so phone them
    no_account: list[Unit] = field(default_factory=list)  # nobody to log in and report: phone them
    failed: list[str] = field(default_factory=list)  # "衡南县 · 群机器人:无法连接…"
    logs: list[ReminderLog] = field(default_factory=list)


def reminder_text(*, unit: Unit, period: date, deadline: date, sender) -> tuple[str, str]:
    month = f"{period.year}年{period.month}月"
    subject = f"【催报】请尽快报送{month}营商环境攻坚行动监测数据"
    who = (sender.get_full_name() or sender.get_username()) if sender else ""
    body = (
        f"{unit.name}:\n\n"
        f"贵单位{month}的监测数据尚未报送(按时报送截止日为{deadline.year}年{deadline.month}月{deadline.day}日)。"
        "请登录衡阳市营商环境攻坚行动监测平台尽快填报并提交;"
        "未达标的指标请一并填写情况说明和整改措施。\n\n"
        f"市优化办 {who}\n"
    )
    return subject, body


def _send_mails(messages: list[tuple[Unit, object, EmailMessage]], log_row) -> int:
    """Each mail on its own, over one connection: a refused address or a mail server
    that is down is logged against that mail and never stops the 催报."""
    sent = 0
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
    except Exception as exc:  # the server is down: every mail fails, 催报 goes on
        for unit, user, _m in messages:
            log_row(unit, ReminderLog.Channel.MAIL, user=user, error="邮件服务器不可用", detail=repr(exc))
        return 0
    try:
        for unit, user, message in messages:
            try:
                sent += connection.send_messages([message]) or 0
                log_row(unit, ReminderLog.Channel.MAIL, user=user)
            except Exception as exc:
                error = "邮件发送失败(地址被拒收或邮件服务器出错)"
                log_row(unit, ReminderLog.Channel.MAIL, user=user, error=error, detail=repr(exc))
    finally:
        try:
            connection.close()
        except Exception:
            log.warning("closing the mail connection failed", exc_info=True)
    return sent


def reminders_send(*, period: date, units: list[Unit], sender=None, robots_later: bool = False) -> ReminderResult:
    """催报 by every channel a unit has: an in-app notification and an email to each of
    its active users (with an address), and a message to its group robot
    (settings.REMINDER_WEBHOOKS: the unit's own, else the default robot, which gets one
    message naming every unit it covers). Every delivery is logged (ReminderLog);
    failures are logged and reported, never raised. Units with no active account are
    logged for phone follow-up. `sender` None is the scheduled job. `robots_later`
    (the office's request): the robots are posted by the Celery worker, queued on
    commit, and log their deliveries there."""
    deadline = reporting_month_get(period).deadline
    users = get_user_model().objects.filter(
        membership__unit__in=units, membership__role__in=access.UNIT_ACTING_ROLES, is_active=True
    )
    by_unit: dict[int, list] = {}
    for user in users.select_related("membership"):
        by_unit.setdefault(user.membership.unit_id, []).append(user)
    result = ReminderResult()
    arrived: set[int] = set()  # units reached by mail or robot
    log_row = _reminder_logger(period=period, sender=sender, result=result, arrived=arrived)

    notices, mails = [], []
    for unit in units:
        recipients = by_unit.get(unit.pk, [])
        subject, body = reminder_text(unit=unit, period=period, deadline=deadline, sender=sender)
        if not recipients:
            result.no_account.append(unit)
            log_row(unit, ReminderLog.Channel.PHONE)
        for u in recipients:
            notices.append(Notification(user=u, text=subject, url=entry_url(unit, period)))
            log_row(unit, ReminderLog.Channel.IN_APP, user=u)
            if u.email:
                mails.append((unit, u, EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [u.email])))
    # In-app notices here; the reminder's own mail replaces notify()'s short one.
    Notification.objects.bulk_create(notices)
    if mails:
        result.sent = _send_mails(mails, log_row)
    robots = _robot_messages(period=period, units=units, deadline=deadline, sender=sender)
    if robots and robots_later:
        result.robots_queued = len(robots)
        result.robot_units = [u for covered, _r, _m in robots for u in covered]
        ids = [u.pk for u in result.robot_units]
        transaction.on_commit(lambda: _enqueue_robots(period=period, unit_ids=ids, sender=sender))
    elif robots:
        result.robots = _robots_post(robots, log_row)
    for unit in units:
        (result.reached if unit.pk in arrived else result.unreachable).append(unit)
    ReminderLog.objects.bulk_create(result.logs)
    return result


def reminder_robots_send(*, period: date, units: list[Unit], sender=None) -> ReminderResult:
    """The group-robot part of 催报, in the Celery worker: post to each unit's robot
    (or the default one) within the configured deadline each, and log every delivery."""
    result = ReminderResult()
    log_row = _reminder_logger(period=period, sender=sender, result=result, arrived=set())
    deadline = reporting_month_get(period).deadline
    result.robots = _robots_post(_robot_messages(period=period, units=units, deadline=deadline, sender=sender), log_row)
    ReminderLog.objects.bulk_create(result.logs)
    return result


def _reminder_logger(*, period: date, sender, result: ReminderResult, arrived: set[int]):
    def log_row(unit, channel, *, user=None, error="", detail=""):
        result.logs.append(
            ReminderLog(
                period=period,
                unit=unit,
                user=user,
                channel=channel,
                ok=not error,
                error=error[:300],
                detail=detail[:1000],
                sent_by=sender,
            )
        )
        if error:
            result.failed.append(f"{unit.name} · {ReminderLog.Channel(channel).label}:{error}")
        elif channel in (ReminderLog.Channel.MAIL, ReminderLog.Channel.WEBHOOK):
            arrived.add(unit.pk)

    return log_row


def _robot_messages(*, period: date, units: list[Unit], deadline: date, sender) -> list[tuple[list[Unit], webhooks.Robot, dict]]:
    """(units covered, robot, message) of every robot message a 催报 sends."""
    robots, default_units = [], []
    for unit in units:
        robot = settings.REMINDER_WEBHOOKS.get(unit.code)
        if robot:
            subject, body = reminder_text(unit=unit, period=period, deadline=deadline, sender=sender)
            robots.append(([unit], robot, webhooks.payload(robot.kind, title=subject, text=body)))
        elif webhooks.DEFAULT in settings.REMINDER_WEBHOOKS:
            default_units.append(unit)
    if default_units:
        robot = settings.REMINDER_WEBHOOKS[webhooks.DEFAULT]
        month = f"{period.year}年{period.month}月"
        title = f"【催报】以下单位尚未报送{month}监测数据"
        text = (
            "、".join(u.name for u in default_units)
            + f"\n\n按时报送截止日为{deadline.year}年{deadline.month}月{deadline.day}日,请尽快登录平台填报并提交。"
        )
        robots.append((default_units, robot, webhooks.payload(robot.kind, title=title, text=text)))
    return robots


def _robots_post(robots, log_row) -> int:
    """Post side by side (a few that hang cost one deadline, not one each); log each
    delivery with the Chinese summary for the office and the detail for admins."""
    with ThreadPoolExecutor(max_workers=8) as pool:
        errors = list(pool.map(lambda r: webhooks.post(r[1], r[2], timeout=settings.REMINDER_WEBHOOK_TIMEOUT), robots))
    delivered = 0
    for (covered, _robot, _message), error in zip(robots, errors, strict=True):
        delivered += error is None
        if error is not None:
            log.warning("robot 催报 failed for %s: %s", "、".join(u.code for u in covered), error.detail)
        for unit in covered:
            log_row(
                unit,
                ReminderLog.Channel.WEBHOOK,
                error=error.summary if error else "",
                detail=error.detail if error else "",
            )
    return delivered


def _enqueue_robots(*, period: date, unit_ids: list[int], sender) -> None:
    try:
        current_app.tasks[ROBOTS_TASK].apply_async(
            args=[format_month(period), unit_ids], kwargs={"sender_id": sender.pk if sender else None}, retry=False
        )
    except BrokerError as exc:
        log.error("robot 催报 not queued: %s", exc)
        ReminderLog.objects.bulk_create(
            ReminderLog(
                period=period,
                unit_id=pk,
                channel=ReminderLog.Channel.WEBHOOK,
                ok=False,
                sent_by=sender,
                error="后台任务队列暂不可用,群机器人消息未发送,请稍后重新催报",
                detail=str(exc)[:1000],
            )
            for pk in unit_ids
        )
