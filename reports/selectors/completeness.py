"""The completeness board: every unit expected to report in a month and its state, in
the one vocabulary of indicators.rules.reporting. Four queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Count, Max
from django.utils import timezone

from actions import access, clock
from actions.models import Unit
from indicators.models import Submission
from indicators.months import reporting_month_get
from indicators.rules.periods import format_month
from indicators.rules.reporting import ReportState
from indicators.rules.reporting import report_state as state_of
from indicators.rules.scoring import completeness
from indicators.status.cache import cache_get, cache_put, rows_key
from indicators.status.read import reporting_rows
from reports.models import ReminderLog
from reports.selectors.common import KIND_ORDER, number


def report_state(submission: Submission | None, *, deadline: date, today: date, expected_month: bool = True) -> ReportState:
    """A unit's state for a month from its submission (if any), the deadline and the
    plan's calendar, in the one vocabulary (indicators.rules.reporting)."""
    if submission is None:
        return state_of(None, is_late=False, deadline=deadline, today=today, expected_month=expected_month)
    return state_of(submission.state, is_late=submission.is_late, deadline=deadline, today=today, expected_month=expected_month)


@dataclass
class CompletenessRow:
    unit: Unit
    state: ReportState
    submission: Submission | None
    days: int  # positive: days before the deadline; negative: days past it

    @property
    def days_text(self) -> str:
        done = self.submission is not None and self.submission.counts_as_submitted
        if self.days == 0:
            return "截止日当天提交" if done else "今天截止"
        if done:
            return f"提前 {self.days} 天提交" if self.days > 0 else f"逾期 {-self.days} 天提交"
        return f"距截止还有 {self.days} 天" if self.days > 0 else f"已逾期 {-self.days} 天"


@dataclass
class Completeness:
    period: date
    deadline: date
    lock_date: date
    rows: list[CompletenessRow]

    @property
    def expected(self) -> int:
        return len(self.rows)

    @property
    def submitted(self) -> int:
        return sum(1 for r in self.rows if r.submission and r.submission.counts_as_submitted)

    @property
    def rate(self) -> Decimal:
        return completeness(self.submitted, self.expected)

    def counts(self) -> list[tuple[ReportState, int]]:
        return [(s, sum(1 for r in self.rows if r.state == s)) for s in ReportState]


@dataclass(frozen=True)
class CompletenessSummary:
    """A month's 报送率 without its rows (the leader's glance keeps it in the cache)."""

    period: date
    expected: int
    submitted: int
    rate: Decimal

    @classmethod
    def of(cls, board: Completeness) -> CompletenessSummary:
        return cls(board.period, board.expected, board.submitted, board.rate)


def completeness_board(*, period: date, today: date | None = None) -> Completeness:
    """Every unit expected to report for `period` (its stored ReportingStatus rows:
    status.board.expected_units) and its state. Four queries."""
    today = today or clock.today()
    rm = reporting_month_get(period)
    rows = reporting_rows(period=period, today=today)
    subs = {s.unit_id: s for s in Submission.objects.filter(period=period)}
    out = []
    for r in sorted(rows, key=lambda r: (KIND_ORDER[r.unit.kind], r.unit.sort_order, r.unit.code)):
        s = subs.get(r.unit_id)
        if s and s.counts_as_submitted and s.submitted_at:
            ref = timezone.localtime(s.submitted_at).date()
        else:
            ref = today
        # r.expected: stored only for a month the plan's calendar expects (status.board.expected_units)
        state = report_state(s, deadline=rm.deadline, today=today, expected_month=r.expected)
        out.append(CompletenessRow(r.unit, state, s, (rm.deadline - ref).days))
    return Completeness(period, rm.deadline, rm.lock_date, out)


@dataclass(frozen=True)
class UnitRef:
    """A unit as the completeness page names it: what the cache keeps (no model instance)."""

    pk: int
    code: str
    name: str
    kind_label: str

    def get_kind_display(self) -> str:
        return self.kind_label


@dataclass(frozen=True)
class CompletenessFigures:
    """The completeness page's figures without its rows (kept in the cache): the dates,
    the rate, the count of each state and the units that may be reminded, in the
    board's order."""

    period: date
    deadline: date
    lock_date: date
    expected: int
    submitted: int
    rate: Decimal
    counts: list[tuple[ReportState, int]]
    remindable: list[UnitRef]

    @classmethod
    def of(cls, board: Completeness) -> CompletenessFigures:
        remindable = [
            UnitRef(r.unit.pk, r.unit.code, r.unit.name, r.unit.get_kind_display()) for r in board.rows if r.state.needs_reminder
        ]
        return cls(
            board.period, board.deadline, board.lock_date, board.expected, board.submitted, board.rate, board.counts(), remindable
        )


def completeness_key(*, period: date, today: date) -> str | None:
    """The cache key of what is drawn from a month's completeness board: it changes with
    the month's reporting rows (who is expected), its submissions (any saved, however:
    their number and the last save), its dates and the day (days to the deadline).
    Three queries; None when the month's rows are not current (computed each time)."""
    rm = reporting_month_get(period)
    saved = Submission.objects.filter(period=period).aggregate(n=Count("pk"), at=Max("updated_at"))
    return rows_key("completeness", [period, today, rm.deadline, rm.lock_date, saved["n"], saved["at"]], [period])


def completeness_cached(name: str, key: str | None, compute):
    """compute(), or its result kept under `key`:`name` (completeness_key)."""
    if key is None:
        return compute()
    value = cache_get(f"{key}:{name}")
    if value is None:
        value = compute()
        cache_put(f"{key}:{name}", value)
    return value


def completeness_json(board: Completeness) -> dict:
    return {
        "period": format_month(board.period),
        "deadline": board.deadline.isoformat(),
        "lock_date": board.lock_date.isoformat(),
        "expected": board.expected,
        "submitted": board.submitted,
        "rate": number(board.rate),
        "units": [
            {
                "unit": r.unit.code,
                "name": r.unit.name,
                "kind": r.unit.kind,
                "state": r.state.value,
                "label": r.state.label,
                "days": r.days,
            }
            for r in board.rows
        ],
    }


def reminder_log(*, period, limit: int = 100):
    """The month's 催报 deliveries, newest first (the completeness page's log). One query."""
    return list(
        ReminderLog.objects.filter(period=period).select_related("unit", "user", "sent_by").order_by("-sent_at", "-pk")[:limit]
    )


def last_reminded(*, period, units) -> dict[int, datetime]:
    """When each of `units` was last reminded by hand for month `period` (the office's
    minimum interval counts from it). One query."""
    rows = (
        ReminderLog.objects.filter(period=period, unit__in=[getattr(u, "pk", u) for u in units], sent_by__isnull=False)
        .values("unit_id")
        .annotate(at=Max("sent_at"))
    )
    return {r["unit_id"]: r["at"] for r in rows}


def reminder_waits(*, period, units, now: datetime | None = None, hours: int | None = None) -> dict[int, datetime]:
    """Of `units`, those reminded by hand for month `period` within the office's minimum
    interval (`hours`, else ReportSettings.reminder_interval_hours): unit id → when it may
    be reminded again. Two queries (one given the interval)."""
    from datetime import timedelta

    from reports.models import ReportSettings

    now = now or timezone.now()
    interval = timedelta(hours=ReportSettings.current().reminder_interval_hours if hours is None else hours)
    return {uid: at + interval for uid, at in last_reminded(period=period, units=units).items() if at + interval > now}


def units_without_accounts(units) -> list:
    """Of `units`, those with no active user: nobody can log in to report, so the office
    phones them. One query."""
    staffed = set(
        get_user_model()
        .objects.filter(is_active=True, membership__unit__in=[u.pk for u in units], membership__role__in=access.UNIT_ACTING_ROLES)
        .values_list("membership__unit_id", flat=True)
    )
    return [u for u in units if u.pk not in staffed]
