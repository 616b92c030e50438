"""A figure's full history: who, when, old value, new value, and why."""

from datetime import date

from django.urls import reverse

from actions.models import Unit
from indicators.models import ReportingMonth
from indicators.services.workflow import entry_save


def test_every_change_is_listed_with_who_old_new_and_reason(client, users):
    ReportingMonth.objects.create(period=date(2022, 6, 1), deadline=date(2099, 1, 5), lock_date=date(2099, 1, 15))
    unit = Unit.objects.get(code="hengnan")
    from indicators.models import Metric

    m = Metric.objects.get(code="business_start_days")
    v1 = {"value": 1, "cases": 3, "numerator": None, "denominator": None, "state": "", "explanation": "", "measures": ""}
    sub = entry_save(unit=unit, period=date(2022, 6, 1), user=users["reporter"], version=0, figures={m.pk: v1}, tasks={})
    v2 = v1 | {"value": 0.4, "cases": 5}
    entry_save(unit=unit, period=date(2022, 6, 1), user=users["reporter"], version=sub.version, figures={m.pk: v2}, tasks={})
    figure = m.figures.get()

    client.force_login(users["office"])
    response = client.get(reverse("indicators:figure-history", args=[figure.pk]))

    entries = response.context["entries"]
    assert [(e["old"], e["new"], e["who"]) for e in entries] == [
        ("1(3 件)", "0.4(5 件)", "hengnan_reporter"),
        ("—", "1(3 件)", "hengnan_reporter"),
    ]
    body = response.content.decode()
    assert "网页填报" in body and "修改" in body and "新建" in body
