"""The status rule as a whole: grey always says why, the labels of a judgement, which
targets are judged at all, the gap to the target, and the rule in words (the same text
in PLAN_FORMAT.md)."""

from datetime import date

import pytest

from indicators.rules.status import STATUS_RULE, gap, is_judged
from indicators.rules.types import Judgement, Kind, Measure, MilestoneState, Reading, Target
from indicators.tests.rules.status_cases import (
    NO_BASELINE,
    NO_BUSINESS,
    NOT_APPLICABLE,
    NOT_DUE,
    NOT_REPORTED,
    D,
    N,
    R,
    Y,
    judgement,
    status,
    tgt,
)


@pytest.mark.parametrize(
    ("target", "measure", "reading", "kw", "expected"),
    [
        (tgt("at_least", "90"), Measure.COUNT, Reading(), {}, NOT_REPORTED),
        (tgt("at_least", "90"), Measure.COUNT, Reading(no_business=True), {}, NO_BUSINESS),
        (tgt("at_least", "90"), Measure.COUNT, Reading(value=D("95")), {"no_business": True}, NO_BUSINESS),
        (tgt("at_least", "90"), Measure.RATIO, Reading(numerator=D("0"), denominator=D("0")), {}, NO_BUSINESS),
        (tgt("at_most", "1"), Measure.AVERAGE, Reading(value=D("0"), cases=0), {}, NO_BUSINESS),
        (tgt("improve", direction="higher"), Measure.COUNT, Reading(value=D("5")), {}, NO_BASELINE),
        (tgt("change_vs_last_year", "8", direction="lower"), Measure.COUNT, Reading(value=D("5")), {}, NO_BASELINE),
        (tgt("relative_to", direction="higher"), Measure.COUNT, Reading(value=D("5")), {}, NO_BASELINE),
        (tgt("improve", direction="higher"), Measure.COUNT, Reading(), {}, NOT_REPORTED),  # no figure first
        (tgt("at_least", "90", year_end_only=True), Measure.COUNT, Reading(), {}, NOT_DUE),
        (Target(Kind.REFERENCE), Measure.COUNT, Reading(value=D("5")), {}, NOT_APPLICABLE),
        (Target(Kind.REFERENCE), Measure.COUNT, Reading(), {}, NOT_APPLICABLE),
    ],
)
def test_grey_says_why(target, measure, reading, kw, expected):
    result = judgement(target, reading, measure=measure, **kw)
    assert result == Judgement(N, expected)
    assert result.label == expected.label


def test_judgement_label_is_the_status_or_the_grey_reason():
    assert Judgement(R).label == "未达标"
    assert Judgement(Y).label == "预警"
    assert Judgement(N, NO_BUSINESS).label == "本月无此项业务"
    with pytest.raises(ValueError):
        Judgement(N)
    with pytest.raises(ValueError):
        Judgement(R, NOT_DUE)


def test_the_rule_in_words_says_a_miss_is_red():
    assert "未达标" in STATUS_RULE and "不设容差" in STATUS_RULE and "预警" in STATUS_RULE


@pytest.mark.parametrize(
    ("reading", "expected"),
    [(Reading(value=D("5")), N), (Reading(), N)],
)
def test_reference_is_never_judged(reading, expected):
    target = Target(Kind.REFERENCE)
    assert status(target, reading) is expected
    assert not is_judged(target)


@pytest.mark.parametrize("kind", [k for k in Kind if k is not Kind.REFERENCE])
def test_every_other_kind_is_judged(kind):
    assert is_judged(Target(kind))


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
        (tgt("keep", direction="lower"), Measure.RANK, Reading(value=D("4")), "3", None, 12, "1"),
        (tgt("rank", "3"), Measure.RANK, Reading(value=D("5")), None, None, 6, "2"),
        (tgt("rank", "3", year_end_only=True), Measure.RANK, Reading(value=D("5")), None, None, 6, None),
        (Target(Kind.MILESTONE), Measure.MILESTONE, Reading(state=MilestoneState.DONE), None, None, 6, None),
        (Target(Kind.REFERENCE), Measure.COUNT, Reading(value=D("5")), None, None, 6, None),
        (tgt("at_most", "0.5"), Measure.AVERAGE, Reading(), None, None, 6, None),
    ],
)
def test_gap(target, measure, reading, last, other, month, expected):
    result = gap(target, measure, reading, last_year=D(last), other=D(other), period=date(2022, month, 1))
    assert result == D(expected)


def test_plan_format_states_the_rule_in_the_same_words():
    # One text: PLAN_FORMAT.md quotes the rule every metric page shows.
    from pathlib import Path

    plan_format = Path(__file__).resolve().parents[3] / "fixtures" / "PLAN_FORMAT.md"
    assert STATUS_RULE in plan_format.read_text(encoding="utf-8")
