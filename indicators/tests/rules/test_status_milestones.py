"""Status of a milestone: on schedule until its due date, its checkpoints (missed: a
warning; the final date passed without 已完成: red), the checkpoints a unit reached on
time by the dates it entered, and the problems of those dates as entered."""

from datetime import date

import pytest

from indicators.rules.milestones import checkpoints_reached, reached_problems
from indicators.rules.types import Checkpoint, Kind, Measure, MilestoneState, Reading, Target
from indicators.tests.rules.status_cases import G, N, R, Y, status


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
