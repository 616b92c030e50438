"""The task ledger's database rules: one report per deliverable, unit and month, a month
is its first day, and a deliverable's code is unique within its plan."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from actions.models import Unit
from indicators.ledger.models import Deliverable, DeliverableReport


def test_one_report_per_deliverable_unit_and_month(plan_2022):
    d, unit = Deliverable.objects.first(), Unit.objects.get(code="court")
    DeliverableReport.objects.create(deliverable=d, unit=unit, period=date(2022, 9, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        DeliverableReport.objects.create(deliverable=d, unit=unit, period=date(2022, 9, 1), state="done")


def test_a_month_is_its_first_day(plan_2022):
    with pytest.raises(IntegrityError), transaction.atomic():
        DeliverableReport.objects.create(
            deliverable=Deliverable.objects.first(), unit=Unit.objects.get(code="court"), period=date(2022, 9, 2)
        )


def test_a_code_is_unique_in_its_plan(plan_2022):
    d = Deliverable.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Deliverable.objects.create(plan=d.plan, task=d.task, code=d.code, name="重复", lead_unit=d.lead_unit, source="……")


def test_the_states_a_unit_may_report_are_the_rules(plan_2022):
    from indicators.rules.ledger import Reported

    assert [c for c, _ in DeliverableReport.State.choices] == [r.value for r in Reported]
    assert [label for _, label in DeliverableReport.State.choices] == ["未启动", "推进中", "已完成"]
