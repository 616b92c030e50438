"""The database itself refuses impossible data, whatever path writes it (admin, a
service, a shell, a bulk update): constraints are the last line of defence."""

from datetime import date

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from actions.models import Membership, Unit
from indicators.models import Figure, Metric, ReportingMonth


def unit(code="qidong"):
    return Unit.objects.get(code=code)


def metric(code):
    return Metric.objects.get(code=code)


def figure(**kw):
    values = {"unit": unit(), "metric": metric("business_start_days"), "period": date(2022, 6, 1), "value": 1, "cases": 3}
    return Figure.objects.create(**{**values, **kw})


def refused(write):
    with pytest.raises(IntegrityError), transaction.atomic():
        write()


def test_one_figure_per_unit_metric_and_month(plan_2022):
    figure()

    refused(figure)
    figure(period=date(2022, 7, 1))  # another month is fine
    figure(unit=unit("hengnan"))  # another unit is fine
    assert Figure.objects.count() == 3


@pytest.mark.parametrize(
    ("case", "write"),
    [
        ("figure period not the first day", lambda: figure(period=date(2022, 6, 15))),
        ("denominator 0", lambda: figure(metric=metric("online_service_rate"), numerator=0, denominator=0)),
        ("negative denominator", lambda: figure(metric=metric("online_service_rate"), numerator=1, denominator=-5)),
        (
            "range low above high",
            lambda: Metric.objects.filter(code="trade_compliance_cost").update(kind="range", low=300, high=280),
        ),
        (
            "range without high",
            lambda: Metric.objects.filter(code="trade_compliance_cost").update(kind="range", low=220, high=None),
        ),
        ("at_most without value", lambda: Metric.objects.filter(code="business_start_days").update(value=None)),
        ("relative_to without metric", lambda: Metric.objects.filter(code="small_loan_growth").update(relative_metric=None)),
        ("change without direction", lambda: Metric.objects.filter(code="outage_hours").update(direction="")),
        ("milestone without due", lambda: Metric.objects.filter(code="power_160kva").update(due=None)),
        ("negative tolerance", lambda: Metric.objects.filter(code="business_start_days").update(tolerance=-1)),
        ("count without aggregate", lambda: Metric.objects.filter(code="tax_payments").update(aggregate="")),
        (
            "lock date before deadline",
            lambda: ReportingMonth.objects.create(
                period=date(2022, 6, 1), deadline=date(2022, 7, 10), lock_date=date(2022, 7, 5)
            ),
        ),
        (
            "reporting month not the first day",
            lambda: ReportingMonth.objects.create(
                period=date(2022, 6, 2), deadline=date(2022, 7, 10), lock_date=date(2022, 7, 15)
            ),
        ),
        (
            "reporter without unit",
            lambda: Membership.objects.create(user=User.objects.create(username="x"), role=Membership.Role.REPORTER),
        ),
        (
            "unit active until before from",
            lambda: Unit.objects.filter(code="qidong").update(active_from=date(2022, 6, 1), active_until=date(2022, 1, 1)),
        ),
    ],
)
def test_impossible_rows_are_refused_by_the_database(plan_2022, case, write):
    refused(write)


def test_full_clean_explains_in_chinese(plan_2022):
    m = metric("trade_compliance_cost")
    m.kind, m.low, m.high = "range", 300, 280

    with pytest.raises(ValidationError) as exc:
        m.full_clean()

    assert "区间目标须填写下限和上限,且下限不大于上限。" in str(exc.value)


def test_full_clean_names_a_duplicate_figure(plan_2022):
    figure()
    duplicate = Figure(unit=unit(), metric=metric("business_start_days"), period=date(2022, 6, 1), value=2, cases=1)

    with pytest.raises(ValidationError) as exc:
        duplicate.full_clean()

    assert "已经存在" in str(exc.value)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "changes", "field"),
    [
        ("business_start_days", {"tolerance": 1}, "tolerance"),  # a miss is red: no band without a pace
        ("high_tech_enterprises", {"batch_months": [13]}, "batch_months"),
        ("high_tech_enterprises", {"batch_months": []}, "batch_months"),
        ("no_application_policies", {"checkpoints": [{"name": "方案印发"}]}, "checkpoints"),
        ("no_application_policies", {"checkpoints": [{"name": "方案印发", "due": "2022-06-31"}]}, "checkpoints"),
        ("business_start_days", {"checkpoints": [{"name": "方案印发", "due": "2022-06-30"}]}, "checkpoints"),
    ],
)
def test_office_edits_of_how_a_target_is_judged_are_checked(plan_2022, code, changes, field):
    from django.core.exceptions import ValidationError

    from indicators.models import Metric

    metric = Metric.objects.get(code=code)
    for name, value in changes.items():
        setattr(metric, name, value)
    with pytest.raises(ValidationError) as exc:
        metric.full_clean()
    assert field in exc.value.message_dict
