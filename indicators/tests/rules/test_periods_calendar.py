"""The plan's calendar: reporting starts with the month after the plan's issue, unless the
plan file says another month; earlier months are not expected."""

from datetime import date

import pytest

from indicators.rules.periods import is_reporting_month, reporting_start


@pytest.mark.parametrize(
    "issued, reporting_from, expected",
    [
        (date(2022, 5, 17), None, date(2022, 6, 1)),  # the 2022 plan: June is the first month
        (date(2022, 5, 1), None, date(2022, 6, 1)),
        (date(2022, 12, 20), None, date(2023, 1, 1)),
        (date(2022, 5, 17), date(2022, 1, 1), date(2022, 1, 1)),  # the file says so
        (date(2022, 5, 17), date(2022, 5, 15), date(2022, 5, 1)),
        (None, None, None),
    ],
)
def test_reporting_start(issued, reporting_from, expected):
    assert reporting_start(issued, reporting_from) == expected


@pytest.mark.parametrize(
    "period, expected",
    [(date(2022, 1, 1), False), (date(2022, 5, 1), False), (date(2022, 6, 1), True), (date(2022, 12, 1), True)],
)
def test_months_before_the_start_are_not_expected(period, expected):
    assert is_reporting_month(period, date(2022, 6, 1)) is expected
    assert is_reporting_month(period, None) is True
