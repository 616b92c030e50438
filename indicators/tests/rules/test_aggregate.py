"""City and year figures: each measure combined by its own rule, never by averaging."""

from decimal import Decimal

import pytest

from indicators.rules.aggregate import combine, is_empty, reading_value, year_reading
from indicators.rules.types import Direction, Measure, MilestoneState, Reading

DONE, DOING, IDLE = MilestoneState.DONE, MilestoneState.IN_PROGRESS, MilestoneState.NOT_STARTED


def v(x, cases=None):
    return Reading(value=Decimal(x), cases=cases)


def r(n, d):
    return Reading(numerator=None if n is None else Decimal(n), denominator=None if d is None else Decimal(d))


def m(state, reached=None):
    return Reading(state=state, reached=reached)


@pytest.mark.parametrize(
    ("measure", "reading", "expected"),
    [
        (Measure.RATIO, r("9", "10"), Decimal(90)),
        (Measure.RATIO, r("1", "3"), Decimal(100) / 3),
        (Measure.RATIO, r("0", "5"), Decimal(0)),
        (Measure.RATIO, r("0", "0"), None),  # no cases: 0/0 is not 0%
        (Measure.RATIO, r("3", None), None),
        (Measure.RATIO, r(None, "3"), None),
        (Measure.COUNT, v("12"), Decimal(12)),
        (Measure.AVERAGE, v("0.5", 10), Decimal("0.5")),
        (Measure.AVERAGE, v("0", 0), None),  # no cases: no average, not an average of 0
        (Measure.AVERAGE, v("0.5", None), Decimal("0.5")),  # a city-level figure without a case count
        (Measure.RANK, v("3"), Decimal(3)),
        (Measure.COUNT, Reading(), None),
        (Measure.MILESTONE, m(DONE), None),
    ],
)
def test_reading_value(measure, reading, expected):
    assert reading_value(measure, reading) == expected


@pytest.mark.parametrize(
    ("measure", "reading", "empty"),
    [
        (Measure.COUNT, Reading(), True),
        (Measure.COUNT, v("0"), False),
        (Measure.RATIO, r("1", None), True),
        (Measure.RATIO, r(None, "1"), True),
        (Measure.RATIO, r("0", "0"), False),  # reported, just nothing to divide
        (Measure.AVERAGE, Reading(cases=0), True),
        (Measure.AVERAGE, v("2", 0), False),
        (Measure.RANK, Reading(), True),
        (Measure.MILESTONE, Reading(), True),
        (Measure.MILESTONE, m(IDLE), False),
    ],
)
def test_is_empty(measure, reading, empty):
    assert is_empty(measure, reading) is empty


@pytest.mark.parametrize(
    ("measure", "readings", "aggregate", "direction", "expected"),
    [
        (Measure.COUNT, [v("3"), v("4"), Reading()], "sum", None, Reading(value=Decimal(7))),
        (Measure.COUNT, [v("3"), v("4")], None, None, Reading(value=Decimal(7))),
        (Measure.COUNT, [v("3"), v("7"), v("5")], "worst", Direction.LOWER, Reading(value=Decimal(7))),
        (Measure.COUNT, [v("3"), v("7"), v("5")], "worst", Direction.HIGHER, Reading(value=Decimal(3))),
        (Measure.COUNT, [Reading(), v("5")], "worst", Direction.LOWER, Reading(value=Decimal(5))),
        (Measure.COUNT, [Reading(), Reading()], "sum", None, Reading()),
        (Measure.COUNT, [], "sum", None, Reading()),
        (Measure.RATIO, [r("9", "10"), r("1", "90"), r("5", None)], None, None, r("10", "100")),
        (Measure.RATIO, [r("0", "0"), r("3", "4")], None, None, r("3", "4")),
        (Measure.RATIO, [r("0", "0"), r("0", "0")], None, None, r("0", "0")),
        (Measure.AVERAGE, [v("1", 1), v("4", 3)], None, None, Reading(value=Decimal("3.25"), cases=Decimal(4))),
        (Measure.AVERAGE, [v("1", 1), v("9", None), v("4", 3)], None, None, Reading(value=Decimal("3.25"), cases=Decimal(4))),
        (Measure.AVERAGE, [v("2", 0), v("6", 0)], None, None, Reading(cases=Decimal(0))),
        (Measure.AVERAGE, [v("2", 0), v("6", 2)], None, None, Reading(value=Decimal(6), cases=Decimal(2))),
        (Measure.AVERAGE, [v("2"), v("6")], None, None, Reading(value=Decimal(4))),
        (Measure.AVERAGE, [v("0.5")], None, None, Reading(value=Decimal("0.5"))),
        (Measure.RANK, [Reading(), v("4")], None, None, Reading(value=Decimal(4))),
        (Measure.RANK, [v("4"), v("2")], None, None, Reading(value=Decimal(2))),
        (Measure.MILESTONE, [m(DONE), m(DONE), Reading()], None, None, m(DONE)),
        (Measure.MILESTONE, [m(DONE), m(IDLE)], None, None, m(DOING)),
        (Measure.MILESTONE, [m(IDLE), m(DOING)], None, None, m(DOING)),
        (Measure.MILESTONE, [m(IDLE), m(IDLE)], None, None, m(IDLE)),
        # the city's checkpoints: as far as its slowest unit not yet done
        (Measure.MILESTONE, [m(DOING, 2), m(DOING, 1), m(DONE, 0)], None, None, m(DOING, 1)),
        (Measure.MILESTONE, [m(DOING, 2), m(IDLE)], None, None, m(DOING, 0)),
        (Measure.MILESTONE, [Reading()], None, None, Reading()),
    ],
)
def test_combine(measure, readings, aggregate, direction, expected):
    assert combine(measure, readings, aggregate=aggregate, direction=direction) == expected


def test_city_ratio_is_not_the_mean_of_percentages():
    units = [r("9", "10"), r("1", "90")]  # 90% and 1.11…%
    mean_of_percentages = sum(reading_value(Measure.RATIO, u) for u in units) / 2
    city = reading_value(Measure.RATIO, combine(Measure.RATIO, units))
    assert city == Decimal(10)
    assert city != mean_of_percentages


def test_combine_rejects_unknown_aggregate():
    with pytest.raises(ValueError):
        combine(Measure.COUNT, [v("1")], aggregate="mean")


@pytest.mark.parametrize(
    ("measure", "basis", "monthly", "aggregate", "direction", "expected"),
    [
        (Measure.COUNT, "ytd", [v("10"), v("25"), Reading()], None, None, v("25")),
        (Measure.COUNT, "ytd", [Reading(), Reading()], None, None, Reading()),
        (Measure.COUNT, "month", [v("10"), v("25"), Reading()], "sum", None, Reading(value=Decimal(35))),
        (Measure.COUNT, "month", [v("4"), v("6"), v("5")], "worst", Direction.LOWER, Reading(value=Decimal(6))),
        (Measure.COUNT, "month", [v("4"), v("6"), v("5")], "worst", Direction.HIGHER, Reading(value=Decimal(4))),
        (Measure.RATIO, "month", [r("9", "10"), r("1", "90")], None, None, r("10", "100")),
        (Measure.RATIO, "ytd", [r("9", "10"), r("10", "100")], None, None, r("10", "100")),
        (Measure.AVERAGE, "month", [v("1", 1), v("4", 3)], None, None, Reading(value=Decimal("3.25"), cases=Decimal(4))),
        (Measure.RANK, "month", [v("5"), v("3"), Reading()], None, None, v("3")),
        (Measure.MILESTONE, "month", [m(IDLE), m(DONE), Reading()], None, None, m(DONE)),
        (Measure.MILESTONE, "month", [m(DONE), m(DOING)], None, None, m(DOING)),
    ],
)
def test_year_reading(measure, basis, monthly, aggregate, direction, expected):
    assert year_reading(measure, basis, monthly, aggregate=aggregate, direction=direction) == expected


def test_year_reading_rejects_unknown_basis():
    with pytest.raises(ValueError):
        year_reading(Measure.COUNT, "quarter", [v("1")])


NB = Reading(no_business=True)


@pytest.mark.parametrize(
    ("measure", "readings", "expected"),
    [
        # a unit with no case this month is left out of the city figure
        (Measure.RATIO, [r("9", "10"), NB], r("9", "10")),
        (Measure.AVERAGE, [v("2", 4), NB], Reading(value=Decimal(2), cases=Decimal(4))),
        (Measure.COUNT, [v("3"), NB, v("4")], Reading(value=Decimal(7))),
        # every reporter had no case: the city had none either
        (Measure.RATIO, [NB, NB], NB),
        # one still missing: the city is not reported yet
        (Measure.RATIO, [NB, Reading()], Reading()),
        (Measure.RATIO, [], Reading()),
    ],
)
def test_combine_leaves_out_no_business(measure, readings, expected):
    assert combine(measure, readings) == expected


@pytest.mark.parametrize(
    ("basis", "monthly", "expected"),
    [
        ("year_end", [v("7"), v("5"), Reading()], v("5")),  # a modelled annual figure: the latest
        ("ytd", [v("7"), NB], v("7")),
    ],
)
def test_year_reading_of_annual_and_no_business_months(basis, monthly, expected):
    assert year_reading(Measure.COUNT, basis, monthly) == expected


# -- how complete a city value is ---------------------------------------------------------
@pytest.mark.parametrize(
    ("flags", "quorum", "complete", "text"),
    [
        ([True, True, False], None, False, "2/3 单位已报"),  # default: every expected unit
        ([True, True, True], None, True, "3/3 单位已报"),
        ([True, True, False], 2, True, "2/3 单位已报"),  # the plan's quorum
        ([True], 5, True, "1/1 单位已报"),  # a quorum above the expected is every unit
        ([], None, True, "0/0 单位已报"),
    ],
)
def test_a_city_value_is_complete_once_its_reporters_have_reported(flags, quorum, complete, text):
    from indicators.rules.aggregate import coverage

    c = coverage(flags, quorum=quorum)
    assert (c.complete, c.text) == (complete, text)


@pytest.mark.parametrize(
    ("status", "reason", "flags", "expected"),
    [
        ("green", "", [True, False], ("grey", "not_reported")),  # judged from whoever reported: no
        ("red", "", [True, False], ("grey", "not_reported")),
        ("red", "", [True, True], ("red", "")),
        ("grey", "not_due", [True, False], ("grey", "not_due")),  # its own reason kept
    ],
)
def test_a_city_value_is_judged_only_when_complete(status, reason, flags, expected):
    from indicators.rules.aggregate import coverage
    from indicators.rules.status import city_judgement

    got = city_judgement(status, reason, coverage(flags))
    assert (str(got[0]), str(got[1])) == expected


def test_no_business_counts_as_reported():
    from indicators.rules.aggregate import has_reported

    assert has_reported(Measure.AVERAGE, Reading(), no_business=True)
    assert not has_reported(Measure.AVERAGE, Reading(cases=3))
    assert has_reported(Measure.RATIO, Reading(numerator=Decimal(1), denominator=Decimal(2)))
