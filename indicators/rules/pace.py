"""Pace and projection for targets reached by accumulation over the year: where a figure
should be by month m (时序进度), and where it is heading by December."""

from collections.abc import Sequence
from decimal import Decimal

from .types import Kind, Measure, PaceProfile, Target

_ZERO = Decimal(0)
_ONE = Decimal(1)


def expected_value(baseline: Decimal, target: Decimal, month: int, months: int = 12) -> Decimal:
    """The expected pace: the baseline plus the year's gap times the months elapsed ÷ 12."""
    if not 0 <= month <= months:
        raise ValueError(f"month {month} outside 0..{months}")
    return baseline + (target - baseline) * month / months


def pace_fraction(profile: PaceProfile, month: int, batch_months: Sequence[int] = ()) -> Decimal | None:
    """The share of the year's gap expected to be closed by the end of `month` (0..12).

    linear: month ÷ 12. front_loaded: 1 − ((12 − month) ÷ 12)², three quarters by June.
    batch: the share of the batch months already reached (Q4 batches [10, 11, 12]: ⅓ in
    October, all in December); None before the first batch month, when nothing can have
    moved yet and there is nothing to judge (未到考核期)."""
    if not 0 <= month <= 12:
        raise ValueError(f"month {month} outside 0..12")
    match PaceProfile(profile):
        case PaceProfile.LINEAR:
            return Decimal(month) / 12
        case PaceProfile.FRONT_LOADED:
            left = Decimal(12 - month) / 12
            return _ONE - left * left
        case PaceProfile.BATCH:
            batches = sorted(set(batch_months))
            if not batches or any(not 1 <= b <= 12 for b in batches):
                raise ValueError(f"batch months must be 1..12, got {list(batch_months)}")
            done = sum(1 for b in batches if b <= month)
            return None if done == 0 else Decimal(done) / len(batches)
    raise ValueError(f"unknown pace profile {profile!r}")


def pace_start(target: Target) -> Decimal | None:
    """Where the pace starts in January: `pace_from` (0 for a count that restarts each
    year), else last year's end value."""
    return target.pace_from if target.pace_from is not None else target.baseline


def pace_value(target: Target, month: int) -> Decimal | None:
    """The expected value (时序进度) by the end of `month` for a paced target: the start
    plus the year's gap times the profile's share. None when the target has no pace, no
    start or no value, or before a batch target's first batch month."""
    start = pace_start(target)
    if not target.pace or start is None or target.value is None:
        return None
    share = pace_fraction(target.pace_profile, month, target.batch_months)
    if share is None:
        return None
    return start + (target.value - start) * share


# How many months (the latest included) a month's own figure is projected from.
MONTH_WINDOW = 3


def project_year_end(
    points: Sequence[tuple[int, Decimal]],
    *,
    basis: str,
    baseline: Decimal | None = None,
) -> Decimal | None:
    """Where the figure is heading by year end (年底预计值), from (month, value) points.

    Year-to-date figures (basis "ytd") grow through the year: draw the straight line that
    best fits the months so far (least squares) and read it at month 12. With one month
    only, assume it grew evenly from zero: value × 12 ÷ month. If `baseline` (last year's
    end value) is given it is the point at month 0, which matters for stocks that do not
    start the year at zero (a count of firms).

    A month's own figure (basis "month") does not accumulate: the year is heading where
    the months are running, the mean of the months reported in the last quarter up to
    the latest (a month not reported is left out, not reached back for).

    A modelled annual figure (basis "year_end", 纳税次数) already is the year: the latest.

    None when there are no points. A month reported twice counts once (the later)."""
    if basis not in ("month", "ytd", "year_end"):
        raise ValueError(f"unknown basis {basis!r}")
    by_month = dict(points)
    if not by_month:
        return None
    if any(not 1 <= month <= 12 for month in by_month):
        raise ValueError(f"months must be 1..12, got {sorted(by_month)}")
    ordered = sorted(by_month.items())
    if basis == "year_end":
        return ordered[-1][1]
    if basis == "month":
        latest = ordered[-1][0]
        last = [value for month, value in ordered if month > latest - MONTH_WINDOW]
        return sum(last, _ZERO) / len(last)
    if baseline is not None:
        ordered.insert(0, (0, baseline))
    if len(ordered) == 1:
        month, value = ordered[0]
        return value * 12 / month
    n = len(ordered)
    sum_x = sum(month for month, _ in ordered)
    sum_y = sum((value for _, value in ordered), _ZERO)
    sum_xx = sum(month * month for month, _ in ordered)
    sum_xy = sum((month * value for month, value in ordered), _ZERO)
    slope = (n * sum_xy - sum_x * sum_y) / (n * sum_xx - sum_x * sum_x)
    # The fitted line passes through the mean point; walk from there to month 12.
    return (sum_y + slope * (12 * n - sum_x)) / n


# Kinds whose year-end test needs only the figure itself; the others compare with last
# year or another metric, which a projection of this figure alone cannot answer.
_PROJECTABLE = {
    Kind.AT_MOST,
    Kind.AT_LEAST,
    Kind.EXCEED,
    Kind.EXACTLY,
    Kind.RANGE,
    Kind.RANK,
}
# Kinds with one number to reach, which a yearly pace can stand in for month by month.
PACEABLE_KINDS = frozenset({Kind.AT_MOST, Kind.AT_LEAST, Kind.EXCEED})


def projection_meets(target: Target, measure: Measure, projected: Decimal | None) -> bool | None:
    """Whether the projected year-end figure meets the (full-year, not paced) target.

    None when it cannot say: no projection, a milestone, a reference metric, or a kind
    that compares with last year or another metric."""
    if projected is None or measure == Measure.MILESTONE or target.kind not in _PROJECTABLE:
        return None
    if measure == Measure.RATIO:
        # A straight line can run past 100%; a share cannot.
        projected = min(projected, Decimal(100))
    match target.kind:
        case Kind.AT_MOST | Kind.RANK:
            return projected <= target.value
        case Kind.AT_LEAST:
            return projected >= target.value
        case Kind.EXCEED:
            return projected > target.value
        case Kind.EXACTLY:
            return projected == target.value
    return target.low <= projected <= target.high


def year_end_outlook(
    target: Target, measure: Measure, basis: str, points: Sequence[tuple[int, Decimal]]
) -> tuple[Decimal | None, bool | None]:
    """Where a figure is heading by December (年底预计值) and whether that meets the
    target: the one reading behind the metric page's projection and the 预警 of a green
    month whose year is heading for a miss (status.judge's `projected_meets`).

    `points` are the (month, value) of the plan year so far, the judged month included. A
    paced year-to-date figure starts its line at the pace's start (month 0); a milestone
    has no projection. A paced target is judged by its pace (时序进度, whose profile may be
    front-loaded or in batches, which a straight line cannot follow): its projection is
    shown, but says nothing of the status (None)."""
    if measure == Measure.MILESTONE:
        return None, None
    start = pace_start(target) if target.pace and basis == "ytd" else None
    projected = project_year_end(points, basis=basis, baseline=start)
    if target.pace:
        return projected, None
    return projected, projection_meets(target, measure, projected)
