"""The pure rules of 督查督办, one case a line, both sides of each boundary."""

from datetime import date

import pytest

from reports.supervision.evidence import clean_name
from reports.supervision.rules import (
    OrderState,
    Proposal,
    Stage,
    Thresholds,
    order_number_text,
    order_state,
    propose_for_order,
    propose_for_red,
    run_length,
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
