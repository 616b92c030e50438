"""One vocabulary for a unit's month: the workflow's words plus 逾期报送 / 逾期未报."""

from datetime import date

import pytest

from indicators.models import Submission
from indicators.rules.reporting import ReportState as R
from indicators.rules.reporting import Timeliness as T
from indicators.rules.reporting import on_time_counts, report_state, timeliness

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


@pytest.mark.parametrize(
    ("state", "late", "today", "expected"),
    [
        # a month before the plan's first reported month (the plan's calendar): never 逾期
        (None, False, AFTER, R.NOT_STARTED),
        ("draft", False, AFTER, R.DRAFT),
        ("submitted", True, AFTER, R.SUBMITTED),
        ("approved", True, AFTER, R.APPROVED),
        ("returned", False, AFTER, R.RETURNED),
        (None, False, ON, R.NOT_STARTED),
    ],
)
def test_a_month_the_plan_does_not_expect_is_never_late(state, late, today, expected):
    assert report_state(state, is_late=late, deadline=DEADLINE, today=today, expected_month=False) == expected


def test_the_workflow_states_keep_the_workflow_s_own_words():
    for value, label in Submission.State.choices:
        assert R(value).label == label


def test_only_units_that_still_owe_the_month_are_reminded():
    assert {s for s in R if s.needs_reminder} == {R.NOT_STARTED, R.DRAFT, R.RETURNED, R.MISSING}


# -- on-time reporting: one rule (timeliness, on_time_counts) -----------------------------

BEFORE = date(2022, 6, 30)  # five days before the deadline


@pytest.mark.parametrize(
    ("submitted", "late", "today", "value", "counts"),
    [
        # Before the deadline nobody is scored: not 0/1 for the units still entering,
        # nor 1/1 for the early ones (their peers may still earn it).
        (False, False, BEFORE, T.NOT_DUE_YET, (0, 0)),
        (True, False, BEFORE, T.ON_TIME, (0, 0)),
        # The deadline day itself is still open.
        (False, False, ON, T.NOT_DUE_YET, (0, 0)),
        (True, False, ON, T.ON_TIME, (0, 0)),
        # After it: on time 1/1, late or missing 0/1.
        (True, False, AFTER, T.ON_TIME, (1, 1)),
        (True, True, AFTER, T.LATE, (0, 1)),
        (False, False, AFTER, T.MISSING, (0, 1)),
    ],
)
def test_a_month_counts_for_timeliness_only_after_its_deadline(submitted, late, today, value, counts):
    got = timeliness(submitted=submitted, is_late=late, deadline=DEADLINE, today=today)
    assert got == value
    assert on_time_counts(got, deadline=DEADLINE, today=today) == counts


def test_the_stored_words_are_the_rule_s_words():
    from indicators.models import ReportingStatus

    assert dict(ReportingStatus.Timeliness.choices) == {t.value: t.label for t in T}


@pytest.mark.parametrize(
    ("year_end_only", "month", "asked"),
    [(False, 1, True), (False, 12, True), (True, 1, False), (True, 9, False), (True, 12, True)],
)
def test_a_year_end_only_target_is_asked_for_in_december_only(year_end_only, month, asked):
    from indicators.rules.reporting import is_asked

    assert is_asked(year_end_only=year_end_only, period=date(2022, month, 1)) is asked
