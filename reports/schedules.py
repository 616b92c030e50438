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
    office: bool = True  # the office may change its time and switch it on or off


SWEEP_NAME = "后台任务巡检：标记已中断的报告生成任务"
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
        "督办：每日提醒逾期督办单",
        "reports.tasks.supervision_overdue_scheduled",
        "30",
        "9",
        "*",
        description="每天9:30向逾期未答复督办单的可办理账号(责任单位填报员;待本单位审核的，其审核人)发送提醒，每件督办单每天至多提醒一次。",
    ),
    Schedule(
        SWEEP_NAME,
        "reports.tasks.report_jobs_sweep_scheduled",
        "*",
        "*",
        "*",
        description="每分钟检查一次：生成中的报告若1分钟没有心跳(后台进程已停止)或超过30分钟未完成，标记为生成失败并清理临时文件，页面上即可重试。",
        office=False,
    ),
]
# The schedules the office may retime and switch on or off (reports.admin); the sweep
# keeps jobs from hanging and is the system's own.
OFFICE_SCHEDULES = [s for s in SCHEDULES if s.office]


def _crontab(s: Schedule, *, minute: str | None = None, hour: str | None = None) -> CrontabSchedule:
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute=s.minute if minute is None else minute,
        hour=s.hour if hour is None else hour,
        day_of_month=s.day_of_month,
        month_of_year=s.month_of_year,
        day_of_week="*",
        timezone=TIMEZONE,
    )
    return crontab


def schedules_sync(**kwargs) -> int:
    """Create the missing periodic tasks (by name); put the system's own (the sweep) back
    as declared, task, timing, arguments and all. Returns how many were created."""
    created = 0
    for s in SCHEDULES:
        row = PeriodicTask.objects.filter(name=s.name).first()
        if row is None:
            PeriodicTask.objects.create(name=s.name, task=s.task, crontab=_crontab(s), description=s.description)
            created += 1
        elif not s.office:
            declared = {"task": s.task, "crontab": _crontab(s), "interval": None, "solar": None, "clocked": None}
            declared |= {"args": "[]", "kwargs": "{}", "enabled": True, "one_off": False, "description": s.description}
            if any(getattr(row, k) != v for k, v in declared.items()):
                for k, v in declared.items():
                    setattr(row, k, v)
                row.save()
    return created


def schedule_retime(*, task: PeriodicTask, hour: int, minute: int) -> None:
    """The office moves one of its schedules to another time of day; the days stay as
    declared. The crontab row is shared by time, so other schedules are not moved."""
    declared = next(s for s in OFFICE_SCHEDULES if s.name == task.name)
    task.crontab = _crontab(declared, minute=str(minute), hour=str(hour))


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
