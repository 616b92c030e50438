"""Whether a month's two dates make sense: the on-time deadline comes after the month,
the lock date no earlier than the deadline, and both within a few years of the month (a
year typed as 1900 or 20222 is a slip, not a decision). Plain dates in, Chinese messages
out, keyed by the field they are about."""

from __future__ import annotations

from datetime import date

from indicators.rules.periods import add_months

FIRST_YEAR, LAST_YEAR = 2000, 2100  # as indicators.rules.periods.parse_month
YEARS_AHEAD = 10  # the demo keeps 2022's last month open years later; beyond that is a slip


def month_dates_problems(*, period: date, deadline: date | None, lock_date: date | None) -> dict[str, str]:
    """{"period" | "deadline" | "lock_date": message} for each date that is wrong; empty
    when all are fine."""
    problems: dict[str, str] = {}
    if not FIRST_YEAR <= period.year <= LAST_YEAR:
        return {"period": f"月份须在 {FIRST_YEAR} 年至 {LAST_YEAR} 年之间,您填写的是 {period:%Y-%m}。"}
    if period.day != 1:
        return {"period": f"月份请填写该月1日(例如 {period:%Y-%m}-01)。"}
    after = add_months(period, 1)
    latest = date(period.year + YEARS_AHEAD, 12, 31)
    month = f"{period.year}年{period.month}月"
    for field, value, label in (("deadline", deadline, "按时报送截止日"), ("lock_date", lock_date, "锁定日")):
        if value is None:
            continue
        if value < after:
            problems[field] = f"{label}须在{month}结束之后(不早于 {after:%Y-%m-%d}),您填写的是 {value:%Y-%m-%d}。"
        elif value > latest:
            problems[field] = f"{label}年份不合理:{month}的日期不应晚于 {latest:%Y-%m-%d},您填写的是 {value:%Y-%m-%d}。"
    if deadline and lock_date and not problems and lock_date < deadline:
        problems["lock_date"] = (
            f"锁定日不能早于按时报送截止日:您填写的锁定日是 {lock_date:%Y-%m-%d},截止日是 {deadline:%Y-%m-%d}。"
        )
    return problems
