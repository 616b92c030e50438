"""Expected pace through the year, and where a figure is heading by December."""

from decimal import Decimal

import pytest

from indicators.rules.pace import (
    expected_value,
    pace_fraction,
    pace_value,
    project_year_end,
    projection_meets,
    year_end_outlook,
)
from indicators.rules.types import Kind, Measure, PaceProfile, Target


def D(x):
    return None if x is None else Decimal(x)


def pts(*pairs):
    return [(month, Decimal(value)) for month, value in pairs]


@pytest.mark.parametrize(
    ("baseline", "target", "month", "expected"),
    [
        ("880", "1000", 0, "880"),
        ("880", "1000", 1, "890"),
        ("880", "1000", 6, "940"),
        ("880", "1000", 12, "1000"),
        ("1.5", "0.5", 6, "1.0"),
        ("0", "100", 4, "33.33333333333333333333333333"),
    ],
)
def test_expected_value(baseline, target, month, expected):
    assert expected_value(D(baseline), D(target), month) == D(expected)


@pytest.mark.parametrize("month", [-1, 13])
def test_expected_value_rejects_months_outside_the_year(month):
    with pytest.raises(ValueError):
        expected_value(D("0"), D("12"), month)


@pytest.mark.parametrize(
    ("points", "basis", "baseline", "expected"),
    [
        ([], "ytd", None, None),
        ([], "month", None, None),
        (pts((3, "30")), "ytd", None, "120"),  # one month: even growth from zero
        (pts((12, "30")), "ytd", None, "30"),
        (pts((1, "10"), (2, "20"), (3, "30")), "ytd", None, "120"),
        (pts((3, "30"), (1, "10"), (2, "20")), "ytd", None, "120"),  # order does not matter
        (pts((1, "10"), (2, "30"), (3, "30")), "ytd", None, "123.3"),  # least squares, not the last step
        (pts((6, "940")), "ytd", "880", "1000"),  # a stock: the line from last year's end
        (pts((1, "5"), (2, "6"), (3, "7"), (4, "8")), "month", None, "7"),
        (pts((1, "5")), "month", None, "5"),
        (pts((4, "8"), (1, "5"), (3, "7"), (2, "6")), "month", None, "7"),
        (pts((1, "5"), (2, "6"), (2, "9")), "month", None, "7"),  # the later report of month 2 counts
        (pts((1, "5"), (2, "6"), (5, "8")), "month", None, "8"),  # the last quarter: 3 and 4 not reported
        (pts((2, "6"), (4, "7"), (5, "8")), "month", None, "7.5"),
    ],
)
def test_project_year_end(points, basis, baseline, expected):
    result = project_year_end(points, basis=basis, baseline=D(baseline))
    if expected is None:
        assert result is None
    else:
        assert result.quantize(Decimal("0.1")) == D(expected).quantize(Decimal("0.1"))


@pytest.mark.parametrize(("points", "basis"), [(pts((0, "1")), "ytd"), (pts((13, "1")), "month"), (pts((1, "1")), "year")])
def test_project_year_end_rejects_bad_input(points, basis):
    with pytest.raises(ValueError):
        project_year_end(points, basis=basis)


def T(kind, value=None, low=None, high=None):
    return Target(Kind(kind), value=D(value), low=D(low), high=D(high))


@pytest.mark.parametrize(
    ("target", "measure", "projected", "expected"),
    [
        (T("at_most", "0.5"), Measure.AVERAGE, "0.5", True),
        (T("at_most", "0.5"), Measure.AVERAGE, "0.51", False),
        (T("at_least", "90"), Measure.RATIO, "90", True),
        (T("at_least", "90"), Measure.RATIO, "89.9", False),
        (T("exceed", "1000"), Measure.COUNT, "1000.1", True),
        (T("exceed", "1000"), Measure.COUNT, "1000", False),
        (T("exactly", "100"), Measure.RATIO, "100", True),
        (T("exactly", "100"), Measure.RATIO, "103", True),  # a share cannot run past 100%
        (T("exactly", "100"), Measure.RATIO, "99.9", False),
        (T("range", None, "220", "280"), Measure.AVERAGE, "280", True),
        (T("range", None, "220", "280"), Measure.AVERAGE, "280.1", False),
        (T("range", None, "220", "280"), Measure.AVERAGE, "219.9", False),
        (T("rank", "3"), Measure.RANK, "3", True),
        (T("rank", "3"), Measure.RANK, "4", False),
        (T("at_least", "90"), Measure.RATIO, None, None),
        (T("improve"), Measure.COUNT, "5", None),
        (T("change_vs_last_year", "8"), Measure.AVERAGE, "5", None),
        (T("relative_to"), Measure.RATIO, "5", None),
        (T("reference"), Measure.COUNT, "5", None),
        (T("milestone"), Measure.MILESTONE, "1", None),
    ],
)
def test_projection_meets(target, measure, projected, expected):
    assert projection_meets(target, measure, D(projected)) is expected


@pytest.mark.parametrize(
    ("profile", "month", "batches", "expected"),
    [
        (PaceProfile.LINEAR, 0, (), "0"),
        (PaceProfile.LINEAR, 6, (), "0.5"),
        (PaceProfile.LINEAR, 12, (), "1"),
        (PaceProfile.FRONT_LOADED, 0, (), "0"),
        (PaceProfile.FRONT_LOADED, 6, (), "0.75"),  # three quarters of the gap by June
        (PaceProfile.FRONT_LOADED, 12, (), "1"),
        (PaceProfile.BATCH, 9, (10, 11, 12), None),  # before the first batch: nothing to judge
        (PaceProfile.BATCH, 10, (10, 11, 12), "0.3333333333333333333333333333"),
        (PaceProfile.BATCH, 11, (12, 10, 11), "0.6666666666666666666666666667"),
        (PaceProfile.BATCH, 12, (10, 11, 12), "1"),
        (PaceProfile.BATCH, 11, (12,), None),
        (PaceProfile.BATCH, 12, (12,), "1"),
    ],
)
def test_pace_fraction(profile, month, batches, expected):
    assert pace_fraction(profile, month, batches) == D(expected)


@pytest.mark.parametrize(("profile", "month", "batches"), [("linear", 13, ()), ("batch", 6, ()), ("batch", 6, (0,))])
def test_pace_fraction_rejects_bad_input(profile, month, batches):
    with pytest.raises(ValueError):
        pace_fraction(profile, month, batches)


@pytest.mark.parametrize(
    ("target", "month", "expected"),
    [
        (Target(Kind.EXCEED, value=D("1000"), pace=True, baseline=D("850")), 6, "925"),
        (Target(Kind.EXCEED, value=D("1000"), pace=True, baseline=D("850"), pace_from=D("0")), 6, "500"),
        (Target(Kind.AT_LEAST, value=D("100"), pace=True, pace_from=D("0"), pace_profile=PaceProfile.FRONT_LOADED), 6, "75"),
        (Target(Kind.EXCEED, value=D("1000"), baseline=D("850")), 6, None),  # no pace
        (Target(Kind.EXCEED, value=D("1000"), pace=True), 6, None),  # nowhere to start
    ],
)
def test_pace_value(target, month, expected):
    assert pace_value(target, month) == D(expected)


@pytest.mark.parametrize(
    ("points", "expected"),
    [
        (pts((1, "7"), (2, "6"), (3, "5")), "5"),  # 纳税次数: the modelled annual figure, the latest
        (pts((3, "5"), (1, "7")), "5"),
    ],
)
def test_project_year_end_of_an_annual_figure_is_the_latest(points, expected):
    assert project_year_end(points, basis="year_end") == D(expected)


@pytest.mark.parametrize(
    ("target", "measure", "basis", "points", "projected", "meets"),
    [
        # a month's own figure: the mean of the last three months reported
        (T("at_most", "0.5"), Measure.AVERAGE, "month", pts((4, "0.8"), (5, "0.6"), (6, "0.4")), "0.6", False),
        (T("at_most", "0.5"), Measure.AVERAGE, "month", pts((4, "0.5"), (5, "0.4"), (6, "0.45")), "0.45", True),
        (T("at_least", "90"), Measure.RATIO, "month", pts((6, "92")), "92", True),
        # year to date: the fitted line read at December
        (T("exceed", "1000"), Measure.COUNT, "ytd", pts((1, "80"), (2, "160"), (3, "240")), "960", False),
        (T("exceed", "1000"), Measure.COUNT, "ytd", pts((1, "90"), (2, "180"), (3, "270")), "1080", True),
        # a paced stock starts its line at the pace's start (last year's 850 at month 0);
        # its pace judges it, the line does not (batches in Q4 would look like a miss)
        (
            Target(Kind.EXCEED, value=D("1000"), pace=True, baseline=D("850")),
            Measure.COUNT,
            "ytd",
            pts((6, "925")),
            "1000",
            None,
        ),
        (T("at_least", "90"), Measure.RATIO, "month", [], None, None),  # nothing reported yet
        (T("milestone"), Measure.MILESTONE, "month", pts((6, "1")), None, None),
        (T("improve"), Measure.COUNT, "month", pts((6, "5")), "5", None),  # compares with last year: cannot say
    ],
)
def test_year_end_outlook(target, measure, basis, points, projected, meets):
    value, verdict = year_end_outlook(target, measure, basis, points)
    assert value == D(projected) and verdict is meets
