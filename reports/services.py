"""Writes of the reports app. Reminders (催报): the office chases units that have not
reported for a month, by email to the units' users."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection

from actions.models import Unit
from indicators.models import ReportingMonth
from indicators.rules.workdays import default_deadline


@dataclass
class ReminderResult:
    sent: int = 0  # emails sent (one per user)
    reached: list[Unit] = field(default_factory=list)
    unreachable: list[Unit] = field(default_factory=list)  # no active user with an address


def reminder_text(*, unit: Unit, period: date, deadline: date, sender) -> tuple[str, str]:
    month = f"{period.year}年{period.month}月"
    subject = f"【催报】请尽快报送{month}营商环境攻坚行动监测数据"
    who = sender.get_full_name() or sender.get_username()
    body = (
        f"{unit.name}:\n\n"
        f"贵单位{month}的监测数据尚未报送(按时报送截止日为{deadline.year}年{deadline.month}月{deadline.day}日)。"
        "请登录衡阳市营商环境攻坚行动监测平台尽快填报并提交;"
        "未达标的指标请一并填写情况说明和整改措施。\n\n"
        f"市优化办 {who}\n"
    )
    return subject, body


def reminders_send(*, period: date, units: list[Unit], sender) -> ReminderResult:
    """Email every active user of each unit that has an address. One query for the
    users, one SMTP connection for all messages."""
    rm = ReportingMonth.objects.filter(period=period).first()
    deadline = rm.deadline if rm else default_deadline(period)
    users = get_user_model().objects.filter(membership__unit__in=units, is_active=True).exclude(email="")
    by_unit: dict[int, list] = {}
    for user in users.select_related("membership"):
        by_unit.setdefault(user.membership.unit_id, []).append(user)
    result = ReminderResult()
    emails = []
    for unit in units:
        recipients = by_unit.get(unit.pk, [])
        if not recipients:
            result.unreachable.append(unit)
            continue
        subject, body = reminder_text(unit=unit, period=period, deadline=deadline, sender=sender)
        for user in recipients:
            emails.append(EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]))
        result.reached.append(unit)
    if emails:
        result.sent = get_connection().send_messages(emails) or 0
    return result
