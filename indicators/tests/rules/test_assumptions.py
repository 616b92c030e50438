"""待核定: a judgement that rests on an assumption the office has not confirmed is grey
with that reason, never red or green; the same target with the assumption confirmed (or
with a figure that does not need it) is judged as before. One line per case."""

from datetime import date
from decimal import Decimal

import pytest

from indicators.rules.assumptions import assumption_value, rests_on_assumption, unconfirmed
from indicators.rules.status import judge
from indicators.rules.types import (
    Checkpoint,
    Direction,
    GreyReason,
    Kind,
    Measure,
    MilestoneState,
    PaceProfile,
    Reading,
    Status,
    Target,
)

G, Y, R, N = Status.GREEN, Status.YELLOW, Status.RED, Status.GREY
PENDING = GreyReason.PENDING_CONFIRMATION
D = Decimal

IMPROVE = dict(kind=Kind.IMPROVE, direction=Direction.HIGHER, baseline=D(50))
RANK3 = dict(kind=Kind.RANK, value=D(3))
MILESTONE = dict(
    kind=Kind.MILESTONE,
    due=date(2022, 12, 31),
    checkpoints=(Checkpoint("方案印发", date(2022, 6, 30)), Checkpoint("系统上线", date(2022, 9, 30))),
)
TECH = dict(kind=Kind.EXCEED, value=D(1000), pace=True, baseline=D(850), tolerance=D(50))
HIGH_TECH = dict(
    kind=Kind.EXCEED, value=D(800), pace=True, baseline=D(680), tolerance=D(40),
    pace_profile=PaceProfile.BATCH, batch_months=(10, 11, 12),
)  # fmt: skip
DOUBLE_RANDOM = dict(kind=Kind.AT_LEAST, value=D(100), pace=True, pace_from=D(0), tolerance=D(5))


def _judge(target_kw, assumed, reading, *, measure=Measure.COUNT, period=date(2022, 12, 1), last_year=None):
    target = Target(**target_kw, assumed=frozenset(assumed))
    as_of = date(period.year, period.month, 28)
    j = judge(target, measure, reading, as_of=as_of, period=period, last_year=last_year)
    return j.status, j.grey_reason


V = lambda x: Reading(value=D(x))  # noqa: E731
STEP = lambda state, reached=None: Reading(state=MilestoneState(state), reached=reached)  # noqa: E731


@pytest.mark.parametrize(
    "target_kw, assumed, reading, kw, expected",
    [
        # 报税后流程指数: improve on the assumed baseline 50 → 待核定, both sides of 50
        (IMPROVE, {"baseline"}, V(60), {"last_year": D(50)}, (N, PENDING)),
        (IMPROVE, {"baseline"}, V(40), {"last_year": D(50)}, (N, PENDING)),
        (IMPROVE, set(), V(60), {"last_year": D(50)}, (G, None)),
        (IMPROVE, set(), V(40), {"last_year": D(50)}, (R, None)),
        # a unit's own last-year figure (the office's data) is no assumption
        (IMPROVE, {"baseline"}, V(40), {"last_year": D(45)}, (R, None)),
        # not reported still says 未报送: the unit's duty comes first
        (IMPROVE, {"baseline"}, Reading(), {"last_year": D(50)}, (N, GreyReason.NOT_REPORTED)),
        # 数字政府 前3: the cut-off is assumed
        (RANK3, {"value"}, V(5), {}, (N, PENDING)),
        (RANK3, {"value"}, V(1), {}, (N, PENDING)),
        (RANK3, {"lead_unit", "reporters"}, V(5), {}, (R, None)),
        # 免申即享: assumed due date and checkpoints
        # (on schedule is green whatever the assumed dates; a miss is 待核定 only when the
        # date it misses is the assumed one)
        (MILESTONE, {"due"}, STEP("in_progress", 2), {"period": date(2022, 7, 1)}, (G, None)),
        (MILESTONE, {"checkpoints"}, STEP("not_started"), {"period": date(2022, 7, 1)}, (N, PENDING)),
        (MILESTONE, {"due"}, STEP("not_started"), {"period": date(2022, 7, 1)}, (Y, None)),  # a confirmed checkpoint missed
        (MILESTONE, {"due"}, STEP("not_started"), {"period": date(2022, 12, 1)}, (N, PENDING)),
        (MILESTONE, {"checkpoints"}, STEP("in_progress", 2), {"period": date(2022, 12, 1)}, (R, None)),  # due: the plan's
        (MILESTONE, {"due"}, STEP("done"), {"period": date(2022, 7, 1)}, (G, None)),  # done is a fact
        (MILESTONE, set(), STEP("not_started"), {"period": date(2022, 7, 1)}, (Y, None)),
        (MILESTONE, set(), STEP("in_progress", 2), {"period": date(2022, 10, 1)}, (G, None)),
        (MILESTONE, set(), STEP("in_progress", 1), {"period": date(2022, 10, 1)}, (Y, None)),
        # a pace starting from the assumed baseline (科技型中小企业 from last year's stock)
        (TECH, {"baseline"}, V(860), {"period": date(2022, 1, 1)}, (N, PENDING)),
        (TECH, set(), V(860), {"period": date(2022, 1, 1)}, (Y, None)),
        # a tolerance band not yet confirmed: 预警 only by it is 待核定; a clear miss or a hit is not
        (TECH, {"tolerance"}, V(850), {"period": date(2022, 1, 1)}, (N, PENDING)),
        (TECH, {"tolerance"}, V(700), {"period": date(2022, 1, 1)}, (R, None)),
        (TECH, {"tolerance"}, V(870), {"period": date(2022, 1, 1)}, (G, None)),
        # 高新技术企业: the batch months are assumed
        (HIGH_TECH, {"batch_months"}, V(800), {"period": date(2022, 11, 1)}, (N, PENDING)),
        (HIGH_TECH, set(), V(770), {"period": date(2022, 11, 1)}, (G, None)),
        # a pace from 0 does not rest on the baseline
        (DOUBLE_RANDOM, {"baseline"}, V(50), {"period": date(2022, 6, 1)}, (G, None)),
        # the whole reading is assumed (知识产权 保持全省先进)
        (dict(kind=Kind.KEEP, direction=Direction.LOWER), {"reading"}, V(3), {"last_year": D(3)}, (N, PENDING)),
        (dict(kind=Kind.KEEP, direction=Direction.LOWER), set(), V(3), {"last_year": D(3)}, (G, None)),
    ],
)
def test_judge_with_assumptions(target_kw, assumed, reading, kw, expected):
    measure = Measure.MILESTONE if target_kw["kind"] == Kind.MILESTONE else Measure.COUNT
    assert _judge(target_kw, assumed, reading, measure=measure, **kw) == expected


def test_the_reason_reads_in_chinese():
    assert PENDING.label == "待核定"
    assert len(PENDING.value) <= 20  # TargetStatus.grey_reason max_length


@pytest.mark.parametrize(
    "pending, confirmed, expected",
    [
        (["baseline", "reporters"], {}, {"baseline"}),  # reporters do not change a judgement
        (["baseline"], {"baseline": "50"}, set()),  # confirmed as it stands
        (["baseline"], {"baseline": "48"}, {"baseline"}),  # the file now says another value
        (["due", "checkpoints"], {"due": "2022-12-31"}, {"checkpoints"}),
        ([], {}, set()),
    ],
)
def test_unconfirmed(pending, confirmed, expected):
    target = Target(kind=Kind.IMPROVE, baseline=D(50), due=date(2022, 12, 31))
    assert unconfirmed(pending, confirmed, lambda f: assumption_value(f, target)) == expected


def test_assumption_values_as_text():
    t = Target(**MILESTONE)
    assert assumption_value("due", t) == "2022-12-31"
    assert assumption_value("checkpoints", t) == "方案印发 2022-06-30;系统上线 2022-09-30"
    assert assumption_value("batch_months", Target(**HIGH_TECH)) == "10月、11月、12月"
    assert assumption_value("reading", t, "理解为…") == "理解为…"


def test_no_assumption_no_grey():
    assert not rests_on_assumption(Target(**IMPROVE), last_year=D(50))
