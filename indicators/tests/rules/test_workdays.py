"""Working days on China's official calendar, around the 2022 holidays and 调休 days."""

from datetime import date

import pytest

from indicators.rules.workdays import (
    add_working_days,
    default_deadline,
    default_lock_date,
    is_working_day,
    month_end,
    next_working_day_on_or_after,
    working_days_between,
)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2022, 9, 30), True),  # Friday before National Day
        (date(2022, 10, 1), False),
        (date(2022, 10, 3), False),  # a Monday, but a holiday
        (date(2022, 10, 7), False),
        (date(2022, 10, 8), True),  # Saturday, 调休 make-up day
        (date(2022, 10, 9), True),  # Sunday, 调休 make-up day
        (date(2022, 10, 10), True),
        (date(2022, 1, 28), True),
        (date(2022, 1, 29), True),  # Saturday, make-up day before Spring Festival
        (date(2022, 1, 30), True),  # Sunday, make-up day
        (date(2022, 1, 31), False),  # 除夕 holiday, a Monday
        (date(2022, 2, 6), False),
        (date(2022, 2, 7), True),
        (date(2022, 6, 10), True),  # an ordinary Friday
        (date(2022, 6, 11), False),  # an ordinary Saturday
        (date(2099, 1, 1), True),  # unknown year: Monday–Friday only (a Thursday)
        (date(2099, 1, 3), False),  # unknown year, a Saturday
    ],
)
def test_is_working_day(day, working):
    assert is_working_day(day) is working


@pytest.mark.parametrize(
    ("start", "end", "count"),
    [
        (date(2022, 9, 30), date(2022, 10, 7), 0),
        (date(2022, 9, 30), date(2022, 10, 8), 1),
        (date(2022, 9, 30), date(2022, 10, 10), 3),
        (date(2022, 10, 8), date(2022, 10, 10), 2),
        (date(2022, 1, 28), date(2022, 1, 30), 2),
        (date(2022, 1, 30), date(2022, 2, 7), 1),
        (date(2022, 6, 6), date(2022, 6, 6), 0),
        (date(2022, 6, 8), date(2022, 6, 6), 0),
        (date(2022, 6, 6), date(2022, 6, 13), 5),
    ],
)
def test_working_days_between(start, end, count):
    assert working_days_between(start, end) == count


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2022, 9, 30), 0, date(2022, 9, 30)),
        (date(2022, 9, 30), 1, date(2022, 10, 8)),
        (date(2022, 9, 30), 3, date(2022, 10, 10)),
        (date(2022, 10, 8), -1, date(2022, 9, 30)),
        (date(2022, 10, 10), -2, date(2022, 10, 8)),
        (date(2022, 1, 28), 1, date(2022, 1, 29)),
        (date(2022, 1, 30), 1, date(2022, 2, 7)),
        (date(2022, 10, 1), 1, date(2022, 10, 8)),  # from a holiday
    ],
)
def test_add_working_days(start, n, expected):
    assert add_working_days(start, n) == expected
    if n > 0:
        assert working_days_between(start, expected) == n


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2022, 9, 30), date(2022, 9, 30)),
        (date(2022, 10, 1), date(2022, 10, 8)),
        (date(2022, 10, 8), date(2022, 10, 8)),
        (date(2022, 1, 31), date(2022, 2, 7)),
        (date(2022, 6, 11), date(2022, 6, 13)),
    ],
)
def test_next_working_day_on_or_after(day, expected):
    assert next_working_day_on_or_after(day) == expected


@pytest.mark.parametrize(
    ("period", "deadline"),
    [
        (date(2022, 9, 1), date(2022, 10, 8)),  # Oct 5 is National Day; Oct 8 a make-up Saturday
        (date(2022, 1, 1), date(2022, 2, 7)),  # Feb 5 falls in Spring Festival
        (date(2022, 3, 1), date(2022, 4, 6)),  # Apr 5 is 清明
        (date(2022, 5, 1), date(2022, 6, 6)),  # Jun 5 is a Sunday after 端午
        (date(2022, 6, 1), date(2022, 7, 5)),  # an ordinary Tuesday
        (date(2022, 12, 1), date(2023, 1, 5)),  # across the year
    ],
)
def test_default_deadline(period, deadline):
    assert default_deadline(period) == deadline


@pytest.mark.parametrize(
    ("period", "lock"),
    [
        (date(2022, 9, 1), date(2022, 10, 17)),  # Oct 15 is a Saturday
        (date(2022, 6, 1), date(2022, 7, 15)),  # a Friday
        (date(2022, 12, 1), date(2023, 1, 16)),  # Jan 15 2023 is a Sunday
    ],
)
def test_default_lock_date(period, lock):
    assert default_lock_date(period) == lock


@pytest.mark.parametrize(
    ("period", "end"),
    [
        (date(2022, 2, 1), date(2022, 2, 28)),
        (date(2024, 2, 1), date(2024, 2, 29)),
        (date(2022, 9, 1), date(2022, 9, 30)),
        (date(2022, 12, 1), date(2022, 12, 31)),
        (date(2022, 12, 17), date(2022, 12, 31)),
    ],
)
def test_month_end(period, end):
    assert month_end(period) == end
