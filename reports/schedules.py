"""The periodic jobs of the monthly rhythm, declared once here and synced into
django-celery-beat so the office can change them in admin. The sync creates what is
missing and never touches a row that exists: the office's edits survive every migrate.
All times are Asia/Shanghai."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django_celery_beat.models import CrontabSchedule, PeriodicTask

from indicators.rules.periods import add_months

TIMEZONE = "Asia/Shanghai"


@dataclass(frozen=True)
class Schedule:
    name: str
    task: str
    minute: str
    hour: str
    day_of_month: str
    month_of_year: str = "*"
    description: str = ""


SCHEDULES = [
    Schedule(
        "月调度：截止日后生成上月调度",
        "reports.tasks.dispatch_scheduled",
        "0",
        "9",
        "6-12",
        description="每月6日至12日每天9:00检查：上月按时报送截止日已过且尚未生成的，生成上月月调度(草稿)。",
    ),
    Schedule(
        "季通报：季度结束后生成上季通报",
        "reports.tasks.bulletin_scheduled",
        "0",
        "9",
        "10",
        "1,4,7,10",
        description="1、4、7、10月10日9:00生成上一季度的季通报(草稿)。",
    ),
    Schedule(
        "催报：截止日前提醒未报送单位",
        "reports.tasks.reminders_scheduled",
        "0",
        "9",
        "3,5",
        description="每月3日、5日9:00向尚未报送上月数据的单位填报员发送催报邮件。",
    ),
    Schedule(
        "月度锁定：锁定日关闭上月数据",
        "reports.tasks.month_lock_scheduled",
        "10",
        "0",
        "*",
        description="每天0:10检查，上月锁定日已过即关闭上月数据，此后修改须申请更正。",
    ),
    Schedule(
        "状态：每日刷新本月和上月的达标状态",
        "indicators.tasks.status_refresh_open_task",
        "5",
        "0",
        "*",
        description="每天0:05按当天日期重新判定本月和上月(时序进度、完成期限、按时报送截止日随日期变化)的达标状态和报送情况。",
    ),
    Schedule(
        "后台任务巡检：标记已中断的报告生成任务",
        "reports.tasks.report_jobs_sweep_scheduled",
        "*/5",
        "*",
        "*",
        description="每5分钟检查一次：生成中的报告若其后台进程已停止或超过30分钟未完成，标记为生成失败并清理临时文件，页面上即可重试。",
    ),
]


def schedules_sync(**kwargs) -> int:
    """Create the missing periodic tasks (by name). Returns how many were created."""
    created = 0
    for s in SCHEDULES:
        if PeriodicTask.objects.filter(name=s.name).exists():
            continue
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=s.minute,
            hour=s.hour,
            day_of_month=s.day_of_month,
            month_of_year=s.month_of_year,
            day_of_week="*",
            timezone=TIMEZONE,
        )
        PeriodicTask.objects.create(name=s.name, task=s.task, crontab=crontab, description=s.description)
        created += 1
    return created


def _days(day_of_month: str) -> list[int]:
    """Crontab days "6-12" or "3,5" or "10" as a sorted list (the fields declared above)."""
    out: set[int] = set()
    for part in day_of_month.split(","):
        lo, _, hi = part.partition("-")
        out.update(range(int(lo), int(hi or lo) + 1))
    return sorted(out)


def scheduled_build_date(*, kind: str, period_end, deadline) -> date:
    """The day the schedule above builds a report: a draft is dated that day, never the
    day a file happens to be built (a demo built years later stays inside its period).

    Dispatch of month M: the first scheduled day of month M+1 after M's deadline.
    Bulletin: the scheduled day in the month after the quarter's last month `period_end`."""
    next_month = add_months(period_end, 1)
    if kind == "dispatch":
        schedule = next(s for s in SCHEDULES if s.task.endswith("dispatch_scheduled"))
        for day in _days(schedule.day_of_month):
            if next_month.replace(day=day) > deadline:
                return next_month.replace(day=day)
        return deadline + timedelta(days=1)  # a deadline moved past the window: the day after
    schedule = next(s for s in SCHEDULES if s.task.endswith("bulletin_scheduled"))
    return next_month.replace(day=_days(schedule.day_of_month)[0])
