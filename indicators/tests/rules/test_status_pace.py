"""Status of a figure over the year: against the pace (linear, from zero, in batches),
behind the pace within its tolerance (yellow, never for a miss), year-end-only targets,
when a target is due, and a met figure projected to miss the year (a warning)."""

from datetime import date

import pytest

from indicators.rules.status import apply_projection, comparison_value, is_due
from indicators.rules.types import Judgement, Kind, Measure, PaceProfile, Reading, Target
from indicators.tests.rules.status_cases import NO_BASELINE, NOT_DUE, D, G, N, R, Y, judgement, status, tgt


@pytest.mark.parametrize(
    ("kind", "baseline", "month", "figure", "expected"),
    [
        ("at_least", "880", 1, "890", G),  # pace for January: 880 + 120 × 1/12
        ("at_least", "880", 1, "889.99", R),
        ("at_least", "880", 6, "940", G),
        ("at_least", "880", 6, "939", R),
        ("at_least", "880", 12, "1000", G),
        ("at_least", "880", 12, "999", R),
        ("at_least", "880", 3, "1000", G),  # the year's target already met
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
    assert status(target, Reading(value=D(figure)), period=date(2022, month, 1)) is expected


@pytest.mark.parametrize(
    ("month", "figure", "expected"),
    [
        # exceed 1000 at pace from 850 with a 50 band: June expects 925
        (6, "926", G),
        (6, "925", Y),  # 突破: level with the pace is behind it, within the band
        (6, "875", Y),
        (6, "874.99", R),
        (12, "1000", R),  # December: the pace is the target, no band
        (12, "999", R),
        (12, "1001", G),
    ],
)
def test_behind_pace_within_tolerance_is_a_warning(month, figure, expected):
    target = tgt("exceed", "1000", "50", pace=True, baseline=D("850"))
    assert status(target, Reading(value=D(figure)), period=date(2022, month, 1)) is expected


@pytest.mark.parametrize(
    ("month", "figure", "expected"),
    [
        # 科技型中小企业: registrations restart each year, pace from 0 to > 1000
        (6, "500.01", G),
        (6, "500", Y),
        (6, "450", Y),
        (6, "449", R),
        (12, "1001", G),
        (12, "1000", R),
    ],
)
def test_pace_from_zero_for_a_count_that_restarts(month, figure, expected):
    target = tgt("exceed", "1000", "50", pace=True, baseline=D("850"), pace_from=D("0"))
    assert status(target, Reading(value=D(figure)), period=date(2022, month, 1)) is expected


@pytest.mark.parametrize(
    ("month", "figure", "expected"),
    [
        # "双随机、一公开" 100%全覆盖: a year's coverage building up from 0, band 5 points
        (6, "50", G),
        (6, "45", Y),
        (6, "44.99", R),
        (11, "91.67", G),
        (12, "99.99", R),
        (12, "100", G),
    ],
)
def test_coverage_that_builds_up_over_the_year(month, figure, expected):
    target = tgt("at_least", "100", "5", pace=True, pace_from=D("0"))
    reading = Reading(numerator=D(figure), denominator=D("100"))
    assert status(target, reading, measure=Measure.RATIO, period=date(2022, month, 1)) is expected


@pytest.mark.parametrize(
    ("month", "figure", "expected"),
    [
        # 高新技术企业 recognised in Q4 batches: not judged before October
        (1, "600", N),
        (9, "600", N),
        (10, "720.01", G),  # one batch of three: 680 + 120 / 3
        (10, "700", Y),
        (10, "679.99", R),
        (11, "760.01", G),
        (12, "800", R),
        (12, "801", G),
    ],
)
def test_batch_pace(month, figure, expected):
    target = tgt("exceed", "800", "40", pace=True, baseline=D("680"), pace_profile=PaceProfile.BATCH, batch_months=(10, 11, 12))
    assert status(target, Reading(value=D(figure)), period=date(2022, month, 1)) is expected


def test_batch_pace_before_the_batch_is_not_due():
    target = tgt("exceed", "800", pace=True, baseline=D("680"), pace_profile=PaceProfile.BATCH, batch_months=(12,))
    assert judgement(target, Reading(value=D("600")), period=date(2022, 11, 1)) == Judgement(N, NOT_DUE)
    assert judgement(target, Reading(value=D("801")), period=date(2022, 12, 1)) == Judgement(G)


@pytest.mark.parametrize(
    ("month", "figure", "expected"),
    [
        (11, "500", N),  # an annual figure is not judged before December
        (11, "1000", N),
        (12, "999", R),
        (12, "1000", G),
        (1, "0", N),
    ],
)
def test_year_end_only(month, figure, expected):
    target = tgt("at_least", "1000", year_end_only=True)
    assert status(target, Reading(value=D(figure)), period=date(2022, month, 1)) is expected


@pytest.mark.parametrize(
    ("month", "last", "figure", "expected"),
    [
        (6, "5", "9", Judgement(N, NOT_DUE)),  # 知识产权 rank: annual, judged in December
        (12, "5", "5", Judgement(G)),
        (12, "5", "6", Judgement(R)),
        (12, None, "3", Judgement(N, NO_BASELINE)),
    ],
)
def test_annual_rank_kept(month, last, figure, expected):
    target = tgt("keep", direction="lower", year_end_only=True)
    reading = Reading(value=D(figure))
    assert judgement(target, reading, measure=Measure.RANK, period=date(2022, month, 1), last=last) == expected


@pytest.mark.parametrize(
    ("figure", "projected_meets", "expected"),
    [
        ("95", False, Y),  # met now, heading for a miss: a warning
        ("95", True, G),
        ("95", None, G),
        ("85", False, R),  # a miss stays red
    ],
)
def test_met_but_projected_to_miss_is_a_warning(figure, projected_meets, expected):
    result = judgement(tgt("at_least", "90"), Reading(value=D(figure)), projected_meets=projected_meets)
    assert result.status is expected


@pytest.mark.parametrize(
    ("target", "month", "due"),
    [
        (tgt("at_least", "1", year_end_only=True), 11, False),
        (tgt("at_least", "1", year_end_only=True), 12, True),
        (tgt("exceed", "8", pace=True, baseline=D("6"), pace_profile=PaceProfile.BATCH, batch_months=(10,)), 9, False),
        (tgt("exceed", "8", pace=True, baseline=D("6"), pace_profile=PaceProfile.BATCH, batch_months=(10,)), 10, True),
        (tgt("exceed", "8", pace=True, baseline=D("6")), 1, True),
        (Target(Kind.REFERENCE, year_end_only=True), 1, True),
    ],
)
def test_is_due(target, month, due):
    assert is_due(target, date(2022, month, 1)) is due


@pytest.mark.parametrize(
    ("pace", "baseline", "pace_from", "month", "expected"),
    [
        (True, "880", None, 1, "890"),
        (True, "880", None, 12, "1000"),
        (False, "880", None, 1, "1000"),
        (True, None, None, 1, "1000"),
        (True, "850", "0", 6, "500"),
    ],
)
def test_comparison_value(pace, baseline, pace_from, month, expected):
    target = tgt("exceed", "1000", pace=pace, baseline=D(baseline), pace_from=D(pace_from))
    assert comparison_value(target, date(2022, month, 1)) == D(expected)


@pytest.mark.parametrize(
    ("status_", "meets", "expected"),
    [(G, False, Y), (G, True, G), (G, None, G), (R, False, R), (Y, False, Y), (N, False, N)],
)
def test_apply_projection(status_, meets, expected):
    assert apply_projection(status_, meets) is expected
