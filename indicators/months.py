"""Reads: a reporting month's two dates (its deadline and lock date), and which month a
page opens on. Two names for two things (indicators.rules.periods): the month being
collected now (entry, completeness, 催报) and the latest closed month (dispatches);
dashboards open on the latest month with data and say whether it is final."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from actions import clock
from actions.models import Plan
from indicators.models import ReportingMonth
from indicators.rules import periods
from indicators.rules.workdays import default_deadline, default_lock_date


def reporting_month_get(period: date):
    """The month's two dates: its row when the office or a first write fixed them, else
    an unsaved row with the official calendar's defaults (a read never writes; the
    services create the row on the month's first write, reporting_month_ensure)."""
    month = ReportingMonth.objects.filter(period=period).first()
    if month is None:
        month = ReportingMonth(period=period, deadline=default_deadline(period), lock_date=default_lock_date(period))
    return month


def reporting_months_get(periods) -> dict:
    """reporting_month_get for many months in one query: {period: ReportingMonth}, the
    stored row where there is one, else an unsaved one with the calendar's defaults."""
    wanted = set(periods)
    stored = {m.period: m for m in ReportingMonth.objects.filter(period__in=wanted)} if wanted else {}
    return {
        p: stored.get(p) or ReportingMonth(period=p, deadline=default_deadline(p), lock_date=default_lock_date(p))
        for p in sorted(wanted)
    }


# Months read around today: the rules look back at most a few months.
_WINDOW = 15


def _deadline_of(today: date):
    """deadline_of(period) for the months around `today`: the office's date where set,
    else the calendar's default. One query."""
    start = periods.add_months(today.replace(day=1), -_WINDOW)
    end = periods.add_months(today.replace(day=1), 2)
    rows = dict(ReportingMonth.objects.filter(period__gte=start, period__lte=end).values_list("period", "deadline"))

    def deadline_of(period: date) -> date:
        return rows.get(period) or default_deadline(period)

    return deadline_of


def _within_plans(period: date) -> date:
    """December of the latest loaded plan when the calendar has moved past every plan
    (a demo of an earlier year); the month itself otherwise."""
    latest = Plan.objects.order_by("-year").values_list("year", flat=True).first()
    if latest and period.year > latest:
        return date(latest, 12, 1)
    return period


def collecting_month(*, today: date | None = None) -> date:
    """The month being collected now (rules.periods.collecting_month). Two queries."""
    today = today or clock.today()
    return _within_plans(periods.collecting_month(today, _deadline_of(today)))


def latest_closed_month(*, today: date | None = None) -> date:
    """The latest month whose on-time deadline has passed (rules.periods). Two queries."""
    today = today or clock.today()
    return _within_plans(periods.latest_closed_month(today, _deadline_of(today)))


@dataclass(frozen=True)
class MonthFinality:
    """Whether a month's figures are final: locked once its lock date has passed."""

    period: date
    lock_date: date
    final: bool

    @property
    def note(self) -> str:
        if self.final:
            return f"数据已于{self.lock_date.year}年{self.lock_date.month}月{self.lock_date.day}日锁定,为正式数据。"
        return "数据为初步数据,本月尚未锁定。"


def month_finality(*, period: date, today: date | None = None) -> MonthFinality:
    """One query (reads never create the month's row)."""
    today = today or clock.today()
    lock = reporting_month_get(period).lock_date
    return MonthFinality(period, lock, today > lock)
