"""Test data for 督查督办: orders raised through the service, on targets a unit reports,
led by the standard lead unit (amr) or by another one."""

from __future__ import annotations

from datetime import date

from actions.models import Unit
from indicators.models import Metric
from reports.supervision import services

TODAY = date(2022, 7, 1)
DUE = date(2022, 7, 15)


def metric_led_by(lead: str, unit: str, *, led: bool = True) -> Metric:
    qs = Metric.objects.filter(assignments__unit__code=unit).select_related("indicator")
    qs = qs.filter(indicator__lead_unit__code=lead) if led else qs.exclude(indicator__lead_unit__code=lead)
    return qs.order_by("sort_order").first()


def order_on(office, unit: str, metric: Metric, *, due: date = DUE, today: date = TODAY, level: str = "supervise"):
    return services.order_raise(
        unit=Unit.objects.get(code=unit),
        metric=metric,
        period=date(2022, 6, 1),
        problem=f"{unit} {metric.name} 未达标",
        required="限期整改",
        due=due,
        level=level,
        user=office,
        today=today,
    )
