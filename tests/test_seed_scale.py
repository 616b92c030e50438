"""`seed_scale`: generated units report like the plan's counties, each year has its own
plan, and last year's figures are found by status_board through the metric's code."""

import io
from datetime import date

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError

from actions.models import Plan, Unit
from indicators.models import Assignment, Figure, Submission
from indicators.selectors import status_board


@pytest.fixture
def seeded(plan_2022):
    call_command("seed_scale", "--units", "25", "--years", "2", "--today", "2023-03-20", stdout=io.StringIO())


def test_it_seeds_a_plausible_multi_year_dataset(seeded):
    """One test for the whole dataset: seeding takes seconds, so it is done once."""
    assert Unit.objects.filter(kind__in=["county", "park"]).count() == 25
    clone = Unit.objects.get(code="s-0001")
    template = Unit.objects.filter(kind=clone.kind).order_by("sort_order", "code").first()
    plan = Plan.objects.get(year=2022)
    codes = lambda unit: set(Assignment.objects.filter(unit=unit, metric__plan=plan).values_list("metric__code", flat=True))  # noqa: E731
    assert codes(clone) == codes(template) != set()
    assert User.objects.filter(username__startswith="scale_r", membership__role="reporter").count() == 3
    assert User.objects.get(username="scale_office").membership.role == "office"

    # Each year has its own plan, and only months whose deadline has passed have figures.
    assert sorted(Plan.objects.values_list("year", flat=True)) == [2022, 2023]
    months = sorted({p for p in Figure.objects.filter(metric__plan__year=2023).values_list("period", flat=True)})
    assert months == [date(2023, 1, 1), date(2023, 2, 1)]  # March's deadline is in April
    assert Figure.objects.filter(metric__plan__year=2022).dates("period", "month").count() == 12
    assert Figure.history.count() >= Figure.objects.count()
    assert Submission.objects.filter(period=date(2023, 2, 1)).exists()

    # status_board finds last year's figures in last year's plan, by metric code.
    board = status_board(plan=Plan.objects.get(year=2023), period=date(2023, 2, 1), today=date(2023, 3, 20))
    last_year = {
        (f.metric.code, f.unit_id): f
        for f in Figure.objects.filter(metric__plan__year=2022, period=date(2022, 2, 1), metric__measure="count").select_related(
            "metric"
        )
    }
    matched = [r for r in board.unit_rows if (r.metric.code, r.unit.pk) in last_year and r.last_year is not None]
    assert matched
    for row in matched:
        assert row.last_year == last_year[(row.metric.code, row.unit.pk)].value


def test_it_refuses_a_database_that_has_data(plan_2022):
    call_command("seed_scale", "--units", "1", "--years", "1", "--today", "2022-02-20", stdout=io.StringIO())
    assert Figure.objects.exists()
    with pytest.raises(CommandError, match="已有数据"):
        call_command("seed_scale", "--size", "city", stdout=io.StringIO())
