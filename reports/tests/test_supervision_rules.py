"""The pure rules of 督查督办, one case a line, both sides of each boundary."""

from datetime import date
from decimal import Decimal

import pytest

from actions.evidence import clean_name
from reports.supervision.rules import (
    OrderState,
    Proposal,
    Stage,
    Thresholds,
    level_as_of,
    order_number_text,
    order_state,
    overdue_between,
    overdue_deduction,
    propose_for_order,
    propose_for_red,
    run_length,
    stage_as_of,
    state_as_of,
)

DUE = date(2022, 7, 15)


@pytest.mark.parametrize(
    ("stage", "today", "state"),
    [
        (Stage.OPEN, date(2022, 7, 14), OrderState.PENDING),
        (Stage.OPEN, DUE, OrderState.PENDING),  # the due day itself is still in time
        (Stage.OPEN, date(2022, 7, 16), OrderState.OVERDUE),
        (Stage.RETURNED, DUE, OrderState.RETURNED),
        (Stage.RETURNED, date(2022, 7, 16), OrderState.OVERDUE),
        (Stage.APPROVING, DUE, OrderState.PENDING),  # the unit's approver has not signed yet
        (Stage.APPROVING, date(2022, 7, 16), OrderState.OVERDUE),
        (Stage.REVIEWING, date(2022, 7, 16), OrderState.ANSWERED),  # answered in time: never overdue
        (Stage.ANSWERED, date(2022, 9, 1), OrderState.ANSWERED),
        (Stage.CLOSED, date(2022, 9, 1), OrderState.CLOSED),
        ("closed", date(2022, 7, 1), OrderState.CLOSED),
    ],
)
def test_order_state(stage, today, state):
    assert order_state(stage, DUE, today) == state


@pytest.mark.parametrize(
    ("statuses", "n"),
    [
        ([], 0),
        (["red"], 1),
        (["red", "red", "green", "red"], 2),
        (["green", "red", "red"], 0),
        (["red", None, "red"], 1),  # a month without a status ends the run
        (["red", "red", "red"], 3),
    ],
)
def test_run_length(statuses, n):
    assert run_length(statuses, "red") == n


T = Thresholds(red_supervise=2, red_listed=3, overdue_interview=True, green_close=3)


@pytest.mark.parametrize(
    ("months", "proposal"),
    [(0, None), (1, None), (2, Proposal.SUPERVISE), (3, Proposal.LISTED), (7, Proposal.LISTED)],
)
def test_red_runs_propose(months, proposal):
    assert propose_for_red(months, T) == proposal


def test_thresholds_are_the_offices():
    assert propose_for_red(2, Thresholds(red_supervise=3, red_listed=4)) is None
    assert propose_for_red(4, Thresholds(red_supervise=3, red_listed=4)) == Proposal.LISTED
    assert propose_for_red(5, Thresholds(red_supervise=0, red_listed=0)) is None  # 0: the rule is off


@pytest.mark.parametrize(
    ("stage", "today", "green", "t", "proposal"),
    [
        (Stage.OPEN, date(2022, 7, 16), 0, T, Proposal.INTERVIEW),
        (Stage.OPEN, DUE, 0, T, None),
        (Stage.OPEN, date(2022, 7, 16), 0, Thresholds(overdue_interview=False), None),
        (Stage.ANSWERED, DUE, 2, T, None),
        (Stage.ANSWERED, DUE, 3, T, Proposal.CLOSE),
        (Stage.CLOSED, date(2022, 9, 1), 5, T, None),
    ],
)
def test_orders_propose(stage, today, green, t, proposal):
    assert propose_for_order(stage=stage, due=DUE, today=today, green_months=green, t=t) == proposal


def test_the_number_reads_as_a_document_number():
    assert order_number_text(2022, 7) == "衡优化督〔2022〕7号"


@pytest.mark.parametrize(
    ("name", "ext", "cleaned"),
    [
        ("整改报告.pdf", "pdf", "整改报告.pdf"),
        ("../../etc/passwd", "pdf", "passwd.pdf"),
        ("C:\\Users\\a\\照片.JPG", "jpg", "照片.jpg"),
        ("报告.pdf.exe", "docx", "报告.pdf.docx"),  # the type found in the content wins
        ("\x00\x1f.", "png", "附件.png"),
        ("a" * 200 + ".pdf", "pdf", "a" * 80 + ".pdf"),
    ],
)
def test_a_file_name_is_only_a_label(name, ext, cleaned):
    assert clean_name(name, ext) == cleaned


# -- an order's state on a past day, from its history (documents rebuilt later agree) --
RAISED_ON, ANSWERED_ON, CLOSED_ON = date(2022, 7, 1), date(2022, 7, 20), date(2022, 8, 3)
HISTORY = [(RAISED_ON, "open"), (ANSWERED_ON, "reviewing"), (date(2022, 7, 25), "answered"), (CLOSED_ON, "closed")]
RETURNED = [(RAISED_ON, "open"), (date(2022, 7, 10), "answered"), (date(2022, 7, 12), ""), (date(2022, 7, 14), "returned")]


@pytest.mark.parametrize(
    ("history", "day", "stage", "state"),
    [
        (HISTORY, date(2022, 6, 30), None, None),  # not raised yet
        (HISTORY, RAISED_ON, Stage.OPEN, OrderState.PENDING),
        (HISTORY, DUE, Stage.OPEN, OrderState.PENDING),
        (HISTORY, date(2022, 7, 16), Stage.OPEN, OrderState.OVERDUE),
        (HISTORY, date(2022, 7, 19), Stage.OPEN, OrderState.OVERDUE),
        (HISTORY, ANSWERED_ON, Stage.REVIEWING, OrderState.ANSWERED),  # the step counts on its own day
        (HISTORY, date(2022, 8, 2), Stage.ANSWERED, OrderState.ANSWERED),
        (HISTORY, CLOSED_ON, Stage.CLOSED, OrderState.CLOSED),
        (HISTORY, date(2030, 1, 1), Stage.CLOSED, OrderState.CLOSED),
        (RETURNED, date(2022, 7, 13), Stage.ANSWERED, OrderState.ANSWERED),  # a reminder moves nothing
        (RETURNED, DUE, Stage.RETURNED, OrderState.RETURNED),
        (RETURNED, date(2022, 7, 16), Stage.RETURNED, OrderState.OVERDUE),
        ([], date(2022, 7, 16), None, None),
    ],
)
def test_stage_and_state_as_of_a_day(history, day, stage, state):
    assert stage_as_of(history, day) == stage
    assert state_as_of(history, DUE, day) == state


@pytest.mark.parametrize(
    ("history", "start", "end", "overdue"),
    [
        (HISTORY, date(2022, 7, 1), DUE, False),  # the span ends on the due day
        (HISTORY, date(2022, 7, 1), date(2022, 7, 16), True),  # first overdue day
        (HISTORY, date(2022, 7, 1), date(2022, 9, 30), True),
        (HISTORY, date(2022, 7, 20), date(2022, 9, 30), True),  # answered on a day already overdue
        (HISTORY, date(2022, 7, 21), date(2022, 9, 30), False),  # answered by then
        (HISTORY, date(2022, 4, 1), date(2022, 6, 30), False),  # before it was raised
        ([(RAISED_ON, "open"), (date(2022, 7, 15), "answered")], date(2022, 7, 1), date(2022, 9, 30), False),  # in time
        ([(RAISED_ON, "open"), (date(2022, 7, 10), "returned")], date(2022, 10, 1), date(2022, 12, 31), True),  # still owed
        ([(RAISED_ON, "open"), (date(2022, 7, 10), "approving")], date(2022, 7, 1), date(2022, 7, 16), True),  # approver late
    ],
)
def test_overdue_between(history, start, end, overdue):
    assert overdue_between(history, DUE, start, end) is overdue


@pytest.mark.parametrize(
    ("overdue", "points", "confirmed", "deduction"),
    [
        (2, Decimal("0.5"), True, Decimal("1.0")),
        (1, Decimal("2"), True, Decimal("2")),
        (0, Decimal("0.5"), True, Decimal(0)),
        (2, Decimal("0.5"), False, Decimal(0)),  # 待核定: costs nothing yet
        (2, None, True, Decimal(0)),  # the office decided overdue orders cost nothing
        (3, Decimal(0), True, Decimal(0)),
    ],
)
def test_overdue_deduction(overdue, points, confirmed, deduction):
    assert overdue_deduction(overdue, points, confirmed) == deduction


ESCALATED = [(date(2022, 12, 20), "supervise", "listed")]


@pytest.mark.parametrize(
    ("current", "changes", "day", "level"),
    [
        ("supervise", [], date(2022, 12, 31), "supervise"),  # never changed
        ("listed", ESCALATED, date(2022, 12, 19), "supervise"),  # escalated after the day
        ("listed", ESCALATED, date(2022, 12, 20), "listed"),  # on the day itself: already 挂牌
        ("listed", ESCALATED, date(2023, 1, 6), "listed"),
        # 挂牌 on the 20th, back to 督办 on 10 January: each day reads its own level
        ("supervise", [*ESCALATED, (date(2023, 1, 10), "listed", "supervise")], date(2022, 12, 31), "listed"),
        ("supervise", [*ESCALATED, (date(2023, 1, 10), "listed", "supervise")], date(2022, 12, 1), "supervise"),
    ],
)
def test_level_as_of_a_day(current, changes, day, level):
    assert level_as_of(current, changes, day) == level
