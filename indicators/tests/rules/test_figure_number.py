"""A figure is shown with as many decimals as its comparison with the target needs: the
number beside a mark never contradicts it (99.996 against ≥ 100 is not "100")."""

from decimal import Decimal as D

import pytest

from indicators.rules.types import Kind, Target, format_figure

CASES = [
    # value, thresholds, shown
    ("92.345", (), "92.35"),
    ("0.5", (), "0.5"),
    ("100", (D(100),), "100"),
    ("99.996", (D(100),), "99.996"),
    ("99.9996", (D(100),), "99.9996"),
    ("100.004", (D(100),), "100.004"),
    ("99.994", (D(100),), "99.99"),
    ("90.004", (D(90),), "90.004"),
    ("89.995", (D(90),), "89.995"),
    ("89.9949", (D(90),), "89.99"),
    ("0.5", (D("0.5"),), "0.5"),
    ("0.504", (D("0.5"),), "0.504"),
    ("279.999", (D(220), D(280)), "279.999"),
    ("99.99999999", (D(100),), "99.99999999"),  # beyond six places: as stored
    ("1E+3", (), "1000"),
]


@pytest.mark.parametrize("value,thresholds,shown", CASES)
def test_a_figure_keeps_the_side_of_its_threshold(value, thresholds, shown):
    assert format_figure(D(value), thresholds) == shown


@pytest.mark.parametrize(
    "target,thresholds",
    [
        (Target(kind=Kind.AT_LEAST, value=D(100)), (D(100),)),
        (Target(kind=Kind.EXACTLY, value=D(100)), (D(100),)),
        (Target(kind=Kind.RANGE, low=D(220), high=D(280)), (D(220), D(280))),
        (Target(kind=Kind.CHANGE_VS_LAST_YEAR, value=D(5)), ()),  # a change, not the figure
        (Target(kind=Kind.IMPROVE), ()),
    ],
)
def test_the_thresholds_a_figure_is_compared_with(target, thresholds):
    assert target.thresholds == thresholds
