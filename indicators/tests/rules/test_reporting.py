"""One vocabulary for a unit's month: the workflow's words plus 逾期报送 / 逾期未报."""

from datetime import date

import pytest

from indicators.models import Submission
from indicators.rules.reporting import ReportState as R
from indicators.rules.reporting import report_state

DEADLINE = date(2022, 7, 5)
ON, AFTER = date(2022, 7, 5), date(2022, 7, 6)


@pytest.mark.parametrize(
    ("state", "late", "today", "expected", "label"),
    [
        (None, False, ON, R.NOT_STARTED, "未报送"),
        (None, False, AFTER, R.MISSING, "逾期未报"),
        ("draft", False, ON, R.DRAFT, "草稿"),
        ("draft", False, AFTER, R.MISSING, "逾期未报"),
        ("submitted", False, AFTER, R.SUBMITTED, "已提交"),
        ("submitted", True, AFTER, R.LATE, "逾期报送"),
        ("approved", False, AFTER, R.APPROVED, "单位已审核"),
        ("approved", True, AFTER, R.LATE, "逾期报送"),
        ("accepted", True, AFTER, R.ACCEPTED, "已采纳"),
        ("returned", False, ON, R.RETURNED, "已退回"),
        ("returned", False, AFTER, R.RETURNED, "已退回"),
    ],
)
def test_report_state(state, late, today, expected, label):
    got = report_state(state, is_late=late, deadline=DEADLINE, today=today)
    assert got == expected and got.label == label


def test_the_workflow_states_keep_the_workflow_s_own_words():
    for value, label in Submission.State.choices:
        assert R(value).label == label


def test_only_units_that_still_owe_the_month_are_reminded():
    assert {s for s in R if s.needs_reminder} == {R.NOT_STARTED, R.DRAFT, R.RETURNED, R.MISSING}
