"""The task ledger's rules: a unit's and a deliverable's state on a date, a task's state."""

from datetime import date

import pytest

from indicators.rules.ledger import LedgerState as S
from indicators.rules.ledger import assumed_fields, deliverable_state, evidence_problem, task_state, unit_state

DUE = date(2022, 9, 30)


@pytest.mark.parametrize(
    "reported, due, today, expected",
    [
        (None, DUE, date(2022, 9, 30), S.NOT_STARTED),  # due day itself is still on time
        (None, DUE, date(2022, 10, 1), S.OVERDUE),
        ("not_started", DUE, date(2022, 6, 1), S.NOT_STARTED),
        ("in_progress", DUE, date(2022, 9, 30), S.IN_PROGRESS),
        ("in_progress", DUE, date(2022, 10, 1), S.OVERDUE),
        ("done", DUE, date(2022, 10, 1), S.DONE),  # done late is done
        ("done", DUE, date(2022, 6, 1), S.DONE),
        # no date in the plan: judged at the plan year's end, on schedule before it
        ("in_progress", None, date(2022, 12, 31), S.IN_PROGRESS),
        ("in_progress", None, date(2023, 1, 1), S.OVERDUE),
        (None, None, date(2022, 11, 30), S.NOT_STARTED),
    ],
)
def test_unit_state(reported, due, today, expected):
    assert unit_state(reported=reported, due=due, year=2022, today=today) == expected


@pytest.mark.parametrize(
    "reported, today, expected",
    [
        (["done", "done"], date(2022, 10, 1), S.DONE),
        (["done", "in_progress"], date(2022, 9, 30), S.IN_PROGRESS),
        (["done", "in_progress"], date(2022, 10, 1), S.OVERDUE),  # one unit late makes it late
        (["done", None], date(2022, 10, 1), S.OVERDUE),
        (["not_started", None], date(2022, 9, 1), S.NOT_STARTED),
        (["done", "not_started"], date(2022, 9, 1), S.IN_PROGRESS),
        ([], date(2022, 9, 1), S.NOT_STARTED),
        ([], date(2022, 10, 1), S.OVERDUE),
    ],
)
def test_deliverable_state(reported, today, expected):
    assert deliverable_state(reported=reported, due=DUE, year=2022, today=today) == expected


@pytest.mark.parametrize(
    "reported, due, today, expected",
    [
        # a due date or content that is our assumption (待核定): never 滞后 until confirmed
        (None, DUE, date(2022, 10, 1), S.NOT_STARTED),
        ("in_progress", DUE, date(2022, 10, 1), S.IN_PROGRESS),
        ("in_progress", None, date(2023, 1, 1), S.IN_PROGRESS),
        ("done", DUE, date(2022, 10, 1), S.DONE),  # done is a fact
    ],
)
def test_an_assumed_deliverable_is_never_overdue(reported, due, today, expected):
    assert unit_state(reported=reported, due=due, year=2022, today=today, assumed=True) == expected
    assert deliverable_state(reported=[reported, "done"], due=due, year=2022, today=today, assumed=True) in (
        expected,
        S.IN_PROGRESS,
    )
    assert deliverable_state(reported=[reported], due=due, year=2022, today=today, assumed=True) == expected


@pytest.mark.parametrize(
    "pending, confirmed, expected",
    [
        (["due"], {}, {"due"}),
        (["due"], {"due": "2022-09-30"}, set()),  # confirmed as it stands
        (["due"], {"due": "2022-06-30"}, {"due"}),  # the file now says another date
        (["due", "content"], {"due": "2022-09-30"}, {"content"}),
        (["reporters"], {}, set()),  # not a field of a deliverable
        ([], {}, set()),
    ],
)
def test_assumed_fields(pending, confirmed, expected):
    values = {"due": "2022-09-30", "content": "衡阳市融资信用服务平台建成"}
    assert assumed_fields(pending, confirmed, values.get) == expected


@pytest.mark.parametrize(
    "states, expected",
    [
        ([S.DONE, S.DONE], S.DONE),
        ([S.DONE, S.IN_PROGRESS], S.IN_PROGRESS),
        ([S.DONE, S.NOT_STARTED], S.IN_PROGRESS),
        ([S.DONE, S.OVERDUE], S.OVERDUE),
        ([S.NOT_STARTED, S.OVERDUE], S.OVERDUE),
        ([S.NOT_STARTED, S.NOT_STARTED], S.NOT_STARTED),
        ([], None),
    ],
)
def test_task_state(states, expected):
    assert task_state(states) == expected


@pytest.mark.parametrize(
    "reported, has_evidence, refused",
    [("done", False, True), ("done", True, False), ("in_progress", False, False), ("not_started", False, False)],
)
def test_done_needs_evidence(reported, has_evidence, refused):
    assert (evidence_problem(reported=reported, has_evidence=has_evidence) is not None) == refused


def test_labels_are_chinese():
    assert [s.label for s in S] == ["未启动", "推进中", "已完成", "滞后"]
