"""Months and quarters as users write them and as stored (the first of the month)."""

from datetime import date

import pytest

from indicators.rules.periods import (
    PeriodError,
    add_months,
    collecting_month,
    format_month,
    latest_closed_month,
    months_of_year,
    parse_month,
    parse_quarter,
    quarter_months,
    same_month_last_year,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2022-06", date(2022, 6, 1)),
        ("2022-6", date(2022, 6, 1)),
        (" 2022-12 ", date(2022, 12, 1)),
        ("2022-01", date(2022, 1, 1)),
        ("2000-01", date(2000, 1, 1)),
        ("2100-12", date(2100, 12, 1)),
    ],
)
def test_parse_month(text, expected):
    assert parse_month(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2022-13", "月份“2022-13”不存在"),
        ("2022-00", "月份“2022-00”不存在"),
        ("1999-12", "不存在"),
        ("2101-01", "不存在"),
        ("2022/06", "格式不正确,请写成“年-月”,例如 2022-06"),
        ("202206", "格式不正确"),
        ("2022-06-01", "格式不正确"),
        ("June 2022", "格式不正确"),
        ("2022年6月", "格式不正确"),
        ("", "格式不正确"),
        (None, "格式不正确"),
    ],
)
def test_parse_month_refuses(text, message):
    with pytest.raises(PeriodError, match=message):
        parse_month(text)


def test_period_errors_are_value_errors():
    assert issubclass(PeriodError, ValueError)


@pytest.mark.parametrize(("period", "text"), [(date(2022, 6, 1), "2022-06"), (date(2022, 12, 1), "2022-12")])
def test_format_month_round_trips(period, text):
    assert format_month(period) == text
    assert parse_month(text) == period


@pytest.mark.parametrize(("text", "expected"), [("2022Q1", (2022, 1)), ("2022q4", (2022, 4)), (" 2022 Q2 ", (2022, 2))])
def test_parse_quarter(text, expected):
    assert parse_quarter(text) == expected


@pytest.mark.parametrize("text", ["2022Q0", "2022Q5", "2022-Q1", "Q1", "", None])
def test_parse_quarter_refuses(text):
    with pytest.raises(PeriodError, match="格式不正确"):
        parse_quarter(text)


@pytest.mark.parametrize(
    ("quarter", "months"),
    [(1, [1, 2, 3]), (2, [4, 5, 6]), (3, [7, 8, 9]), (4, [10, 11, 12])],
)
def test_quarter_months(quarter, months):
    assert quarter_months(2022, quarter) == [date(2022, m, 1) for m in months]


@pytest.mark.parametrize(
    ("period", "n", "expected"),
    [
        (date(2022, 6, 1), 1, date(2022, 7, 1)),
        (date(2022, 12, 1), 1, date(2023, 1, 1)),
        (date(2022, 1, 1), -1, date(2021, 12, 1)),
        (date(2022, 6, 1), -18, date(2020, 12, 1)),
        (date(2022, 6, 1), 0, date(2022, 6, 1)),
    ],
)
def test_add_months(period, n, expected):
    assert add_months(period, n) == expected


def test_same_month_last_year():
    assert same_month_last_year(date(2022, 6, 1)) == date(2021, 6, 1)


@pytest.mark.parametrize(
    ("through", "last"),
    [(None, 12), (date(2022, 6, 1), 6), (date(2022, 1, 15), 1), (date(2023, 3, 1), 12), (date(2021, 3, 1), 0)],
)
def test_months_of_year(through, last):
    months = months_of_year(2022, through=through)

    assert months == [date(2022, m, 1) for m in range(1, last + 1)]


def _fifth(period):
    """The default deadline without holidays: the 5th of the next month."""
    return add_months(period, 1).replace(day=5)


@pytest.mark.parametrize(
    ("today", "collecting", "closed"),
    [
        (date(2022, 12, 1), date(2022, 11, 1), date(2022, 10, 1)),
        (date(2022, 12, 5), date(2022, 11, 1), date(2022, 10, 1)),  # November's deadline is today: still open
        (date(2022, 12, 6), date(2022, 12, 1), date(2022, 11, 1)),  # the day after: December is collected
        (date(2022, 12, 31), date(2022, 12, 1), date(2022, 11, 1)),
        (date(2023, 1, 5), date(2022, 12, 1), date(2022, 11, 1)),  # across the year
        (date(2023, 1, 6), date(2023, 1, 1), date(2022, 12, 1)),
    ],
)
def test_the_month_being_collected_and_the_latest_closed_month(today, collecting, closed):
    assert collecting_month(today, _fifth) == collecting
    assert latest_closed_month(today, _fifth) == closed


def test_a_deadline_moved_later_keeps_its_month_open():
    moved = {date(2022, 11, 1): date(2022, 12, 20)}

    def deadline_of(period):
        return moved.get(period) or _fifth(period)

    assert collecting_month(date(2022, 12, 10), deadline_of) == date(2022, 11, 1)
    assert collecting_month(date(2022, 12, 21), deadline_of) == date(2022, 12, 1)
    assert latest_closed_month(date(2022, 12, 10), deadline_of) == date(2022, 10, 1)
    assert latest_closed_month(date(2022, 12, 21), deadline_of) == date(2022, 11, 1)
