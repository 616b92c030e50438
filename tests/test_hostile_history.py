"""Every figure has its history from its first write, whatever wrote it — the demo, a
file import, the entry sheet, an Excel upload — with who, when and why; a 更正 of a demo
figure shows what it replaced; and an entry-sheet POST that leaves a figure's inputs out
leaves that figure as it was (a missing key is not an empty value)."""

import importlib
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from actions.models import Unit
from indicators.demo import DEMO_HISTORY, seed_year
from indicators.models import Figure, Metric, ReportingMonth
from indicators.services.workflow import entry_save

JUNE = date(2022, 6, 1)
URL = reverse("indicators:entry", args=["hengnan", "2022-06"])


@pytest.fixture
def open_june(users):
    return ReportingMonth.objects.create(period=JUNE, deadline=date(2099, 1, 5), lock_date=date(2099, 1, 15))


def test_every_demo_figure_has_its_first_history_record(plan_2022):
    counts = seed_year(plan_2022, today=date(2022, 3, 10))  # January and February
    assert counts["figures"] > 100
    figures = Figure.objects.count()
    first = Figure.history.filter(history_type="+")
    assert first.values("id").distinct().count() == figures  # every figure, once
    assert set(first.values_list("history_change_reason", flat=True)) == {DEMO_HISTORY}
    assert all(h.history_date.year == 2022 for h in first.filter(period=date(2022, 1, 1))[:50])  # when it was reported


def test_a_correction_of_a_demo_figure_shows_what_it_replaced(plan_2022):
    seed_year(plan_2022, today=date(2022, 3, 10))
    f = (
        Figure.objects.filter(value__isnull=False, period=date(2022, 1, 1), metric__measure="count")
        .select_related("unit")
        .first()
    )
    shown_before = f.value
    since = timezone.now()
    f.value = f.value + 7
    f._change_reason = "更正:统计口径调整"
    f.save()
    # What a 更正 prints as 原值: the figure as its history held it before the correction.
    before = f.history.filter(history_date__lte=since).order_by("-history_date", "-history_id").first()
    assert before is not None and before.value == shown_before


def test_an_import_writes_history_with_who_when_and_why(plan_2022, users, tmp_path):
    path = tmp_path / "figures.csv"
    path.write_text(
        "unit,metric,period,value,numerator,denominator,cases,note\nhengnan,business_start_days,2022-06,3,,,12,\n", "utf-8"
    )
    before = timezone.now()
    call_command("import_figures", str(path), user=users["office"].username, stdout=open(tmp_path / "out", "w"))
    h = Figure.objects.get(unit__code="hengnan", metric__code="business_start_days").history.get()
    assert (h.history_type, h.history_user, h.value, h.cases) == ("+", users["office"], Decimal(3), 12)
    assert h.history_date >= before and h.history_change_reason


def test_the_entry_sheet_writes_history_with_who_when_and_why(plan_2022, users, open_june):
    unit, metric = Unit.objects.get(code="hengnan"), Metric.objects.get(plan=plan_2022, code="business_start_days")
    entry_save(
        unit=unit,
        period=JUNE,
        user=users["reporter"],
        version=0,
        figures={metric.pk: {"value": Decimal(5), "cases": 4}},
        tasks={},
    )
    h = Figure.objects.get(unit=unit, metric=metric).history.get()
    assert (h.history_type, h.history_user, h.history_change_reason) == ("+", users["reporter"], "网页填报")


def test_figures_without_history_get_their_first_record_from_the_migration(plan_2022, users):
    unit, metric = Unit.objects.get(code="hengnan"), Metric.objects.get(plan=plan_2022, code="business_start_days")
    f = Figure.objects.create(unit=unit, metric=metric, period=JUNE, value=Decimal(9), entered_by=users["reporter"])
    f.history.all().delete()  # as the demo and early imports left them
    importlib.import_module("indicators.migrations.0008_figure_history_backfill").backfill(apps, None)
    h = f.history.get()
    assert (h.history_type, h.value, h.history_user, h.history_date) == ("+", Decimal(9), users["reporter"], f.updated_at)
    assert "补记" in h.history_change_reason


def test_a_post_without_the_figure_fields_blanks_nothing(client, users, open_june):
    unit, metric = Unit.objects.get(code="hengnan"), Metric.objects.get(code="business_start_days")
    entry_save(
        unit=unit, period=JUNE, user=users["reporter"], version=0,
        figures={metric.pk: {"value": Decimal(5), "cases": 4, "explanation": "按季度统计"}}, tasks={},
    )  # fmt: skip
    client.force_login(users["reporter"])
    response = client.post(URL, {"version": "1", "action": "save"})
    assert response.status_code in (302, 400)  # (400: the task rows were left out too)
    f = Figure.objects.get(unit=unit, metric=metric)
    assert (f.value, f.cases, f.explanation) == (Decimal(5), 4, "按季度统计")
    assert f.history.count() == 1  # nothing written


def test_a_post_that_sends_a_field_empty_still_clears_it(client, users, open_june):
    from indicators.tests.test_entry import form_data

    unit, metric = Unit.objects.get(code="hengnan"), Metric.objects.get(code="business_start_days")
    client.force_login(users["reporter"])
    entry_save(
        unit=unit,
        period=JUNE,
        user=users["reporter"],
        version=0,
        figures={metric.pk: {"value": Decimal(5), "cases": 4}},
        tasks={},
    )
    data = form_data(client, **{"business_start_days-value": "", "business_start_days-cases": "", "action": "save"})
    assert client.post(URL, data).status_code == 302
    assert Figure.objects.get(unit=unit, metric=metric).value is None
