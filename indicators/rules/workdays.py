"""Working days on China's official calendar (statutory holidays off, 调休 make-up days
on), and the month's default dates: the on-time deadline and the lock date."""

import calendar
from datetime import date, timedelta

import chinese_calendar

_DAY = timedelta(days=1)


def is_working_day(d: date) -> bool:
    """A working day on the State Council's calendar.

    The `chinese_calendar` package knows only the years already announced (each December
    for the next year). For any other year we fall back to Monday–Friday, so dates keep
    working; upgrade the package once the year's holidays are published."""
    try:
        return chinese_calendar.is_workday(d)
    except NotImplementedError:
        return d.weekday() < 5


def next_working_day_on_or_after(d: date) -> date:
    while not is_working_day(d):
        d += _DAY
    return d


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end`; 0 if `end` is not later.

    So a submission due on day D and made on day E is working_days_between(D, E) working
    days late."""
    count = 0
    d = start + _DAY
    while d <= end:
        count += is_working_day(d)
        d += _DAY
    return count


def add_working_days(d: date, n: int) -> date:
    """The date `n` working days after `d` (before it when n < 0); `d` itself when n == 0."""
    step = _DAY if n >= 0 else -_DAY
    remaining = abs(n)
    while remaining:
        d += step
        remaining -= is_working_day(d)
    return d


def month_end(period: date) -> date:
    return period.replace(day=calendar.monthrange(period.year, period.month)[1])


def _next_month_day(period: date, day: int) -> date:
    first_of_next = month_end(period) + _DAY
    return next_working_day_on_or_after(first_of_next.replace(day=day))


def default_deadline(period: date) -> date:
    """On-time deadline of month `period`: the 5th of the next month, or the first working
    day after it (units cannot be asked to report on a holiday)."""
    return _next_month_day(period, 5)


def default_lock_date(period: date) -> date:
    """Lock date of month `period`: the 15th of the next month, moved to a working day."""
    return _next_month_day(period, 15)
