"""Combining figures honestly: unit figures into a city figure, and months into a year,
each by the metric's own measure (DOMAIN.md, "What a figure is")."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from .types import Direction, Measure, MilestoneState, Reading

_ZERO = Decimal(0)


def is_empty(measure: Measure, reading: Reading) -> bool:
    """True when the reading holds no figure for its measure (nothing reported)."""
    match measure:
        case Measure.RATIO:
            return reading.numerator is None or reading.denominator is None
        case Measure.MILESTONE:
            return reading.state is None
    return reading.value is None


def reading_value(measure: Measure, reading: Reading) -> Decimal | None:
    """The number a target is compared with; a ratio in percent.

    None when there is no number: nothing reported, a ratio over a zero denominator or an
    average over zero cases (no cases this month: 0/0 is not 0%), or a milestone (judged
    by its state)."""
    match measure:
        case Measure.RATIO:
            if reading.numerator is None or not reading.denominator:
                return None
            # Multiply first so that exact shares stay exact (9/10 → 90, not 90.000…1).
            return reading.numerator * 100 / reading.denominator
        case Measure.AVERAGE:
            if reading.cases == 0:
                return None  # no cases this month: there is no average, as 0/0 is no ratio
        case Measure.MILESTONE:
            return None
    return reading.value


def combine(
    measure: Measure,
    readings: Iterable[Reading],
    *,
    aggregate: str | None = None,
    direction: Direction | None = None,
) -> Reading:
    """The city figure from unit figures. Empty readings are skipped, and so are readings
    of units with no case this month (本月无此项业务); all empty → Reading(), or
    Reading(no_business=True) when every reporter said it had no case.

    count: the sum (aggregate "sum", the default), or with aggregate "worst" the worst
    unit — the largest when lower is better (number of steps), otherwise the smallest.
    ratio: Σ numerators over Σ denominators, never an average of percentages.
    average: weighted by case counts; a reading without a case count cannot be weighted
    and is left out, unless no reading has one, when each counts once. Zero cases in all →
    no value.
    rank: the best (smallest) rank reported; normally there is one reporter.
    milestone: done when every reporter is done, in progress once anyone has started, its
    checkpoints reached as far as the slowest unit not yet done."""
    if aggregate not in (None, "sum", "worst"):
        raise ValueError(f"unknown aggregate {aggregate!r}")
    readings = list(readings)
    present = [r for r in readings if not r.no_business and not is_empty(measure, r)]
    if not present:
        return Reading(no_business=bool(readings) and all(r.no_business for r in readings))
    match measure:
        case Measure.COUNT:
            values = [r.value for r in present]
            if aggregate == "worst":
                return Reading(value=max(values) if direction == Direction.LOWER else min(values))
            return Reading(value=sum(values, _ZERO))
        case Measure.RATIO:
            return Reading(
                numerator=sum((r.numerator for r in present), _ZERO),
                denominator=sum((r.denominator for r in present), _ZERO),
            )
        case Measure.AVERAGE:
            return _weighted_average(present)
        case Measure.RANK:
            return Reading(value=min(r.value for r in present))
        case Measure.MILESTONE:
            states = {MilestoneState(r.state) for r in present}
            if states == {MilestoneState.DONE}:
                return Reading(state=MilestoneState.DONE)
            # The city is on schedule only as far as its slowest unit not yet done.
            open_ = [r for r in present if r.state != MilestoneState.DONE]
            reached = None if all(r.reached is None for r in open_) else min(r.reached or 0 for r in open_)
            if states & {MilestoneState.IN_PROGRESS, MilestoneState.DONE}:
                return Reading(state=MilestoneState.IN_PROGRESS, reached=reached)
            return Reading(state=MilestoneState.NOT_STARTED, reached=reached)
    raise ValueError(f"unknown measure {measure!r}")


def _weighted_average(present: Sequence[Reading]) -> Reading:
    weighted = [r for r in present if r.cases is not None]
    if not weighted:
        values = [r.value for r in present]
        return Reading(value=sum(values, _ZERO) / len(values))
    cases = sum((Decimal(r.cases) for r in weighted), _ZERO)
    if cases == 0:
        return Reading(cases=cases)
    total = sum((r.value * Decimal(r.cases) for r in weighted), _ZERO)
    return Reading(value=total / cases, cases=cases)


def year_reading(
    measure: Measure,
    basis: str,
    monthly: Sequence[Reading],
    *,
    aggregate: str | None = None,
    direction: Direction | None = None,
) -> Reading:
    """The year's figure from the months, given in month order.

    A year-to-date figure (basis "ytd") already holds the year so far, and a modelled
    annual figure (basis "year_end") is the year by definition, so the last month
    reported is the year. A month's own figure (basis "month") is combined over the months
    by the same rule as units are combined into the city — except a rank or milestone,
    where the latest state is the year's."""
    if basis not in ("month", "ytd", "year_end"):
        raise ValueError(f"unknown basis {basis!r}")
    if basis != "month" or measure in (Measure.RANK, Measure.MILESTONE):
        for reading in reversed(monthly):
            if not reading.no_business and not is_empty(measure, reading):
                return reading
        return Reading()
    return combine(measure, monthly, aggregate=aggregate, direction=direction)


# -- how complete a city value is ---------------------------------------------------------
@dataclass(frozen=True)
class Coverage:
    """How many of the units a city value counts have reported (a figure, or 本月无此项业务),
    of how many are expected, and how many it needs to be judged (the quorum: plan data,
    by default every expected unit)."""

    reported: int
    expected: int
    needed: int

    @property
    def complete(self) -> bool:
        """Whether the city value may be judged: enough of the expected units reported."""
        return self.reported >= self.needed

    @property
    def text(self) -> str:
        """What every page and document prints beside a city value: "3/12 单位已报"."""
        return f"{self.reported}/{self.expected} 单位已报"


def coverage(reported: Iterable[bool], *, quorum: int | None = None) -> Coverage:
    """The coverage of a city value from each counted unit's "has it reported" (one bool
    per unit the city value counts: active, assigned, its cases not inside a county's)."""
    flags = list(reported)
    expected = len(flags)
    return Coverage(sum(flags), expected, expected if quorum is None else min(quorum, expected))


def has_reported(measure: Measure, reading: Reading, *, no_business: bool = False) -> bool:
    """Whether a unit's month holds its report for a metric: a figure, or 本月无此项业务."""
    return no_business or reading.no_business or not is_empty(measure, reading)
