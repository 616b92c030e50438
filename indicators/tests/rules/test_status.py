"""Status of a figure against each kind of target, both sides of every boundary: a miss
is always red, yellow only for a figure that meets its target but is at risk, and grey
always says why."""

from datetime import date
from decimal import Decimal

import pytest

from indicators.rules.milestones import checkpoints_reached, reached_problems
from indicators.rules.status import (
    STATUS_RULE,
    apply_projection,
    comparison_value,
    gap,
    is_due,
    is_judged,
    judge,
)
from indicators.rules.types import (
    Checkpoint,
    Direction,
    GreyReason,
    Judgement,
    Kind,
    Measure,
    MilestoneState,
    PaceProfile,
    Reading,
    Status,
    Target,
)

G, Y, R, N = Status.GREEN, Status.YELLOW, Status.RED, Status.GREY
NOT_REPORTED, NO_BUSINESS, NO_BASELINE, NOT_DUE, NOT_APPLICABLE = (
    GreyReason.NOT_REPORTED,
    GreyReason.NO_BUSINESS,
    GreyReason.NO_BASELINE,
    GreyReason.NOT_DUE,
    GreyReason.NOT_APPLICABLE,
)
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


def status(target, reading, *, measure=Measure.COUNT, period=JUNE, as_of=None, last=None, other=None):
    as_of = as_of or date(period.year, period.month, 28)
    return judge(target, measure, reading, as_of=as_of, period=period, last_year=D(last), other=D(other)).status


def judgement(target, reading, *, measure=Measure.COUNT, period=JUNE, last=None, other=None, **kw):
    as_of = date(period.year, period.month, 28)
    return judge(target, measure, reading, as_of=as_of, period=period, last_year=D(last), other=D(other), **kw)


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
    ("due", "state", "period", "as_of", "expected"),
    [
        (date(2022, 12, 31), "done", date(2022, 6, 1), date(2022, 6, 30), G),
        (date(2022, 12, 31), "done", date(2022, 12, 1), date(2023, 1, 5), G),
        # no checkpoints: on schedule until the due date, whatever the state
        (date(2022, 12, 31), "not_started", date(2022, 6, 1), date(2022, 6, 30), G),
        (date(2022, 12, 31), "in_progress", date(2022, 11, 1), date(2022, 11, 30), G),
        (date(2022, 12, 31), "in_progress", date(2022, 12, 1), date(2022, 12, 31), R),  # on due
        (date(2022, 12, 31), "in_progress", date(2022, 12, 1), date(2022, 12, 20), R),  # due inside the month
        (date(2022, 12, 31), "in_progress", date(2022, 12, 1), date(2023, 1, 10), R),  # after due
        (date(2022, 6, 15), "in_progress", date(2022, 5, 1), date(2022, 5, 31), G),
        (date(2022, 6, 15), "in_progress", date(2022, 5, 1), date(2022, 6, 14), G),  # the day before due
        (date(2022, 6, 15), "in_progress", date(2022, 5, 1), date(2022, 6, 15), R),  # on due
        # a plan with no date: judged at the plan year's end, green while on schedule
        (None, "in_progress", date(2022, 11, 1), date(2022, 11, 30), G),
        (None, "not_started", date(2022, 12, 1), date(2022, 12, 31), R),
        (None, "done", date(2022, 12, 1), date(2022, 12, 31), G),
        (date(2022, 12, 31), None, date(2022, 12, 1), date(2022, 12, 31), N),
    ],
)
def test_milestone(due, state, period, as_of, expected):
    target = Target(Kind.MILESTONE, due=due)
    reading = Reading(state=MilestoneState(state) if state else None)
    assert status(target, reading, measure=Measure.MILESTONE, period=period, as_of=as_of) is expected


CHECKPOINTS = (
    Checkpoint("方案印发", date(2022, 6, 30)),
    Checkpoint("系统上线", date(2022, 9, 30)),
    Checkpoint("全面推行", date(2022, 12, 31)),
)


@pytest.mark.parametrize(
    ("state", "reached", "month", "expected"),
    [
        ("not_started", None, 5, G),  # before the first checkpoint: on schedule
        ("not_started", 0, 5, G),
        ("not_started", None, 6, Y),  # 方案印发 due 06-30 inside June, not reached: missed
        ("in_progress", 0, 6, Y),
        ("in_progress", 1, 6, G),  # first step reached on time: on schedule
        ("in_progress", 1, 8, G),
        ("in_progress", 1, 9, Y),  # 系统上线 missed
        ("in_progress", 2, 9, G),
        ("in_progress", 2, 11, G),
        ("not_started", None, 11, Y),  # nothing reached in November: late, not yet red
        ("in_progress", None, 11, Y),  # reached steps not reported: none reached
        ("in_progress", 3, 12, R),  # the final due date passed without 已完成
        ("in_progress", 2, 12, R),
        ("done", None, 11, G),
        ("done", 0, 12, G),  # done is done, even with a checkpoint missed on the way
    ],
)
def test_milestone_checkpoints(state, reached, month, expected):
    target = Target(Kind.MILESTONE, due=date(2022, 12, 31), checkpoints=CHECKPOINTS)
    reading = Reading(state=MilestoneState(state), reached=reached)
    period = date(2022, month, 1)
    assert status(target, reading, measure=Measure.MILESTONE, period=period) is expected


_ON = {"方案印发": date(2022, 6, 30), "系统上线": date(2022, 9, 30), "全面推行": date(2022, 12, 31)}


@pytest.mark.parametrize(
    ("reached", "expected"),
    [
        ({}, 0),
        ({"方案印发": date(2022, 6, 30)}, 1),  # on its due date is on time
        ({"方案印发": date(2022, 7, 1)}, 0),  # a day late: missed
        ({"方案印发": date(2022, 5, 3), "系统上线": date(2022, 9, 1)}, 2),
        ({"系统上线": date(2022, 9, 1)}, 0),  # a later step does not make up for a missed first one
        ({"方案印发": date(2022, 5, 3), "全面推行": date(2022, 10, 1)}, 1),
        (_ON, 3),
    ],
)
def test_checkpoints_reached_counts_the_run_reached_on_time(reached, expected):
    assert checkpoints_reached(CHECKPOINTS, reached) == expected


@pytest.mark.parametrize(
    ("entered", "month", "expected"),
    [
        # 免申即享 as a unit reports it, month by month, with the dates it entered
        ({}, 5, G),
        ({}, 6, Y),
        ({"方案印发": date(2022, 6, 20)}, 6, G),
        ({"方案印发": date(2022, 7, 5)}, 7, Y),  # reached, but after its date
        ({"方案印发": date(2022, 6, 20)}, 10, Y),  # 系统上线 (09-30) not reached
        ({"方案印发": date(2022, 6, 20), "系统上线": date(2022, 9, 30)}, 10, G),
    ],
)
def test_milestone_judged_by_the_dates_a_unit_entered(entered, month, expected):
    target = Target(Kind.MILESTONE, due=date(2022, 12, 31), checkpoints=CHECKPOINTS)
    reading = Reading(state=MilestoneState.IN_PROGRESS, reached=checkpoints_reached(CHECKPOINTS, entered))
    assert status(target, reading, measure=Measure.MILESTONE, period=date(2022, month, 1)) is expected


TODAY = date(2022, 7, 10)


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        (None, {}),
        ({}, {}),
        ({"方案印发": {"date": "2022-06-20", "note": "衡政办发〔2022〕12号"}}, {}),
        ({"方案印发": {"date": "2022-07-10", "note": "印发"}}, {}),  # today
        ({"方案印发": {"date": "2022-07-11", "note": "印发"}}, {"方案印发": "达到节点的日期不能晚于今天"}),
        ({"方案印发": {"date": "", "note": "印发"}}, {"方案印发": "请填写达到该节点的日期(如 2022-06-20)"}),
        ({"方案印发": {"date": "6月20日", "note": "印发"}}, {"方案印发": "请填写达到该节点的日期(如 2022-06-20)"}),
        ({"方案印发": {"date": "2022-06-20", "note": " "}}, {"方案印发": "请说明达到该节点的依据(文件、系统上线通知等)"}),
        ({"方案印发": {"date": "2022-06-20", "note": "x" * 501}}, {"方案印发": "说明不超过 500 字"}),
        ({"开工": {"date": "2022-06-20", "note": "x"}}, {"开工": "方案中没有“开工”这一节点"}),
        ({"方案印发": "2022-06-20"}, {"方案印发": "节点完成情况格式有误"}),
        (["方案印发"], {"": "节点完成情况格式有误"}),
    ],
)
def test_reached_problems(stored, expected):
    assert reached_problems(stored, ["方案印发", "系统上线"], today=TODAY) == expected


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


def test_target_without_its_number_is_an_error():
    with pytest.raises(ValueError):
        status(Target(Kind.AT_MOST), Reading(value=D("1")))


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
