"""Status of a figure against each kind of target that compares a number (a ceiling, a
floor, a range, a change on last year, another metric, improving or keeping last year's
level), both sides of every boundary: a miss is always red, and a figure is judged on the
numbers its measure takes."""

import pytest

from indicators.rules.types import Kind, Measure, Reading, Target
from indicators.tests.rules.status_cases import D, G, N, R, status, tgt


@pytest.mark.parametrize(
    ("kind", "value", "tol", "figure", "expected"),
    [
        ("at_most", "0.5", "0", "0.4", G),
        ("at_most", "0.5", "0", "0.5", G),
        ("at_most", "0.5", "0", "0.51", R),
        ("at_most", "0.5", "0.5", "0.51", R),  # a tolerance never softens a miss
        ("at_most", "0.5", "0.5", "0.95", R),  # 企业开办 0.95 days against 0.5
        ("at_most", "1", "0.2", "1.15", R),  # 担保费率 1.15% against the 1% cap
        ("at_most", "1", "0.2", "1", G),
        ("at_least", "90", "0", "90.01", G),
        ("at_least", "90", "0", "90", G),
        ("at_least", "90", "0", "89.99", R),
        ("at_least", "90", "5", "89.99", R),
        ("at_least", "30", "3", "28", R),  # 预留份额 28% against 原则上不低于30%
        ("at_least", "30", "3", "30", G),
        ("exceed", "1000", "0", "1001", G),
        ("exceed", "1000", "0", "1000", R),  # 突破 1000 means more than 1000
        ("exceed", "1000", "10", "1000", R),
        ("exactly", "100", "0", "100", G),
        ("exactly", "100", "0", "99.99", R),
        ("exactly", "100", "1", "99", R),
        ("exactly", "100", "1", "101", R),
        ("exactly", "0", "0", "0", G),  # 拖欠账款动态清零
        ("exactly", "0", "0", "1", R),
        ("rank", "3", "0", "3", G),
        ("rank", "3", "0", "4", R),
        ("rank", "3", "2", "5", R),
    ],
)
def test_single_value_kinds(kind, value, tol, figure, expected):
    assert status(tgt(kind, value, tol), Reading(value=D(figure))) is expected


@pytest.mark.parametrize(
    ("figure", "expected"),
    [
        ("190", G),  # better than the stretch value is still met: 280 is the ceiling
        ("219.99", G),
        ("220", G),
        ("280", G),
        ("280.01", R),
        ("300", R),
    ],
)
def test_ceiling_with_a_stretch_value(figure, expected):
    # 进出口合规成本 "降至220至280美元": at most 280, 220 shown as the stretch value
    target = tgt("at_most", "280", stretch=D("220"))
    assert status(target, Reading(value=D(figure)), measure=Measure.AVERAGE) is expected


def test_stretch_value_is_shown_not_judged():
    target = tgt("at_most", "280", stretch=D("220"))
    assert target.describe("美元") == "≤ 280 美元(力争 220 美元)"
    assert tgt("at_most", "280").describe("美元") == "≤ 280 美元"


@pytest.mark.parametrize(
    ("tol", "figure", "expected"),
    [
        ("0", "219.99", R),
        ("0", "220", G),
        ("0", "250", G),
        ("0", "280", G),
        ("0", "280.01", R),
        ("10", "210", R),  # a band's edges are its limits
        ("10", "290", R),
    ],
)
def test_range(tol, figure, expected):
    target = Target(Kind.RANGE, low=D("220"), high=D("280"), tolerance=D(tol))
    assert status(target, Reading(value=D(figure))) is expected


@pytest.mark.parametrize(
    ("direction", "tol", "last", "figure", "expected"),
    [
        ("lower", "0", "100", "92", G),  # cut by exactly 8%
        ("lower", "0", "100", "92.01", R),
        ("lower", "2", "100", "92.01", R),
        ("lower", "0", "100", "108", R),  # went up instead
        ("higher", "0", "100", "108", G),
        ("higher", "0", "100", "107.99", R),
        ("higher", "0", "-10", "-9.2", G),  # a negative base: rising from −10 to −9.2 is +8%
        ("higher", "0", "-10", "-9.3", R),
        ("lower", "0", None, "92", N),
        ("lower", "0", "0", "92", N),  # no percentage change from zero
    ],
)
def test_change_vs_last_year(direction, tol, last, figure, expected):
    target = tgt("change_vs_last_year", "8", tol, direction)
    assert status(target, Reading(value=D(figure)), last=last) is expected


@pytest.mark.parametrize(
    ("direction", "tol", "other", "figure", "expected"),
    [
        ("higher", "0", "10", "10", G),
        ("higher", "0", "10", "12", G),
        ("higher", "0", "10", "9.99", R),
        ("higher", "1", "10", "9", R),
        ("lower", "0", "10", "10", G),
        ("lower", "0", "10", "10.01", R),
        ("higher", "0", None, "10", N),
    ],
)
def test_relative_to(direction, tol, other, figure, expected):
    target = tgt("relative_to", None, tol, direction)
    assert status(target, Reading(value=D(figure)), other=other) is expected


@pytest.mark.parametrize(
    ("direction", "last", "figure", "expected"),
    [
        ("higher", "100", "100.01", G),
        ("higher", "100", "100", R),  # level with last year is not an improvement
        ("higher", "100", "99.99", R),
        ("lower", "100", "99.99", G),
        ("lower", "100", "100", R),
        ("lower", "100", "100.01", R),
        ("higher", None, "100", N),
    ],
)
def test_improve(direction, last, figure, expected):
    assert status(tgt("improve", None, "0", direction), Reading(value=D(figure)), last=last) is expected


@pytest.mark.parametrize(
    ("last", "figure", "expected"),
    [
        ("3", "2", G),
        ("3", "3", G),  # 保持: as good as last year is kept
        ("3", "4", R),
        (None, "3", N),
    ],
)
def test_keep_means_not_worse_than_last_year(last, figure, expected):
    # 知识产权综合实力保持全省先进: this year's rank no worse than last year's
    target = tgt("keep", direction="lower")
    assert status(target, Reading(value=D(figure)), measure=Measure.RANK, last=last) is expected


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
    assert status(tgt("at_least", "90"), reading, measure=measure) is expected


def test_target_without_its_number_is_an_error():
    with pytest.raises(ValueError):
        status(Target(Kind.AT_MOST), Reading(value=D("1")))
