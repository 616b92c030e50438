"""待核定事项: an assumption of the plan is not judged as a fact. The city's 报税后流程指数
on its assumed baseline 50 and the city's 简易程序适用率 on its assumed 55 are grey 待核定
until the office confirms them on its page; the confirmation is recorded (who, what, when,
old → new value) and the months are judged again at once."""

from datetime import date

import pytest

from actions.models import Unit
from indicators.assumptions import AssumptionConfirmation, scoring_confirmed
from indicators.models import Figure, Metric, TargetStatus
from indicators.rules.types import GreyReason, Status
from indicators.status.refresh import status_refresh

DEC = date(2022, 12, 1)
PENDING = GreyReason.PENDING_CONFIRMATION.value


@pytest.fixture
def office(client, users):
    client.force_login(users["office"])
    return client


def stored(code, unit_code=None, period=DEC):
    unit = Unit.objects.get(code=unit_code) if unit_code else None
    return TargetStatus.objects.get(metric__code=code, unit=unit, period=period)


def post_filing(value=60):
    Figure.objects.create(
        unit=Unit.objects.get(code="tax"), metric=Metric.objects.get(code="post_filing_index"), period=DEC, value=value
    )


def test_an_assumed_baseline_is_shown_with_its_figure_and_not_judged(plan_2022):
    post_filing(40)  # below the assumed 50: red if the assumption were a fact
    status_refresh(periods=[DEC])
    for unit in ("tax", None):
        row = stored("post_filing_index", unit)
        assert (row.status, row.grey_reason, row.value) == (Status.GREY, PENDING, 40)


def test_the_citys_summary_procedure_rate_on_the_assumed_55_is_pending(plan_2022):
    metric = Metric.objects.get(code="summary_procedure_rate")
    Figure.objects.create(unit=Unit.objects.get(code="hengnan"), metric=metric, period=DEC, numerator=70, denominator=100)
    status_refresh(periods=[DEC])
    assert (stored("summary_procedure_rate").status, stored("summary_procedure_rate").grey_reason) == (Status.GREY, PENDING)


def test_the_office_confirms_on_its_page_and_the_month_is_judged_again(
    office, users, plan_2022, django_capture_on_commit_callbacks
):
    post_filing(40)
    status_refresh(periods=[DEC])
    metric = Metric.objects.get(code="post_filing_index")
    html = office.get("/indicators/assumptions/").content.decode()
    assert "报税后流程指数" in html and "上年基数" in html and "待核定" in html and "季度通报计分办法" in html

    with django_capture_on_commit_callbacks(execute=True):
        office.post("/indicators/assumptions/", {"key": f"{metric.pk}:baseline", "year": "2022"})

    row = stored("post_filing_index", "tax")
    assert (row.status, row.grey_reason) == (Status.RED, "")  # 40 is not above the confirmed 50
    record = AssumptionConfirmation.objects.get()
    assert (record.metric, record.field, record.old_value, record.new_value, record.confirmed_by) == (
        metric, "baseline", "50", "50", users["office"]
    )  # fmt: skip
    html = office.get("/indicators/assumptions/").content.decode()
    history = html[html.index('data-testid="assumption-history"') :]
    assert "报税后流程指数" in history and "office" in history
    listed = html[html.index('data-testid="assumptions-open"') : html.index('data-testid="assumption-history"')]
    assert "报税后流程指数" not in listed  # confirmed: no longer awaiting


def test_a_corrected_value_is_recorded_old_and_new(office, plan_2022, django_capture_on_commit_callbacks):
    post_filing(48)
    metric = Metric.objects.get(code="post_filing_index")
    with django_capture_on_commit_callbacks(execute=True):
        office.post("/indicators/assumptions/", {"key": f"{metric.pk}:baseline", "new_value": "45", "year": "2022"})
    record = AssumptionConfirmation.objects.get()
    assert (record.old_value, record.new_value) == ("50", "45")
    assert stored("post_filing_index", "tax").status == Status.GREEN  # 48 > 45


def test_a_reloaded_file_with_another_value_is_a_new_assumption(plan_2022):
    metric = Metric.objects.get(code="post_filing_index")
    metric.confirmed = {"baseline": "50"}
    metric.save()
    assert metric.target.assumed == frozenset()
    metric.baseline = 52  # the file now says another value: not what the office confirmed
    assert metric.target.assumed == {"baseline"}


def test_the_scoring_formula_is_confirmed_on_the_same_page(office, plan_2022):
    assert not scoring_confirmed(plan_2022)
    office.post("/indicators/assumptions/", {"key": "plan:scoring", "year": "2022"})
    assert scoring_confirmed(plan_2022)
    assert AssumptionConfirmation.objects.get().metric is None


@pytest.mark.parametrize("role", ["reporter", "lead", "leader"])
def test_only_the_office_confirms(client, users, plan_2022, role):
    client.force_login(users[role])
    metric = Metric.objects.get(code="post_filing_index")
    assert client.get("/indicators/assumptions/").status_code == 403
    assert client.post("/indicators/assumptions/", {"key": f"{metric.pk}:baseline"}).status_code == 403
    assert not AssumptionConfirmation.objects.exists()


def test_a_second_click_records_nothing_more(office, plan_2022):
    metric = Metric.objects.get(code="post_filing_index")
    for _ in range(2):
        office.post("/indicators/assumptions/", {"key": f"{metric.pk}:baseline", "year": "2022"})
    office.post("/indicators/assumptions/", {"key": "nonsense", "year": "2022"})
    assert AssumptionConfirmation.objects.count() == 1
