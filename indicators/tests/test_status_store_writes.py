"""Every write that changes a judged figure, a target, a baseline or who reports refreshes
the stored rows on commit, wherever it is made (the plan file, the entry sheet, a return,
the admin, the baselines page), and one number of units expected is counted alike
everywhere; a write that changes nothing judged (a unit renamed) refreshes nothing."""

from datetime import date
from io import StringIO

from django.core.management import call_command
from django.urls import reverse

from actions.models import Unit
from actions.services import unit_save
from indicators.models import Baseline, Figure, Metric, ReportingStatus, StatusMonth, Submission, TargetStatus
from indicators.rules.types import Status
from indicators.selectors import month_overview, status_board
from indicators.status.refresh import status_refresh
from indicators.tests.status_store_data import JUNE, stored


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
