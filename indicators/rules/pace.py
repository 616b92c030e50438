"""Pace and projection for targets reached by accumulation over the year: where a figure
should be by month m (时序进度), and where it is heading by December."""

from collections.abc import Sequence
from decimal import Decimal

from .types import Kind, Measure, Target

_ZERO = Decimal(0)


def expected_value(baseline: Decimal, target: Decimal, month: int, months: int = 12) -> Decimal:
    """The expected pace: the baseline plus the year's gap times the months elapsed ÷ 12."""
    if not 0 <= month <= months:
        raise ValueError(f"month {month} outside 0..{months}")
    return baseline + (target - baseline) * month / months


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
    the months are running, the mean of the last three months reported.

    None when there are no points. A month reported twice counts once (the later)."""
    if basis not in ("month", "ytd"):
        raise ValueError(f"unknown basis {basis!r}")
    by_month = dict(points)
    if not by_month:
        return None
    if any(not 1 <= month <= 12 for month in by_month):
        raise ValueError(f"months must be 1..12, got {sorted(by_month)}")
    ordered = sorted(by_month.items())
    if basis == "month":
        last = [value for _, value in ordered[-3:]]
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
