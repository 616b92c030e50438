"""What is stale and why, and refreshing it: every write path calls
`status_refresh_on_commit` with the months it touched; the refresh runs once, after the
commit, for the union of those months (in the saving request, or on Celery when
settings.STATUS_REFRESH_ASYNC). The daily job refreshes the months the calendar moves."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from actions import clock
from actions.models import Plan
from indicators.models import Figure, ReportingMonth, ReportingStatus, StatusMonth, Submission
from indicators.months import reporting_month_get
from indicators.rules.periods import add_months
from indicators.status.board import plan_month_expected, plan_rules_fingerprint
from indicators.status.compute import as_of_for, timeliness
from indicators.status.read import is_current
from indicators.status.write import _refresh_month

log = logging.getLogger(__name__)


def status_refresh(*, periods: Iterable[date], today: date | None = None, progress: Callable[[date], None] | None = None) -> int:
    """Recompute the stored rows of `periods` with the pure rules: all of a month's rows
    are replaced in one transaction. Months without a plan lose their rows. Returns the
    number of TargetStatus rows written."""
    written = 0
    periods = {p.replace(day=1) for p in periods}
    plans = {p.year: p for p in Plan.objects.filter(year__in={p.year for p in periods})} if periods else {}
    for period in sorted(periods):
        written += _refresh_month(period, plans.get(period.year), today)
        if progress:
            progress(period)
    # Inside a transaction this refresh has seen its writes: its months need no refresh at commit.
    state = getattr(transaction.get_connection(), _STATE_ATTR, None)
    if state is not None and not state["done"]:
        state["periods"] -= periods
        state["reporting"] -= periods
    return written


def months_touched(periods: Iterable[date]) -> set[date]:
    """The months whose rows a write to `periods`' figures changes: those months, and
    the same months next year (this year's figure is next year's last-year value).
    Relative_to and city values depend only on their own month."""
    out = set()
    for p in periods:
        p = p.replace(day=1)
        out |= {p, add_months(p, 12)}
    return out


def months_after_in_use(periods: Iterable[date]) -> set[date]:
    """The later months of the same plan year that have stored rows: their year-end
    outlook (a 预警 of a green month) reads the months before them. One query."""
    firsts: dict[int, date] = {}
    for p in periods:
        p = p.replace(day=1)
        firsts[p.year] = min(p, firsts.get(p.year, p))
    if not firsts:
        return set()
    later = Q()
    for year, first in firsts.items():
        later |= Q(period__gt=first, period__year=year)
    return set(StatusMonth.objects.filter(later).values_list("period", flat=True))


def months_of_year_in_use(year: int) -> set[date]:
    """Months of `year` that have figures, submissions or stored rows (a plan change
    refreshes these, and the same months of the next year)."""
    months = set(Figure.objects.filter(period__year=year).values_list("period", flat=True).distinct())
    months |= set(Submission.objects.filter(period__year=year).values_list("period", flat=True).distinct())
    months |= set(StatusMonth.objects.filter(period__year=year).values_list("period", flat=True))
    return months


def months_in_use() -> set[date]:
    months = set(Figure.objects.values_list("period", flat=True).distinct())
    months |= set(Submission.objects.values_list("period", flat=True).distinct())
    return months | set(StatusMonth.objects.values_list("period", flat=True))


def months_stale(months: Iterable[date], *, today: date | None = None) -> list[date]:
    """Of `months`, those whose stored rows are out of date, and why: never computed, judged
    at another date than today's (as_of_for), written since (a pending mark), or computed
    with other judging data than the plan's now (a target, threshold or comparison changed,
    even outside the services: compute.rules_fingerprint). One query, and one per plan."""
    months = sorted({m.replace(day=1) for m in months})
    stored = {sm.period: sm for sm in StatusMonth.objects.filter(period__in=months)}
    plans = {p.year: p for p in Plan.objects.filter(year__in={m.year for m in months})} if months else {}
    rules = {year: plan_rules_fingerprint(plan) for year, plan in plans.items()}
    out = []
    for m in months:
        sm = stored.get(m)
        if not is_current(sm, as_of_for(m, today)) or sm.rules != rules.get(m.year, ""):
            out.append(m)
    return out


def status_refresh_on_commit(periods: Iterable[date], *, next_year: bool = True) -> None:
    """Refresh `periods` (and, with next_year, the same months next year) once the
    current transaction commits: one refresh per transaction for the union of months
    registered in it. The months are marked pending at once, so that a read before the
    refresh computes afresh (or, with STATUS_REFRESH_ASYNC, says that an update is
    pending)."""
    periods = [p.replace(day=1) for p in periods]
    wanted = months_touched(periods) if next_year else set(periods)
    if not wanted:
        return
    wanted |= months_after_in_use(periods)
    state = _transaction_state()
    if state is None:  # autocommit: the write is already committed
        _mark_pending(wanted)
        _run_refresh(wanted)
        return
    new = wanted - state["periods"]
    if new:
        _mark_pending(new)
        state["periods"] |= new
    _register(state)


def reporting_refresh_on_commit(periods: Iterable[date]) -> None:
    """A submission changed state (submit, approve, accept, return, a reopened
    correction): only the months' ReportingStatus rows follow, on commit, in the saving
    request (a province month takes some 50 ms). Statuses are untouched."""
    wanted = {p.replace(day=1) for p in periods}
    state = _transaction_state()
    if state is None:
        reporting_refresh(periods=wanted)
        return
    state["reporting"] |= wanted
    _register(state)


def reporting_refresh(*, periods: Iterable[date], today: date | None = None) -> int:
    """Bring the submission state and timeliness of the months' ReportingStatus rows up to
    date (the counts come from the status rows, which a submission leaves as they are).
    A month without rows gets a full refresh. Returns the number of rows changed."""
    today = today or clock.today()
    changed, missing = 0, set()
    for period in sorted({p.replace(day=1) for p in periods}):
        with transaction.atomic():
            sm = StatusMonth.objects.select_for_update().filter(period=period).first()
            if sm is None or sm.computed_at is None:
                missing.add(period)
                continue
            deadline = reporting_month_get(period).deadline
            expected_month = plan_month_expected(period)
            subs = {s.unit_id: s for s in Submission.objects.filter(period=period)}
            rows = []
            for r in ReportingStatus.objects.filter(period=period):
                s = subs.get(r.unit_id)
                new = {
                    "state": s.state if s else "",
                    "submitted": bool(s and s.counts_as_submitted),
                    "submitted_at": s.submitted_at if s else None,
                    "timeliness": timeliness(s, deadline=deadline, today=today, expected_month=expected_month),
                }
                if any(getattr(r, k) != v for k, v in new.items()):
                    for k, v in new.items():
                        setattr(r, k, v)
                    rows.append(r)
            if rows:
                now = timezone.now()
                for r in rows:
                    r.computed_at = now
                fields = ["state", "submitted", "submitted_at", "timeliness", "computed_at"]
                ReportingStatus.objects.bulk_update(rows, fields, batch_size=1000)
                # Results cached from this month (scores read timeliness) are keyed by this time.
                StatusMonth.objects.filter(pk=sm.pk).update(computed_at=now)
            changed += len(rows)
    if missing:
        status_refresh(periods=missing, today=today)
    return changed


def status_refresh_years_on_commit(years: set[int] | None) -> None:
    """Refresh every month in use of `years` (None: of every year) on commit: for
    changes to the plan's structure, units and assignments. Each year is looked up once
    per transaction."""
    state = _transaction_state()
    if state is not None:
        if state["all_years"] or (years is not None and years <= state["years"]):
            return
        state["all_years"] = years is None
        state["years"] |= years or set()
    months = months_in_use() if years is None else set().union(*(months_of_year_in_use(y) for y in years))
    status_refresh_on_commit(months, next_year=False)


# What of a unit its stored rows depend on: names, kinds and order are read live.
UNIT_FIELDS = ("reports", "active_from", "active_until")


def unit_changed(before, after) -> None:
    """A unit was saved or deleted (actions.services.unit_save/unit_delete; registered in
    IndicatorsConfig.ready()): which rows a month has and who is expected to report change
    only when whether or when it reports did, or when it is new or gone."""
    if before is not None and after is not None and all(getattr(before, f) == getattr(after, f) for f in UNIT_FIELDS):
        return
    status_refresh_years_on_commit(None)  # a unit reports in every year


_STATE_ATTR = "_status_refresh_pending"


def _transaction_state() -> dict | None:
    """The months registered for refresh in the current transaction (None outside one)."""
    conn = transaction.get_connection()
    if not conn.in_atomic_block:
        return None
    state = getattr(conn, _STATE_ATTR, None)
    # Fresh after a refresh ran, or when a rolled-back savepoint dropped every callback.
    if state is None or state["done"] or not any(getattr(e[1], "state", None) is state for e in conn.run_on_commit):
        state = {"periods": set(), "reporting": set(), "years": set(), "all_years": False, "done": False}
        setattr(conn, _STATE_ATTR, state)
    return state


def _register(state: dict) -> None:
    """One on_commit callback per call (a rolled-back savepoint drops only its own); the
    first to run refreshes the union of the transaction's months, the others do nothing."""

    def callback():
        if state["done"]:
            return
        state["done"] = True
        _run_refresh(state["periods"])
        if state["reporting"] - state["periods"]:
            try:
                reporting_refresh(periods=state["reporting"] - state["periods"])
            except Exception:  # the write is committed; the daily job and the next write catch up
                log.exception("reporting refresh of %s failed", sorted(state["reporting"]))

    callback.state = state
    transaction.on_commit(callback)


# The Celery task that refreshes months on a worker (indicators.tasks.status_refresh_task),
# registered by IndicatorsConfig.ready(): the task module imports this one, never the reverse.
_queue = None


def status_refresh_queue_set(task) -> None:
    """Queue refreshes with `task` (anything with .delay(periods)) when STATUS_REFRESH_ASYNC."""
    global _queue
    _queue = task


def _mark_pending(periods: set[date]) -> None:
    StatusMonth.objects.filter(period__in=periods).update(pending_since=timezone.now())


def _run_refresh(periods: set[date]) -> None:
    if not periods:
        return
    if settings.STATUS_REFRESH_ASYNC and _queue is not None:
        try:
            _queue.delay([p.isoformat() for p in sorted(periods)])
            return
        except Exception:  # the broker is down: refresh here rather than leave the months pending
            log.exception("could not queue the status refresh of %s; refreshing now", sorted(periods))
    try:
        status_refresh(periods=periods)
    except Exception:  # the write is committed: its months stay marked and are computed on read
        log.exception("status refresh of %s failed; the months stay pending", sorted(periods))


def status_refresh_open(*, today: date | None = None) -> list[date]:
    """The daily job: refresh the months whose judgement moves with the calendar — the
    running month (its judgement date is today), the month before (its deadline passes
    in this month), any month whose deadline has just passed, and any month whose rows
    were judged before its end and before today."""
    today = today or clock.today()
    this = today.replace(day=1)
    months = {this, add_months(this, -1)}
    # A month whose deadline the office moved later: its late units become missing today.
    passed = ReportingMonth.objects.filter(deadline__gte=today - timedelta(days=2), deadline__lt=today)
    months |= set(passed.values_list("period", flat=True))
    for period, as_of in StatusMonth.objects.values_list("period", "as_of"):
        if as_of is None or as_of != as_of_for(period, today):
            months.add(period)
    months = {p for p in months if Plan.objects.filter(year=p.year).exists()}
    status_refresh(periods=months, today=today)
    return sorted(months)
