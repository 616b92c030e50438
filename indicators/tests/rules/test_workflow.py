"""When a unit-month can be edited, and lateness: one line per case, both sides of each date."""

from datetime import date

import pytest

from indicators.rules.workflow import can_request_correction, edit_block, import_block, is_late

LOCK = date(2022, 7, 15)


@pytest.mark.parametrize(
    ("state", "reopened", "approval", "today", "expect"),
    [
        ("draft", False, False, date(2022, 7, 15), None),
        ("draft", False, False, date(2022, 7, 16), "已过本月锁定日(2022-07-15)"),
        ("returned", False, False, date(2022, 7, 10), None),
        ("returned", False, False, date(2022, 7, 16), "已过本月锁定日"),
        ("returned", True, False, date(2022, 9, 1), None),
        ("submitted", False, False, date(2022, 7, 1), "等待市优化办审核"),
        ("submitted", False, True, date(2022, 7, 1), "等待本单位审核人审核"),
        ("submitted", True, False, date(2022, 9, 1), "等待市优化办审核"),
        ("approved", False, True, date(2022, 7, 1), "等待市优化办采纳"),
        ("accepted", False, False, date(2022, 7, 1), "市优化办已采纳"),
        ("accepted", True, False, date(2022, 9, 1), None),
    ],
)
def test_edit_block(state, reopened, approval, today, expect):
    reason = edit_block(state=state, reopened=reopened, needs_approval=approval, today=today, lock_date=LOCK)
    if expect is None:
        assert reason is None
    else:
        assert expect in reason


@pytest.mark.parametrize(("day", "late"), [(date(2022, 7, 4), False), (date(2022, 7, 5), False), (date(2022, 7, 6), True)])
def test_is_late(day, late):
    assert is_late(submitted_on=day, deadline=date(2022, 7, 5)) is late


@pytest.mark.parametrize(
    ("state", "reopened", "today", "allowed"),
    [
        ("draft", False, date(2022, 7, 15), False),
        ("draft", False, date(2022, 7, 16), True),
        ("accepted", False, date(2022, 7, 1), True),
        ("accepted", True, date(2022, 7, 1), False),
        ("submitted", False, date(2022, 8, 1), False),
    ],
)
def test_can_request_correction(state, reopened, today, allowed):
    assert can_request_correction(state=state, reopened=reopened, today=today, lock_date=LOCK) is allowed


@pytest.mark.parametrize(
    ("state", "reopened", "has_figures", "today", "blocked"),
    [
        ("draft", False, False, date(2022, 7, 10), None),
        ("draft", False, True, date(2022, 7, 15), None),  # the lock day itself is still open
        ("draft", False, True, date(2022, 7, 16), "已过锁定日(2022-07-15)且已有数据"),
        ("draft", False, False, date(2022, 7, 16), None),  # nobody reported: back-filling is fine
        ("returned", False, False, date(2022, 7, 16), "已过锁定日(2022-07-15)且已有数据"),
        ("returned", True, True, date(2022, 7, 16), None),  # reopened by an approved correction
        ("submitted", False, True, date(2022, 7, 1), "已提交,正在审核"),
        ("approved", False, True, date(2022, 7, 1), "已提交,正在审核"),
        ("accepted", False, True, date(2022, 7, 1), "已被市优化办采纳"),
    ],
)
def test_import_block(state, reopened, has_figures, today, blocked):
    assert import_block(state=state, reopened=reopened, has_figures=has_figures, today=today, lock_date=LOCK) == blocked
