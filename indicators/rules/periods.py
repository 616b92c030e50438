"""Months and quarters as the users write them ("2022-06", "2022Q2") and as stored
(the first day of the month)."""

import re
from datetime import date

_MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")
_QUARTER = re.compile(r"^\s*(\d{4})\s*[Qq]([1-4])\s*$")


class PeriodError(ValueError):
    """A period string that is not a real month or quarter; the message is for users."""


def parse_month(text: str) -> date:
    """'2022-06' → date(2022, 6, 1)."""
    m = _MONTH.match(text or "")
    if not m:
        raise PeriodError(f"月份“{text}”格式不正确,请写成“年-月”,例如 2022-06")
    year, month = int(m.group(1)), int(m.group(2))
    if not 1 <= month <= 12 or not 2000 <= year <= 2100:
        raise PeriodError(f"月份“{text}”不存在")
    return date(year, month, 1)


def format_month(period: date) -> str:
    return f"{period.year:04d}-{period.month:02d}"


def parse_quarter(text: str) -> tuple[int, int]:
    """'2022Q2' → (2022, 2)."""
    m = _QUARTER.match(text or "")
    if not m:
        raise PeriodError(f"季度“{text}”格式不正确,请写成“年Q季度”,例如 2022Q2")
    return int(m.group(1)), int(m.group(2))


def quarter_months(year: int, quarter: int) -> list[date]:
    return [date(year, 3 * (quarter - 1) + i, 1) for i in (1, 2, 3)]


def add_months(period: date, n: int) -> date:
    index = period.year * 12 + period.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def same_month_last_year(period: date) -> date:
    return date(period.year - 1, period.month, 1)


def months_of_year(year: int, *, through: date | None = None) -> list[date]:
    """The year's months, up to and including `through`'s month (none if it is earlier)."""
    if through and through.year < year:
        return []
    last = through.month if through and through.year == year else 12
    return [date(year, m, 1) for m in range(1, last + 1)]


# -- two months every page needs, never to be confused ----------------------------------
# `deadline_of(period)` gives month `period`'s on-time deadline (the office's date, else
# the calendar's default); both functions look back at most this many months for a
# deadline the office moved later.
_LOOKBACK = 3


def collecting_month(today: date, deadline_of) -> date:
    """The month being collected now: the earliest month whose on-time deadline has not
    passed (today ≤ deadline). On 3 December that is November (deadline 5 December);
    from 6 December it is December. Entry, completeness and 催报 open on it."""
    period = add_months(today.replace(day=1), -_LOOKBACK)
    while deadline_of(period) < today:
        period = add_months(period, 1)
    return period


def latest_closed_month(today: date, deadline_of) -> date:
    """The latest month whose on-time deadline has passed (deadline < today): the month
    a dispatch is built for. On 3 December that is October; from 6 December, November."""
    period = today.replace(day=1)
    while deadline_of(period) >= today:
        period = add_months(period, -1)
    return period


def reporting_start(issued: date | None, reporting_from: date | None = None) -> date | None:
    """The first month units are expected to report under a plan (the plan's calendar):
    the plan file's `reporting_from`, else the month after the plan was issued (issued
    2022-05-17 → 2022-06). None: no date known, every month of the year is expected."""
    if reporting_from is not None:
        return reporting_from.replace(day=1)
    if issued is None:
        return None
    return add_months(issued.replace(day=1), 1)


def is_reporting_month(period: date, start: date | None) -> bool:
    """Whether month `period` is one units are expected to report: on or after the
    plan's reporting start. An earlier month may be back-filled; it is never late and
    never 逾期未报."""
    return start is None or period >= start
