"""Statuses and completeness are stored rows written by one service on commit of every
write (indicators.status), and every page, API answer and report reads them: a write not
yet refreshed is never shown stale, a refresh writes one row per metric, unit and city,
grey rows say why, a green month of a year heading for a miss is a warning, and with
queued refreshes a write queues one job and pages say when the data was updated.

The writes elsewhere that refresh the rows are in test_status_store_writes.py; the
refresh_status command and the daily job in test_status_refresh_command.py."""

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from actions.models import Unit
from indicators.models import Figure, Metric, ReportingMonth, StatusMonth, TargetStatus
from indicators.rules.types import Status
from indicators.selectors import status_board
from indicators.services.figures import figures_import
from indicators.services.workflow import entry_save
from indicators.status.board import board_compute
from indicators.status.refresh import months_touched, status_refresh
from indicators.tests.status_store_data import JUNE, board_tuples, stored


def test_a_saved_figure_is_stored_on_commit_and_pages_read_the_row(plan_2022, users, django_capture_on_commit_callbacks):
    metric = Metric.objects.get(plan=plan_2022, code="tax_payments")
    tax = Unit.objects.get(code="tax")
    ReportingMonth.objects.create(period=JUNE, deadline=date(2022, 7, 5), lock_date=date(2099, 1, 1))  # still open
    with django_capture_on_commit_callbacks(execute=True):
        entry_save(unit=tax, period=JUNE, user=users["dept_reporter"], version=0, figures={metric.pk: {"value": 9}}, tasks={})

    row = stored("tax_payments", "tax")
    assert (row.value, row.status, row.grey_reason) == (9, Status.RED, "")  # ≤ 5 次
    assert stored("tax_payments", None).status == Status.RED  # the city row too
    board = status_board(plan=plan_2022, period=JUNE)
    assert board.computed_at == StatusMonth.objects.get(period=JUNE).computed_at  # read from the rows
    assert board_tuples(board) == board_tuples(board_compute(plan_2022, JUNE, date(2022, 6, 30)))


def test_a_write_not_yet_refreshed_is_never_shown_stale(plan_2022):
    status_refresh(periods=[JUNE])
    rows = [{"line": 2, "unit": "tax", "metric": "tax_payments", "period": "2022-06", "value": "4"}]

    figures_import(rows=rows)  # its refresh waits for the commit (which a test never reaches)

    assert StatusMonth.objects.get(period=JUNE).pending
    board = status_board(plan=plan_2022, period=JUNE)
    row = next(r for r in board.unit_rows if r.unit.code == "tax" and r.metric.code == "tax_payments")
    assert (board.computed_at, row.value, row.status) == (None, 4, Status.GREEN)  # computed for the request


def test_a_refresh_clears_the_mark_and_writes_one_row_per_metric_unit_and_city(plan_2022):
    Figure.objects.create(unit=Unit.objects.get(code="tax"), metric=Metric.objects.get(code="tax_payments"), period=JUNE, value=5)

    n = status_refresh(periods=[JUNE])
    again = status_refresh(periods=[JUNE])  # a second refresh replaces, never duplicates

    board = board_compute(plan_2022, JUNE, date(2022, 6, 30))
    assert n == again == len(board.unit_rows) + len(board.city_rows) == TargetStatus.objects.filter(period=JUNE).count()
    assert not StatusMonth.objects.get(period=JUNE).pending


def test_this_years_figure_refreshes_the_same_month_next_year():
    assert months_touched([date(2022, 6, 17)]) == {JUNE, date(2023, 6, 1)}


def test_last_years_figure_is_compared_with_in_next_years_row(plan_2022, tmp_path, django_capture_on_commit_callbacks):
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "fixtures" / "plan_2022.yaml").read_text(encoding="utf-8")
    (tmp_path / "plan_2023.yaml").write_text(text.replace("year: 2022\n", "year: 2023\n", 1), encoding="utf-8")
    call_command("load_plan", str(tmp_path / "plan_2023.yaml"), stdout=StringIO())
    june_2023 = date(2023, 6, 1)
    status_refresh(periods=[june_2023])
    assert stored("outage_hours", "power", june_2023).grey_reason == "not_reported"

    rows = [
        {"line": 2, "unit": "power", "metric": "outage_hours", "period": "2022-06", "value": "10", "cases": "5"},
        {"line": 3, "unit": "power", "metric": "outage_hours", "period": "2023-06", "value": "9", "cases": "5"},
    ]
    with django_capture_on_commit_callbacks(execute=True):
        figures_import(rows=rows)

    row = stored("outage_hours", "power", june_2023)
    assert (row.last_year, row.status) == (10, Status.GREEN)  # 9 h against 10 h: 10 % lower


@pytest.mark.parametrize(
    ("metric", "unit", "figure", "reason"),
    [
        ("tax_payments", "tax", None, "not_reported"),
        ("outage_hours", "power", {"value": 9, "cases": 5}, "no_baseline"),
        ("loan_growth", "pbc", {"numerator": 5, "denominator": 100}, "not_applicable"),
    ],
)
def test_a_grey_row_says_why(plan_2022, metric, unit, figure, reason):
    if figure:
        Figure.objects.create(unit=Unit.objects.get(code=unit), metric=Metric.objects.get(code=metric), period=JUNE, **figure)
    status_refresh(periods=[JUNE])

    row = stored(metric, unit)

    assert (row.status, row.grey_reason) == (Status.GREY, reason)
    assert TargetStatus.objects.filter(period=JUNE).exclude(status="grey").filter(grey_reason__gt="").count() == 0


def test_ratio_rows_keep_their_parts(plan_2022):
    m = Metric.objects.filter(plan=plan_2022, measure=Metric.Measure.RATIO, scope=Metric.Scope.UNITS).first()
    unit = m.assignments.first().unit
    Figure.objects.create(unit=unit, metric=m, period=JUNE, numerator=9, denominator=10)
    status_refresh(periods=[JUNE])

    row = stored(m.code, unit.code)

    assert (row.numerator, row.denominator, row.value) == (9, 10, Decimal(90))


def test_a_refresh_of_unchanged_figures_rewrites_no_row(plan_2022):
    # 2/3 = 66.666…%: stored to the column's 6 places. Compared unrounded, every ratio row
    # looked changed and was rewritten by each save's refresh (20 s at province size).
    m = Metric.objects.filter(plan=plan_2022, measure=Metric.Measure.RATIO, scope=Metric.Scope.UNITS).first()
    unit = m.assignments.first().unit
    Figure.objects.create(unit=unit, metric=m, period=JUNE, numerator=2, denominator=3)
    status_refresh(periods=[JUNE])
    first = stored(m.code, unit.code)

    status_refresh(periods=[JUNE])

    again = stored(m.code, unit.code)
    assert again.value == Decimal("66.666667")
    assert again.computed_at == first.computed_at  # not rewritten
    assert TargetStatus.objects.filter(period=JUNE).exclude(computed_at=first.computed_at).count() == 0


def contactless(month, numerator, **kw):
    return {"line": 2, "unit": "tax", "metric": "contactless_tax_rate", "period": f"2022-{month:02d}",
            "numerator": str(numerator), "denominator": "100"}  # fmt: skip


def test_a_green_month_of_a_year_heading_for_a_miss_is_a_warning(client, users, plan_2022, django_capture_on_commit_callbacks):
    """非接触式办税比例 90%以上: 80% in April and May, 92% in June. June meets the target,
    but the year (the mean of the last three months, 84.7%) is heading for a miss: 预警,
    in the unit's row, the city's row and on the metric page. Once April and May are
    corrected, June is green again: a correction refreshes the later months of the year."""
    with django_capture_on_commit_callbacks(execute=True):
        figures_import(rows=[contactless(4, 80), contactless(5, 80), contactless(6, 92)])

    assert stored("contactless_tax_rate", "tax").status == Status.YELLOW
    assert stored("contactless_tax_rate", None).status == Status.YELLOW
    assert stored("contactless_tax_rate", "tax", period=date(2022, 5, 1)).status == Status.RED
    client.force_login(users["office"])
    page = client.get(reverse("reports:dashboard-metric", args=[2022, "contactless_tax_rate"])).content.decode()
    assert "预计达不到目标" in page

    with django_capture_on_commit_callbacks(execute=True):
        figures_import(rows=[contactless(4, 95), contactless(5, 95)], correction="税务部门核实后更正")

    assert stored("contactless_tax_rate", "tax").status == Status.GREEN
    assert stored("contactless_tax_rate", None).status == Status.GREEN


def test_december_has_no_outlook_its_figure_is_the_year(plan_2022, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        figures_import(rows=[contactless(10, 80), contactless(11, 80), contactless(12, 92)], correction="补录")
        figures_import(rows=[contactless(9, 80)], correction="补录")

    assert stored("contactless_tax_rate", "tax", period=date(2022, 12, 1)).status == Status.GREEN
    assert stored("contactless_tax_rate", "tax", period=date(2022, 11, 1)).status == Status.RED


def test_with_queued_refreshes_pages_say_when_the_data_was_updated(client, users, plan_2022, settings):
    from django.utils import timezone

    settings.STATUS_REFRESH_ASYNC = True
    status_refresh(periods=[JUNE])
    client.force_login(users["office"])
    url = reverse("reports:dashboard-overview") + "?period=2022-06"
    at = timezone.localtime(StatusMonth.objects.get(period=JUNE).computed_at)

    assert f"数据更新于 {at:%H:%M}" in client.get(url).content.decode()

    StatusMonth.objects.filter(period=JUNE).update(pending_since=timezone.now())
    body = client.get(url).content.decode()
    assert f"数据更新于 {at:%H:%M}" in body and "新保存的数据正在更新" in body


def test_with_queued_refreshes_a_write_queues_one_job_for_its_months(
    plan_2022, settings, monkeypatch, django_capture_on_commit_callbacks
):
    from indicators import tasks

    settings.STATUS_REFRESH_ASYNC = True
    queued = []
    monkeypatch.setattr(tasks.status_refresh_task, "delay", lambda periods: queued.append(periods))
    rows = [
        {"line": 2, "unit": "tax", "metric": "tax_payments", "period": "2022-06", "value": "4"},
        {"line": 3, "unit": "tax", "metric": "tax_payments", "period": "2022-05", "value": "4"},
    ]
    with django_capture_on_commit_callbacks(execute=True):
        figures_import(rows=rows)

    assert queued == [["2022-05-01", "2022-06-01", "2023-05-01", "2023-06-01"]]
    assert not TargetStatus.objects.exists()  # the worker writes them


def test_the_metric_page_shows_units_explanations_beside_their_stored_rows(client, users, plan_2022):
    from indicators.rules.periods import months_of_year

    metric = Metric.objects.get(plan=plan_2022, code="business_start_days")
    Figure.objects.create(
        unit=Unit.objects.get(code="hengnan"), metric=metric, period=JUNE, value=2, cases=3, explanation="窗口人员不足,正在增派。"
    )
    status_refresh(periods=months_of_year(2022))
    client.force_login(users["office"])

    body = client.get(reverse("reports:dashboard-metric", args=[2022, "business_start_days"])).content.decode()

    assert "窗口人员不足,正在增派。" in body
