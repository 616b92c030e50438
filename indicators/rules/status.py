"""A figure's status against its target (达标 / 预警 / 未达标 / 未报送), and how far it
misses. Computed from plain values and an explicit judgement date; never typed by hand."""

from datetime import date
from decimal import Decimal

from .aggregate import is_empty, reading_value
from .pace import expected_value
from .types import Direction, Kind, Measure, MilestoneState, Reading, Status, Target
from .workdays import month_end

# Kinds with one number to reach, which a yearly pace can stand in for month by month.
_PACEABLE = {Kind.AT_MOST, Kind.AT_LEAST, Kind.EXCEED, Kind.EXACTLY}


def is_judged(target: Target) -> bool:
    """False for reference metrics: they are shown, but left out of every count of
    green / yellow / red and out of scores."""
    return target.kind != Kind.REFERENCE


def comparison_value(target: Target, period: date) -> Decimal | None:
    """The number month `period` is judged against: the year's target, or with `pace` the
    expected pace for that month (baseline + gap × months elapsed ÷ 12)."""
    if target.pace and target.baseline is not None and target.value is not None and target.kind in _PACEABLE:
        return expected_value(target.baseline, target.value, period.month)
    return target.value


def _need(value: Decimal | None, target: Target, field: str = "value") -> Decimal:
    # The plan loader rejects such targets; failing loudly here beats a silent grey.
    if value is None:
        raise ValueError(f"{target.kind} target needs a {field}")
    return value


def _band(green: bool, yellow: bool) -> Status:
    if green:
        return Status.GREEN
    return Status.YELLOW if yellow else Status.RED


def target_status(
    target: Target,
    measure: Measure,
    reading: Reading,
    *,
    as_of: date,
    period: date,
    last_year: Decimal | None = None,
    other: Decimal | None = None,
) -> Status:
    """The status of `reading` for month `period` (its first day), judged on `as_of` (the
    month's last day for a closed month).

    GREY when there is nothing to judge: no figure, a ratio over zero cases, last year's
    figure missing or zero for change_vs_last_year / improve, the other metric's figure
    missing for relative_to — and always for a reference metric, which callers leave out
    of their counts (see is_judged). Yellow is a miss within the tolerance band (bounds
    included). With year_end_only, a miss before December is only yellow."""
    status = _status(
        target,
        measure,
        reading,
        as_of=as_of,
        period=period,
        last_year=last_year,
        other=other,
    )
    if target.year_end_only and period.month < 12 and status is Status.RED:
        return Status.YELLOW
    return status


def _status(
    target: Target,
    measure: Measure,
    reading: Reading,
    *,
    as_of: date,
    period: date,
    last_year: Decimal | None,
    other: Decimal | None,
) -> Status:
    if not is_judged(target) or is_empty(measure, reading):
        return Status.GREY
    if target.kind == Kind.MILESTONE:
        return _milestone_status(target, reading, as_of=as_of, period=period)
    v = reading_value(measure, reading)
    if v is None:
        return Status.GREY
    tol = target.tolerance or Decimal(0)
    better = target.better_direction
    match target.kind:
        case Kind.AT_MOST:
            t = _need(comparison_value(target, period), target)
            return _band(v <= t, v <= t + tol)
        case Kind.AT_LEAST:
            t = _need(comparison_value(target, period), target)
            return _band(v >= t, v >= t - tol)
        case Kind.EXCEED:
            t = _need(comparison_value(target, period), target)
            return _band(v > t, v > t - tol)
        case Kind.EXACTLY:
            t = _need(comparison_value(target, period), target)
            return _band(v == t, abs(v - t) <= tol)
        case Kind.RANGE:
            low, high = (
                _need(target.low, target, "low"),
                _need(target.high, target, "high"),
            )
            return _band(low <= v <= high, low - tol <= v <= high + tol)
        case Kind.CHANGE_VS_LAST_YEAR:
            change = _change(v, last_year, better)
            if change is None:
                return Status.GREY
            t = _need(target.value, target)
            return _band(change >= t, change >= t - tol)
        case Kind.RELATIVE_TO:
            if other is None:
                return Status.GREY
            if better is Direction.LOWER:
                return _band(v <= other, v <= other + tol)
            return _band(v >= other, v >= other - tol)
        case Kind.IMPROVE:
            if last_year is None:
                return Status.GREY
            # Equal to last year is not better: it is yellow at best (tolerance 0 included).
            if better is Direction.LOWER:
                return _band(v < last_year, v <= last_year + tol)
            return _band(v > last_year, v >= last_year - tol)
        case Kind.RANK:
            t = _need(target.value, target)
            return _band(v <= t, v <= t + tol)
    raise ValueError(f"unknown target kind {target.kind!r}")


def _change(v: Decimal, last_year: Decimal | None, better: Direction | None) -> Decimal | None:
    """Percent change against last year, positive in the good direction; None when last
    year is missing or zero (a change from nothing has no percentage)."""
    if not last_year:
        return None
    # Divide by the size of last year's figure, so a negative base (a growth rate that
    # was below zero) does not turn an improvement into a decline.
    delta = v - last_year if better is Direction.HIGHER else last_year - v
    return delta * 100 / abs(last_year)


def _milestone_status(target: Target, reading: Reading, *, as_of: date, period: date) -> Status:
    if reading.state is None:
        return Status.GREY
    if MilestoneState(reading.state) is MilestoneState.DONE:
        return Status.GREEN
    # The month's figure speaks for the whole month: a task due inside the month and not
    # done by its end is late, whatever day the judgement is made.
    if target.due is not None and (as_of >= target.due or month_end(period) >= target.due):
        return Status.RED
    return Status.YELLOW


def apply_projection(status: Status, meets: bool | None) -> Status:
    """A green month whose year-end projection misses the target is a warning (预警)."""
    if status is Status.GREEN and meets is False:
        return Status.YELLOW
    return status


def gap(
    target: Target,
    measure: Measure,
    reading: Reading,
    *,
    last_year: Decimal | None = None,
    other: Decimal | None = None,
    period: date,
) -> Decimal | None:
    """How far the figure is from its (paced) target, in the metric's unit — percentage
    points for ratios and for change_vs_last_year. Positive is a miss by that much; zero
    or negative is met with that much to spare (inside a range: distance to the nearer
    edge, negative). None where a distance means nothing: no figure, a milestone, a
    reference metric, or a missing comparison."""
    if not is_judged(target) or target.kind == Kind.MILESTONE:
        return None
    v = reading_value(measure, reading)
    if v is None:
        return None
    better = target.better_direction
    match target.kind:
        case Kind.AT_MOST | Kind.RANK:
            return v - _need(comparison_value(target, period), target)
        case Kind.AT_LEAST | Kind.EXCEED:
            return _need(comparison_value(target, period), target) - v
        case Kind.EXACTLY:
            return abs(v - _need(comparison_value(target, period), target))
        case Kind.RANGE:
            low, high = (
                _need(target.low, target, "low"),
                _need(target.high, target, "high"),
            )
            return max(low - v, v - high)
        case Kind.CHANGE_VS_LAST_YEAR:
            change = _change(v, last_year, better)
            return None if change is None else _need(target.value, target) - change
        case Kind.RELATIVE_TO | Kind.IMPROVE:
            base = other if target.kind == Kind.RELATIVE_TO else last_year
            if base is None:
                return None
            return v - base if better is Direction.LOWER else base - v
    raise ValueError(f"unknown target kind {target.kind!r}")
