"""`refresh_status` rebuilds the stored rows of a month (with a progress bar), or with
--stale only the months whose judging data or rules changed; a bad month is refused in
Chinese. The daily job judges the running month by the new day."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from actions.models import Unit
from indicators.models import Figure, Metric, StatusMonth
from indicators.rules.types import Status
from indicators.selectors import status_board
from indicators.status.board import board_compute
from indicators.status.refresh import status_refresh, status_refresh_open
from indicators.tests.status_store_data import JUNE, board_tuples, stored


def test_refresh_status_rebuilds_a_month_with_a_progress_bar(plan_2022):
    Figure.objects.create(unit=Unit.objects.get(code="tax"), metric=Metric.objects.get(code="tax_payments"), period=JUNE, value=5)
    out = StringIO()

    call_command("refresh_status", "--period", "2022-06", stdout=out)

    assert "[##############################] 1/1 2022-06" in out.getvalue()
    assert stored("tax_payments", "tax").status == Status.GREEN


def test_refresh_status_stale_rebuilds_only_the_months_not_current(plan_2022):
    may = date(2022, 5, 1)
    for period in (may, JUNE):
        Figure.objects.create(
            unit=Unit.objects.get(code="tax"), metric=Metric.objects.get(code="tax_payments"), period=period, value=5
        )
    status_refresh(periods=[may, JUNE])
    StatusMonth.objects.filter(period=JUNE).update(as_of=None)  # as a migration that adds stored columns leaves it
    out = StringIO()

    call_command("refresh_status", "--stale", stdout=out)

    assert "1/1 2022-06" in out.getvalue() and "已重新计算 1 个月" in out.getvalue()
    assert StatusMonth.objects.get(period=JUNE).as_of == date(2022, 6, 30)


@pytest.mark.parametrize(
    "edit",
    [
        {"value": 4},  # a threshold (纳税次数 ≤5 → ≤4), as the shell or a data migration writes it
        {"kind": Metric.Kind.EXCEED},  # the comparison (≤5 → >5)
        {"tolerance": 2},  # a judging field of the metric
    ],
    ids=["threshold", "comparison", "tolerance"],
)
def test_refresh_status_stale_sees_a_changed_rule(plan_2022, edit):
    """A rule changed without the services that refresh on commit: --stale finds the
    plan's months by the fingerprint of its judging data, and only then."""
    for period in (date(2022, 5, 1), JUNE):
        Figure.objects.create(
            unit=Unit.objects.get(code="tax"), metric=Metric.objects.get(code="tax_payments"), period=period, value=5
        )
    status_refresh(periods=[date(2022, 5, 1), JUNE])
    out = StringIO()
    call_command("refresh_status", "--stale", stdout=out)
    assert "已重新计算 0 个月" in out.getvalue()

    Metric.objects.filter(code="tax_payments").update(**edit)
    out = StringIO()
    call_command("refresh_status", "--stale", stdout=out)

    assert "已重新计算 2 个月" in out.getvalue()
    board = status_board(plan=plan_2022, period=JUNE)
    assert board.computed_at is not None  # the stored rows, refreshed
    fresh = board_compute(plan_2022, JUNE, date(2022, 6, 30))
    assert board_tuples(board) == board_tuples(fresh)
    if "value" in edit or "kind" in edit:
        assert stored("tax_payments", "tax").status == Status.RED


def test_refresh_status_stale_sees_a_new_release_of_the_rules(plan_2022, monkeypatch):
    """An upgrade that changes how a month is judged (the code of a rule, not the plan's
    data) leaves the stored months stale: the start's --stale judges them again."""
    Figure.objects.create(unit=Unit.objects.get(code="tax"), metric=Metric.objects.get(code="tax_payments"), period=JUNE, value=5)
    status_refresh(periods=[JUNE])
    out = StringIO()
    call_command("refresh_status", "--stale", stdout=out)
    assert "已重新计算 0 个月" in out.getvalue()

    monkeypatch.setattr("indicators.status.compute.RULES_CODE", "the next release")
    out = StringIO()
    call_command("refresh_status", "--stale", stdout=out)

    assert "已重新计算 1 个月" in out.getvalue()


def test_refresh_status_refuses_a_bad_month_in_chinese(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="月份"):
        call_command("refresh_status", "--period", "2022-13", stdout=StringIO())


def test_the_daily_job_judges_the_running_month_by_the_new_day(plan_2022):
    status_refresh(periods=[JUNE], today=date(2022, 6, 10))
    assert StatusMonth.objects.get(period=JUNE).as_of == date(2022, 6, 10)

    refreshed = status_refresh_open(today=date(2022, 6, 11))

    assert refreshed == [date(2022, 5, 1), JUNE]
    assert StatusMonth.objects.get(period=JUNE).as_of == date(2022, 6, 11)


def test_the_daily_job_is_declared_for_the_scheduler():
    from reports.schedules import SCHEDULES

    assert any(s.task == "indicators.tasks.status_refresh_open_task" and s.hour == "0" for s in SCHEDULES)
