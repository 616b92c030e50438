"""Statuses and completeness are stored rows written by one service on commit of every
write (indicators.status), and every page, API answer and report reads them."""

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from actions.models import Unit
from actions.services import unit_save
from indicators.models import Baseline, Figure, Metric, ReportingMonth, ReportingStatus, StatusMonth, Submission, TargetStatus
from indicators.rules.types import Status
from indicators.selectors import month_overview, status_board
from indicators.services.figures import figures_import
from indicators.services.workflow import entry_save
from indicators.status.board import board_compute
from indicators.status.refresh import months_touched, status_refresh, status_refresh_open

JUNE = date(2022, 6, 1)


def stored(metric_code, unit_code, period=JUNE):
    unit = None if unit_code is None else Unit.objects.get(code=unit_code)
    return TargetStatus.objects.get(metric__code=metric_code, unit=unit, period=period)


def board_tuples(board):
    return [(r.unit_code, r.metric.code, r.status, r.value, r.last_year, r.other, r.grey_reason) for r in board.rows()]


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


def test_an_edited_target_in_the_plan_file_is_judged_anew(plan_2022, tmp_path, django_capture_on_commit_callbacks):
    from pathlib import Path

    Figure.objects.create(unit=Unit.objects.get(code="tax"), metric=Metric.objects.get(code="tax_payments"), period=JUNE, value=5)
    status_refresh(periods=[JUNE])
    assert stored("tax_payments", "tax").status == Status.GREEN
    text = (Path(__file__).resolve().parents[2] / "fixtures" / "plan_2022.yaml").read_text(encoding="utf-8")
    start = text.index("code: tax_payments")
    end = text.index("target:", start)
    line_end = text.index("\n", end)
    edited = text[:end] + "target: {kind: at_most, value: 3, tolerance: 0}" + text[line_end:]
    (tmp_path / "plan.yaml").write_text(edited, encoding="utf-8")

    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_plan", str(tmp_path / "plan.yaml"), stdout=StringIO())

    assert stored("tax_payments", "tax").status == Status.RED


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


# -- one number everywhere -----------------------------------------------------------------
def test_a_unit_set_to_not_reporting_leaves_every_count_of_june_alike(
    client, users, plan_2022, django_capture_on_commit_callbacks
):
    """The month page, the completeness board, the API, the reminders, the dispatch and
    the bulletin count the same units expected for June 2022."""
    from indicators.rules.scoring import completeness
    from reports.builders.bulletin import bulletin_document
    from reports.builders.dispatch import dispatch_document
    from reports.selectors.completeness import completeness_board
    from reports.services.reminders import missing_units_remind
    from reports.tests.dashboard_data import demo_year

    demo_year(plan_2022)
    before = month_overview(period=JUNE).expected
    shigu = Unit.objects.get(code="shigu")
    with django_capture_on_commit_callbacks(execute=True):  # as the admin's save does
        shigu.reports = False
        unit_save(shigu)
    assert not ReportingStatus.objects.get(unit=shigu, period=JUNE).expected

    overview = month_overview(period=JUNE)
    expected, submitted = overview.expected, overview.reported
    assert expected == before - 1
    rate = completeness(submitted, expected)
    assert overview.rate == rate

    client.force_login(users["office"])
    page = client.get(reverse("indicators:month", args=["2022-06"]))
    assert page.context["overview"].expected == expected

    board = completeness_board(period=JUNE)
    assert (board.expected, board.submitted, board.rate) == (expected, submitted, rate)

    api = client.get("/api/v1/completeness?period=2022-06").json()
    assert (api["expected"], api["submitted"]) == (expected, submitted)

    assert len(missing_units_remind(period=JUNE)) == expected - submitted
    assert "石鼓区" not in missing_units_remind(period=JUNE)

    dispatch = dispatch_document(period=JUNE).text()
    assert f"应报送单位{expected}家，已报送{submitted}家" in dispatch

    quarter = sum(month_overview(period=date(2022, m, 1)).expected for m in (4, 5, 6))
    assert f"本季度应报送{quarter}次" in bulletin_document(year=2022, quarter=2).text()


def test_a_submission_updates_the_reporting_row_on_commit(plan_2022, users, django_capture_on_commit_callbacks):
    hengnan = Unit.objects.get(code="hengnan")
    status_refresh(periods=[JUNE], today=date(2022, 7, 1))
    assert ReportingStatus.objects.get(unit=hengnan, period=JUNE).timeliness == "not_due_yet"
    computed = StatusMonth.objects.get(period=JUNE).computed_at
    Submission.objects.create(unit=hengnan, period=JUNE, state=Submission.State.SUBMITTED, is_late=False, version=1)

    with django_capture_on_commit_callbacks(execute=True):
        from indicators.services.review import submission_return

        submission_return(unit=hengnan, period=JUNE, user=users["office"], reason="数据有误", by_office=True)

    row = ReportingStatus.objects.get(unit=hengnan, period=JUNE)
    assert (row.state, row.submitted) == ("returned", False)
    assert set(TargetStatus.objects.filter(period=JUNE).values_list("computed_at", flat=True)) == {computed}  # untouched
    assert StatusMonth.objects.get(period=JUNE).computed_at > computed  # results cached from June are recomputed


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


def test_a_figure_edited_in_admin_is_judged_anew_on_commit(client, users, plan_2022, django_capture_on_commit_callbacks):
    f = Figure.objects.create(
        unit=Unit.objects.get(code="tax"), metric=Metric.objects.get(code="tax_payments"), period=JUNE, value=5
    )
    status_refresh(periods=[JUNE])
    client.force_login(users["admin"])
    url = reverse("admin:indicators_figure_change", args=[f.pk])
    form = client.get(url).context["adminform"].form
    data = {k: ("" if v is None else getattr(v, "pk", v)) for k, v in form.initial.items() if k in form.fields}
    data["value"] = "9"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)

    assert response.status_code == 302, response.content[:500]
    assert (stored("tax_payments", "tax").value, stored("tax_payments", "tax").status) == (9, Status.RED)


def _admin_post(client, url, unticked=(), **changes):
    form = client.get(url).context["adminform"].form
    data = {k: ("" if v is None else getattr(v, "pk", v)) for k, v in form.initial.items() if k in form.fields}
    data = {k: v for k, v in data.items() if v is not False and k not in unticked}  # an unticked box is not posted
    data.update(changes)
    return client.post(url, data)


def test_a_unit_set_to_not_reporting_in_admin_is_no_longer_expected(client, users, plan_2022, django_capture_on_commit_callbacks):
    """The admin saves a unit through actions.services.unit_save: the stored rows follow."""
    status_refresh(periods=[JUNE])
    shigu = Unit.objects.get(code="shigu")
    assert ReportingStatus.objects.get(unit=shigu, period=JUNE).expected
    client.force_login(users["admin"])

    with django_capture_on_commit_callbacks(execute=True):
        response = _admin_post(client, reverse("admin:actions_unit_change", args=[shigu.pk]), unticked=["reports"])

    assert response.status_code == 302, response.content[:500]
    assert not ReportingStatus.objects.get(unit=shigu, period=JUNE).expected


def test_a_baseline_edited_in_admin_is_compared_with_anew(client, users, plan_2022, django_capture_on_commit_callbacks):
    power = Unit.objects.get(code="power")
    metric = Metric.objects.get(plan=plan_2022, code="outage_hours")
    baseline = Baseline.objects.create(metric=metric, unit=power, period=date(2021, 6, 1), value=20)
    Figure.objects.create(unit=power, metric=metric, period=JUNE, value=9.2, cases=5)
    status_refresh(periods=[JUNE])
    assert stored("outage_hours", "power").last_year == 20
    client.force_login(users["admin"])

    with django_capture_on_commit_callbacks(execute=True):
        response = _admin_post(client, reverse("admin:indicators_baseline_change", args=[baseline.pk]), value="10")

    assert response.status_code == 302, response.content[:500]
    assert stored("outage_hours", "power").last_year == 10


def test_a_baseline_saved_on_its_page_is_compared_with_anew(plan_2022, django_capture_on_commit_callbacks):
    from indicators.services.baselines import baseline_delete, baseline_save

    power = Unit.objects.get(code="power")
    metric = Metric.objects.get(plan=plan_2022, code="outage_hours")
    Figure.objects.create(unit=power, metric=metric, period=JUNE, value=9.2, cases=5)
    status_refresh(periods=[JUNE])
    baseline = Baseline(metric=metric, unit=power, period=date(2021, 6, 1), value=20)

    with django_capture_on_commit_callbacks(execute=True):
        baseline_save(baseline=baseline)
    assert stored("outage_hours", "power").last_year == 20

    with django_capture_on_commit_callbacks(execute=True):
        baseline_delete(baseline=baseline)
    assert stored("outage_hours", "power").last_year != 20


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


def test_renaming_a_unit_refreshes_nothing_and_pages_show_the_new_name(plan_2022, django_capture_on_commit_callbacks):
    status_refresh(periods=[JUNE])
    computed = StatusMonth.objects.get(period=JUNE).computed_at
    tax = Unit.objects.get(code="tax")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        tax.name = "国家税务总局衡阳市税务局(新)"
        unit_save(tax)

    assert callbacks == [] and StatusMonth.objects.get(period=JUNE).computed_at == computed
    board = status_board(plan=plan_2022, period=JUNE)
    assert any(r.unit.name == "国家税务总局衡阳市税务局(新)" for r in board.unit_rows)


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
