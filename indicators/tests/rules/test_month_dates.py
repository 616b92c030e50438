"""A month's deadline and lock date: after the month, lock ≥ deadline, a sensible year."""

from datetime import date

import pytest

from indicators.rules.month_dates import month_dates_problems

JUNE = date(2022, 6, 1)


@pytest.mark.parametrize(
    ("deadline", "lock", "fields", "words"),
    [
        (date(2022, 7, 6), date(2022, 7, 15), set(), ""),
        (date(2022, 7, 1), date(2022, 7, 1), set(), ""),  # first day after the month; lock = deadline
        (date(2022, 6, 30), date(2022, 7, 15), {"deadline"}, "结束之后"),  # inside the month
        (date(1900, 1, 5), date(1900, 1, 15), {"deadline", "lock_date"}, "不早于 2022-07-01"),
        (date(2022, 7, 10), date(2022, 7, 9), {"lock_date"}, "不能早于"),
        (date(2022, 7, 10), date(2022, 7, 10), set(), ""),
        (date(2032, 12, 31), date(2032, 12, 31), set(), ""),  # ten years on: still accepted
        (date(2022, 7, 6), date(2033, 1, 1), {"lock_date"}, "年份不合理"),
        (date(9999, 7, 6), date(9999, 7, 6), {"deadline", "lock_date"}, "年份不合理"),
        (None, date(2022, 7, 15), set(), ""),  # a missing date is the form's "required" message
    ],
)
def test_month_dates(deadline, lock, fields, words):
    problems = month_dates_problems(period=JUNE, deadline=deadline, lock_date=lock)
    assert set(problems) == fields
    assert all(words in m for m in problems.values())


@pytest.mark.parametrize(
    ("period", "words"),
    [(date(1900, 1, 1), "2000 年至 2100 年"), (date(2101, 1, 1), "2000 年至 2100 年"), (date(2022, 6, 15), "该月1日")],
)
def test_the_month_itself(period, words):
    problems = month_dates_problems(period=period, deadline=date(2022, 7, 6), lock_date=date(2022, 7, 15))
    assert set(problems) == {"period"} and words in problems["period"]
