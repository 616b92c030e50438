"""Shared shorthand of the status rule's table-driven tests (test_status_*.py): the four
statuses, the grey reasons, a target from strings, and the status or whole judgement of
a reading in a month."""

from datetime import date
from decimal import Decimal

from indicators.rules.status import judge
from indicators.rules.types import Direction, GreyReason, Kind, Measure, Status, Target

G, Y, R, N = Status.GREEN, Status.YELLOW, Status.RED, Status.GREY
NOT_REPORTED, NO_BUSINESS, NO_BASELINE, NOT_DUE, NOT_APPLICABLE = (
    GreyReason.NOT_REPORTED,
    GreyReason.NO_BUSINESS,
    GreyReason.NO_BASELINE,
    GreyReason.NOT_DUE,
    GreyReason.NOT_APPLICABLE,
)
JUNE = date(2022, 6, 1)


def D(x):
    return None if x is None else Decimal(x)


def tgt(kind, value=None, tol="0", direction=None, **kw):
    return Target(
        Kind(kind),
        value=D(value),
        tolerance=Decimal(tol),
        direction=Direction(direction) if direction else None,
        **kw,
    )


def status(target, reading, *, measure=Measure.COUNT, period=JUNE, as_of=None, last=None, other=None):
    as_of = as_of or date(period.year, period.month, 28)
    return judge(target, measure, reading, as_of=as_of, period=period, last_year=D(last), other=D(other)).status


def judgement(target, reading, *, measure=Measure.COUNT, period=JUNE, last=None, other=None, **kw):
    as_of = date(period.year, period.month, 28)
    return judge(target, measure, reading, as_of=as_of, period=period, last_year=D(last), other=D(other), **kw)
