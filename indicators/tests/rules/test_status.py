"""Status of a figure against each kind of target, both sides of every boundary."""

from datetime import date
from decimal import Decimal

import pytest

from indicators.rules.status import (
    apply_projection,
    comparison_value,
    gap,
    is_judged,
    target_status,
)
from indicators.rules.types import (
    Direction,
    Kind,
    Measure,
    MilestoneState,
    Reading,
    Status,
    Target,
)

G, Y, R, N = Status.GREEN, Status.YELLOW, Status.RED, Status.GREY
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


def judge(target, reading, *, measure=Measure.COUNT, period=JUNE, as_of=None, last=None, other=None):
    as_of = as_of or date(period.year, period.month, 28)
    return target_status(target, measure, reading, as_of=as_of, period=period, last_year=D(last), other=D(other))


@pytest.mark.parametrize(
    ("kind", "value", "tol", "figure", "expected"),
    [
        ("at_most", "0.5", "0", "0.4", G),
        ("at_most", "0.5", "0", "0.5", G),
        ("at_most", "0.5", "0", "0.51", R),
        ("at_most", "0.5", "0.5", "0.51", Y),
        ("at_most", "0.5", "0.5", "1.0", Y),
        ("at_most", "0.5", "0.5", "1.01", R),
        ("at_least", "90", "0", "90.01", G),
        ("at_least", "90", "0", "90", G),
        ("at_least", "90", "0", "89.99", R),
        ("at_least", "90", "5", "89.99", Y),
        ("at_least", "90", "5", "85", Y),
        ("at_least", "90", "5", "84.99", R),
        ("exceed", "1000", "0", "1001", G),
        ("exceed", "1000", "0", "1000", R),  # 突破 1000 means more than 1000
        ("exceed", "1000", "10", "1000", Y),
        ("exceed", "1000", "10", "990.01", Y),
        ("exceed", "1000", "10", "990", R),
        ("exactly", "100", "0", "100", G),
        ("exactly", "100", "0", "99.99", R),
        ("exactly", "100", "1", "99", Y),
        ("exactly", "100", "1", "101", Y),
        ("exactly", "100", "1", "98.99", R),
        ("exactly", "100", "1", "101.01", R),
        ("exactly", "0", "0", "0", G),  # 拖欠账款动态清零
        ("exactly", "0", "0", "1", R),
        ("rank", "3", "0", "3", G),
        ("rank", "3", "0", "4", R),
        ("rank", "3", "2", "5", Y),
        ("rank", "3", "2", "6", R),
    ],
)
def test_single_value_kinds(kind, value, tol, figure, expected):
    assert judge(tgt(kind, value, tol), Reading(value=D(figure))) is expected


@pytest.mark.parametrize(
    ("tol", "figure", "expected"),
    [
        ("0", "219.99", R),
        ("0", "220", G),
        ("0", "250", G),
        ("0", "280", G),
        ("0", "280.01", R),
        ("10", "210", Y),
        ("10", "209.99", R),
        ("10", "290", Y),
        ("10", "290.01", R),
    ],
)
def test_range(tol, figure, expected):
    target = Target(Kind.RANGE, low=D("220"), high=D("280"), tolerance=D(tol))
    assert judge(target, Reading(value=D(figure))) is expected


@pytest.mark.parametrize(
    ("direction", "tol", "last", "figure", "expected"),
    [
        ("lower", "0", "100", "92", G),  # cut by exactly 8%
        ("lower", "0", "100", "92.01", R),
        ("lower", "2", "100", "92.01", Y),
        ("lower", "2", "100", "94", Y),
        ("lower", "2", "100", "94.01", R),
        ("lower", "0", "100", "108", R),  # went up instead
        ("higher", "0", "100", "108", G),
        ("higher", "0", "100", "107.99", R),
        ("higher", "2", "100", "106", Y),
        ("higher", "2", "100", "105.99", R),
        ("higher", "0", "-10", "-9.2", G),  # a negative base: rising from −10 to −9.2 is +8%
        ("higher", "0", "-10", "-9.3", R),
        ("lower", "0", None, "92", N),
        ("lower", "0", "0", "92", N),  # no percentage change from zero
    ],
)
def test_change_vs_last_year(direction, tol, last, figure, expected):
    target = tgt("change_vs_last_year", "8", tol, direction)
    assert judge(target, Reading(value=D(figure)), last=last) is expected


@pytest.mark.parametrize(
    ("direction", "tol", "other", "figure", "expected"),
    [
        ("higher", "0", "10", "10", G),
        ("higher", "0", "10", "12", G),
        ("higher", "0", "10", "9.99", R),
        ("higher", "1", "10", "9", Y),
        ("higher", "1", "10", "8.99", R),
        ("lower", "0", "10", "10", G),
        ("lower", "0", "10", "10.01", R),
        ("lower", "1", "10", "11", Y),
        ("lower", "1", "10", "11.01", R),
        ("higher", "0", None, "10", N),
    ],
)
def test_relative_to(direction, tol, other, figure, expected):
    target = tgt("relative_to", None, tol, direction)
    assert judge(target, Reading(value=D(figure)), other=other) is expected


@pytest.mark.parametrize(
    ("direction", "tol", "last", "figure", "expected"),
    [
        ("higher", "0", "100", "100.01", G),
        ("higher", "0", "100", "100", Y),  # level with last year is not yet better
        ("higher", "0", "100", "99.99", R),
        ("higher", "1", "100", "99", Y),
        ("higher", "1", "100", "98.99", R),
        ("lower", "0", "100", "99.99", G),
        ("lower", "0", "100", "100", Y),
        ("lower", "0", "100", "100.01", R),
        ("lower", "1", "100", "101", Y),
        ("lower", "1", "100", "101.01", R),
        ("higher", "0", None, "100", N),
    ],
)
def test_improve(direction, tol, last, figure, expected):
    target = tgt("improve", None, tol, direction)
    assert judge(target, Reading(value=D(figure)), last=last) is expected


@pytest.mark.parametrize(
    ("due", "state", "period", "as_of", "expected"),
    [
        (date(2022, 12, 31), "done", date(2022, 6, 1), date(2022, 6, 30), G),
        (date(2022, 12, 31), "done", date(2022, 12, 1), date(2023, 1, 5), G),
        (date(2022, 12, 31), "not_started", date(2022, 6, 1), date(2022, 6, 30), Y),
        (date(2022, 12, 31), "in_progress", date(2022, 11, 1), date(2022, 11, 30), Y),
        (date(2022, 12, 31), "in_progress", date(2022, 12, 1), date(2022, 12, 31), R),  # on due
        (date(2022, 12, 31), "in_progress", date(2022, 12, 1), date(2022, 12, 20), R),  # due inside the month
        (date(2022, 12, 31), "in_progress", date(2022, 12, 1), date(2023, 1, 10), R),  # after due
        (date(2022, 6, 15), "in_progress", date(2022, 5, 1), date(2022, 5, 31), Y),
        (date(2022, 6, 15), "in_progress", date(2022, 5, 1), date(2022, 6, 14), Y),
        (date(2022, 6, 15), "in_progress", date(2022, 5, 1), date(2022, 6, 15), R),
        (None, "in_progress", date(2022, 12, 1), date(2022, 12, 31), Y),
        (date(2022, 12, 31), None, date(2022, 12, 1), date(2022, 12, 31), N),
    ],
)
def test_milestone(due, state, period, as_of, expected):
    target = Target(Kind.MILESTONE, due=due)
    reading = Reading(state=MilestoneState(state) if state else None)
    assert judge(target, reading, measure=Measure.MILESTONE, period=period, as_of=as_of) is expected


@pytest.mark.parametrize(
    ("kind", "baseline", "month", "figure", "expected"),
    [
        ("at_least", "880", 1, "890", G),  # pace for January: 880 + 120 × 1/12
        ("at_least", "880", 1, "889.99", R),
        ("at_least", "880", 6, "940", G),
        ("at_least", "880", 6, "939", R),
        ("at_least", "880", 12, "1000", G),
        ("at_least", "880", 12, "999", R),
        ("exceed", "880", 1, "890.01", G),
        ("exceed", "880", 1, "890", R),
        ("exceed", "880", 12, "1000.01", G),
        ("exceed", "880", 12, "1000", R),
        ("at_most", "1.5", 6, "1.0", G),  # a falling target paces down too
        ("at_most", "1.5", 6, "1.01", R),
        ("at_least", None, 1, "890", R),  # pace without a baseline: the year's target
    ],
)
def test_pace(kind, baseline, month, figure, expected):
    value = "0.5" if kind == "at_most" else "1000"
    target = tgt(kind, value, pace=True, baseline=D(baseline))
    assert judge(target, Reading(value=D(figure)), period=date(2022, month, 1)) is expected


@pytest.mark.parametrize(
    ("month", "tol", "figure", "expected"),
    [
        (11, "0", "500", Y),  # a miss before December is only a warning
        (11, "0", "1000", G),
        (11, "100", "900", Y),
        (12, "0", "500", R),
        (12, "0", "1000", G),
        (12, "100", "900", Y),
        (1, "0", "0", Y),
    ],
)
def test_year_end_only(month, tol, figure, expected):
    target = tgt("at_least", "1000", tol, year_end_only=True)
    assert judge(target, Reading(value=D(figure)), period=date(2022, month, 1)) is expected


def test_year_end_only_milestone_past_due_before_december():
    target = Target(Kind.MILESTONE, due=date(2022, 6, 30), year_end_only=True)
    reading = Reading(state=MilestoneState.IN_PROGRESS)
    assert judge(target, reading, measure=Measure.MILESTONE, period=date(2022, 7, 1)) is Y


@pytest.mark.parametrize(
    ("measure", "reading", "expected"),
    [
        (Measure.RATIO, Reading(numerator=D("9"), denominator=D("10")), G),
        (Measure.RATIO, Reading(numerator=D("899"), denominator=D("1000")), R),
        (Measure.RATIO, Reading(numerator=D("0"), denominator=D("0")), N),  # no cases
        (Measure.RATIO, Reading(numerator=D("9"), denominator=None), N),
        (Measure.RATIO, Reading(value=D("95")), N),  # a ratio is judged on n/d only
        (Measure.COUNT, Reading(), N),
        (Measure.AVERAGE, Reading(cases=0), N),  # zero cases: no average
        (Measure.AVERAGE, Reading(value=D("95"), cases=3), G),
    ],
)
def test_figures_measured_as(measure, reading, expected):
    assert judge(tgt("at_least", "90"), reading, measure=measure) is expected


@pytest.mark.parametrize(
    ("reading", "expected"),
    [(Reading(value=D("5")), N), (Reading(), N)],
)
def test_reference_is_never_judged(reading, expected):
    target = Target(Kind.REFERENCE)
    assert judge(target, reading) is expected
    assert not is_judged(target)


@pytest.mark.parametrize("kind", [k for k in Kind if k is not Kind.REFERENCE])
def test_every_other_kind_is_judged(kind):
    assert is_judged(Target(kind))


def test_target_without_its_number_is_an_error():
    with pytest.raises(ValueError):
        judge(Target(Kind.AT_MOST), Reading(value=D("1")))


@pytest.mark.parametrize(
    ("pace", "baseline", "month", "expected"),
    [
        (True, "880", 1, "890"),
        (True, "880", 12, "1000"),
        (False, "880", 1, "1000"),
        (True, None, 1, "1000"),
    ],
)
def test_comparison_value(pace, baseline, month, expected):
    target = tgt("exceed", "1000", pace=pace, baseline=D(baseline))
    assert comparison_value(target, date(2022, month, 1)) == D(expected)


@pytest.mark.parametrize(
    ("status", "meets", "expected"),
    [(G, False, Y), (G, True, G), (G, None, G), (R, False, R), (Y, False, Y), (N, False, N)],
)
def test_apply_projection(status, meets, expected):
    assert apply_projection(status, meets) is expected


@pytest.mark.parametrize(
    ("target", "measure", "reading", "last", "other", "month", "expected"),
    [
        (tgt("at_most", "0.5"), Measure.AVERAGE, Reading(value=D("0.8")), None, None, 6, "0.3"),
        (tgt("at_most", "0.5"), Measure.AVERAGE, Reading(value=D("0.4")), None, None, 6, "-0.1"),
        (tgt("at_least", "90"), Measure.RATIO, Reading(numerator=D("85"), denominator=D("100")), None, None, 6, "5"),
        (tgt("exceed", "1000", pace=True, baseline=D("880")), Measure.COUNT, Reading(value=D("900")), None, None, 6, "40"),
        (tgt("exactly", "100"), Measure.RATIO, Reading(numerator=D("101"), denominator=D("100")), None, None, 6, "1"),
        (Target(Kind.RANGE, low=D("220"), high=D("280")), Measure.AVERAGE, Reading(value=D("200")), None, None, 6, "20"),
        (Target(Kind.RANGE, low=D("220"), high=D("280")), Measure.AVERAGE, Reading(value=D("290")), None, None, 6, "10"),
        (Target(Kind.RANGE, low=D("220"), high=D("280")), Measure.AVERAGE, Reading(value=D("270")), None, None, 6, "-10"),
        (tgt("change_vs_last_year", "8", direction="lower"), Measure.AVERAGE, Reading(value=D("95")), "100", None, 6, "3"),
        (tgt("change_vs_last_year", "8", direction="lower"), Measure.AVERAGE, Reading(value=D("95")), "0", None, 6, None),
        (tgt("relative_to", direction="higher"), Measure.COUNT, Reading(value=D("8")), None, "10", 6, "2"),
        (tgt("relative_to", direction="higher"), Measure.COUNT, Reading(value=D("8")), None, None, 6, None),
        (tgt("improve", direction="lower"), Measure.AVERAGE, Reading(value=D("12")), "10", None, 6, "2"),
        (tgt("rank", "3"), Measure.RANK, Reading(value=D("5")), None, None, 6, "2"),
        (Target(Kind.MILESTONE), Measure.MILESTONE, Reading(state=MilestoneState.DONE), None, None, 6, None),
        (Target(Kind.REFERENCE), Measure.COUNT, Reading(value=D("5")), None, None, 6, None),
        (tgt("at_most", "0.5"), Measure.AVERAGE, Reading(), None, None, 6, None),
    ],
)
def test_gap(target, measure, reading, last, other, month, expected):
    result = gap(target, measure, reading, last_year=D(last), other=D(other), period=date(2022, month, 1))
    assert result == D(expected)
