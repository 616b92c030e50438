"""The plan's calendar as data: the 2022 plan was issued on 2022-05-17, so reporting
starts with June. January–May are not expected (nobody is 逾期未报 for them, they count
in no completeness, ranking or timeliness); they may be back-filled and are never late.
The plan file may name another first month (`reporting_from`)."""

from datetime import date

import pytest

from actions.models import Plan, Unit
from indicators.models import Metric, ReportingMonth, ReportingStatus
from indicators.planfile.parse import PlanFileError, parse_plan
from indicators.services.workflow import entry_save
from indicators.status.board import expected_units
from indicators.status.read import reporting_rows
from indicators.status.refresh import status_refresh
from indicators.tests.test_plan_readings import PLAN_TEXT

JAN, MAY, JUNE = date(2022, 1, 1), date(2022, 5, 1), date(2022, 6, 1)


def test_months_before_the_plan_are_not_expected(plan_2022):
    assert expected_units(JAN) == [] and expected_units(MAY) == []
    assert len(expected_units(JUNE)) > 30


def test_nobody_is_missing_for_january(plan_2022):
    status_refresh(periods=[JAN], today=date(2022, 12, 31))
    assert reporting_rows(period=JAN, today=date(2022, 12, 31)) == []
    rows = ReportingStatus.objects.filter(period=JAN)
    assert rows.exists() and not rows.filter(expected=True).exists()
    assert not rows.filter(timeliness=ReportingStatus.Timeliness.MISSING).exists()


def test_a_back_filled_january_is_never_late(plan_2022, users, django_capture_on_commit_callbacks):
    ReportingMonth.objects.create(period=JAN, deadline=date(2022, 2, 7), lock_date=date(2099, 1, 1))
    tax = Unit.objects.get(code="tax")
    metric = Metric.objects.get(code="tax_payments")
    with django_capture_on_commit_callbacks(execute=True):
        sub = entry_save(
            unit=tax, period=JAN, user=users["dept_reporter"], version=0, figures={metric.pk: {"value": 6}}, tasks={}, submit=True
        )
    assert not sub.is_late
    row = ReportingStatus.objects.get(period=JAN, unit=tax)
    assert row.timeliness == ReportingStatus.Timeliness.ON_TIME


def test_the_plan_file_may_name_the_first_month(plan_2022):
    spec = parse_plan(PLAN_TEXT.replace("issued: 2022-05-17\n", "issued: 2022-05-17\nreporting_from: 2022-01\n"))
    assert spec.reporting_from == JAN
    assert parse_plan(PLAN_TEXT).reporting_from is None  # default: the month after issue
    Plan.objects.filter(pk=plan_2022.pk).update(reporting_from=JAN)
    assert len(expected_units(JAN)) > 30


@pytest.mark.parametrize("value", ["2021-12", "2022-13", "六月"])
def test_a_wrong_first_month_is_an_error(value):
    with pytest.raises(PlanFileError) as exc:
        parse_plan(PLAN_TEXT.replace("issued: 2022-05-17\n", f"issued: 2022-05-17\nreporting_from: {value}\n"))
    assert "reporting_from" in str(exc.value)
