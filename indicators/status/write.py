"""The stored rows of one month, replaced in one short transaction: TargetStatus,
ReportingStatus and the month's StatusMonth. Called by indicators.status.refresh."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db import models, transaction
from django.utils import timezone

from actions import clock
from actions.models import Plan, Unit
from indicators.models import ReportingStatus, StatusMonth, Submission, TargetStatus
from indicators.months import reporting_month_get
from indicators.rules import aggregate as agg
from indicators.rules.periods import add_months
from indicators.rules.reporting import is_asked
from indicators.rules.scoring import Formula
from indicators.rules.status import is_judged
from indicators.rules.types import Status
from indicators.status.board import board_compute, expected_units, plan_rules_fingerprint
from indicators.status.compute import _score_counts, as_of_for, plan_expects, timeliness
from indicators.status.rows import StatusBoard, StatusRow


def _refresh_month(period: date, plan: Plan | None, today: date | None) -> int:
    """Read and judge the month outside any transaction, then replace its rows in one
    short one: on SQLite a transaction holds the whole database's write lock, and every
    save in the city would wait for the judging. A refresh that began reading before the
    one whose rows are stored writes nothing (those rows are newer)."""
    started = timezone.now()
    today = today or clock.today()
    as_of = as_of_for(period, today)
    rows, reporting, rules = [], [], ""
    if plan is not None:
        rules = plan_rules_fingerprint(plan)
        board = board_compute(plan, period, as_of)
        now = timezone.now()
        rows = [_stored(r, period, now) for r in board.unit_rows] + [_stored(r, period, now) for r in board.city_rows.values()]
        reporting = _reporting_rows(plan, period, board, today, now)
    with transaction.atomic():
        # Serialise the writes of one month (the update takes SQLite's write lock first).
        sm, _ = StatusMonth.objects.get_or_create(period=period)
        StatusMonth.objects.filter(pk=sm.pk).update(period=period)
        sm = StatusMonth.objects.select_for_update().get(pk=sm.pk)
        if sm.read_at is not None and sm.read_at > started:
            return 0  # a refresh that read after this one has written already
        if plan is None:
            TargetStatus.objects.filter(period=period).delete()
            ReportingStatus.objects.filter(period=period).delete()
            sm.delete()
            return 0
        now = timezone.now()
        _rows_write(TargetStatus, period, rows, key=lambda r: (r.metric_id, r.unit_id), now=now)
        _rows_write(ReportingStatus, period, reporting, key=lambda r: r.unit_id, now=now)
        sm.as_of, sm.computed_at, sm.read_at, sm.rules = as_of, now, started, rules
        # A write that marked the month while this refresh read it keeps its mark: its own refresh follows.
        if sm.pending_since is not None and sm.pending_since <= started:
            sm.pending_since = None
        sm.save()
    return len(rows)


def _as_stored(field):
    """A computed value as its column gives it back: a decimal rounded to the column's
    places (a ratio's full-precision quotient reads back to 6 places)."""
    if isinstance(field, models.DecimalField):
        places = Decimal(1).scaleb(-field.decimal_places)
        return lambda v: v if v is None else Decimal(v).quantize(places, rounding=ROUND_HALF_UP)
    return lambda v: v


def _rows_write(model, period: date, rows: list, *, key, now) -> None:
    """Make `rows` the month's rows of `model`, writing only what changed: a save changes
    a handful of a month's thousands of rows, and the write lock is held for those.
    Compared as stored: an unrounded ratio made every ratio row look changed, and
    rewriting them (bulk_update) took most of a province save's 20 s."""
    fields = [f.attname for f in model._meta.concrete_fields if f.attname not in ("id", "computed_at")]
    as_stored = {f.attname: _as_stored(f) for f in model._meta.concrete_fields}
    stored = {key(r): r for r in model.objects.filter(period=period)}
    create, update = [], []
    for r in rows:
        old = stored.pop(key(r), None)
        r.computed_at = now
        if old is None:
            create.append(r)
        elif any(getattr(old, f) != as_stored[f](getattr(r, f)) for f in fields):
            r.pk = old.pk
            update.append(r)
    if stored:
        model.objects.filter(pk__in=[r.pk for r in stored.values()]).delete()
    model.objects.bulk_update(update, [*fields, "computed_at"], batch_size=500)
    model.objects.bulk_create(create, batch_size=2000)


def _stored(row: StatusRow, period: date, now) -> TargetStatus:
    r = row.reading
    return TargetStatus(
        metric_id=row.metric.pk,
        unit_id=row.unit.pk if row.unit else None,
        period=period,
        value=row.value,  # as judged: None for an average over no cases
        numerator=r.numerator,
        denominator=r.denominator,
        cases=r.cases,
        state=r.state.value if r.state else "",
        compared_with=row.compared_with,
        last_year=row.last_year,
        other=row.other,
        status=row.status.value,
        grey_reason=row.grey_reason,
        computed_at=now,
    )


def _reporting_rows(plan: Plan, period: date, board: StatusBoard, today: date, now) -> list[ReportingStatus]:
    expected = {u.pk for u in expected_units(period)}
    deadline = reporting_month_get(period).deadline
    subs = {s.unit_id: s for s in Submission.objects.filter(period=period)}
    units: dict[int, Unit] = {}
    counts: dict[int, dict] = defaultdict(lambda: dict.fromkeys(["assigned", "filled", "judged", *Status], 0))
    for row in board.unit_rows:
        units[row.unit.pk] = row.unit
        c = counts[row.unit.pk]
        filled = row.reading.no_business or not agg.is_empty(row.metric.measure, row.reading)
        if is_asked(year_end_only=row.metric.year_end_only, period=period) or filled:  # rules.reporting.is_asked
            c["assigned"] += 1
            c["filled"] += filled
        if is_judged(row.metric.target):
            c["judged"] += 1
            c[row.status] += 1
    scores, leads = _score_counts(board, _statuses_before(period), Formula.from_dict(plan.scoring))
    for pk, unit in leads.items():  # a lead department scored on a city value it does not report
        units.setdefault(pk, unit)
    out = []
    for pk, unit in units.items():
        s, c, sc = subs.get(pk), counts[pk], scores[pk]
        out.append(
            ReportingStatus(
                unit=unit,
                period=period,
                expected=pk in expected,
                state=s.state if s else "",
                submitted=bool(s and s.counts_as_submitted),
                submitted_at=s.submitted_at if s else None,
                timeliness=timeliness(s, deadline=deadline, today=today, expected_month=plan_expects(plan, period)),
                assigned=c["assigned"],
                filled=c["filled"],
                judged=c["judged"],
                green=c[Status.GREEN],
                yellow=c[Status.YELLOW],
                red=c[Status.RED],
                grey=c[Status.GREY],
                scored=sc["scored"],
                scored_green=sc["scored_green"],
                comparable=sc["comparable"],
                improved=sc["improved"],
                computed_at=now,
            )
        )
    return out


def _statuses_before(period: date) -> dict[tuple[int | None, int], str]:
    """The stored statuses of the month before within the plan year, by (unit, metric);
    the unit is None for the city. January compares with nothing (a new plan)."""
    before = add_months(period, -1)
    if before.year != period.year:
        return {}
    rows = TargetStatus.objects.filter(period=before).values_list("unit_id", "metric_id", "status")
    return {(unit_id, metric_id): status for unit_id, metric_id, status in rows}
