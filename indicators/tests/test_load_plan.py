"""`load_plan`: the 2022 plan file loads whole, with its links and how each target is
judged, and loads again without writing anything (only the record of the load).

What an edited file changes is in test_load_plan_edits.py; a bad file, rejected whole,
in test_load_plan_bad_files.py and test_load_plan_file_errors.py."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actions.models import Indicator, Plan, Task, Unit
from indicators.models import Assignment, Figure, Metric
from indicators.tests.planfile_data import PLAN_FILE, edited, load, snapshot


def writes(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]


# -- the 2022 plan -------------------------------------------------------------------


@pytest.mark.django_db
def test_it_loads_the_whole_2022_plan():
    out = load(PLAN_FILE)

    plan = Plan.objects.get(year=2022)
    assert plan.title == "衡阳市2022年聚力中心化优化营商环境攻坚年行动方案"
    assert str(plan.issued) == "2022-05-17"
    assert plan.areas.count() == 5
    assert plan.tasks.count() == 19
    assert plan.metrics.count() == 45
    assert plan.indicators.count() == 18
    assert Unit.objects.filter(kind=Unit.Kind.COUNTY).count() == 12
    assert Unit.objects.filter(kind=Unit.Kind.PARK).exists()
    assert "2022年方案:已载入" in out
    assert "目标指标新增 45" in out


@pytest.mark.django_db
def test_it_links_what_the_file_links():
    load(PLAN_FILE)

    metric = Metric.objects.get(code="small_loan_growth")
    assert metric.relative_metric.code == "loan_growth"
    assert metric.indicator.code == "credit"
    assert metric.task.code == "a3-1"
    assert Task.objects.get(code="a1-1").lead_indicator.code == "business_start"
    assert Indicator.objects.get(code="paying_taxes").lead_unit.code == "tax"
    assert Unit.objects.get(code="xidu").parent.code == "hengyangxian"
    # groups and unit codes mix: counties and parks, and 市本级 by the city department
    per_unit = set(Assignment.objects.filter(metric__code="business_start_days").values_list("unit__kind", flat=True))
    assert per_unit == {"county", "park", "department"}
    assert list(Assignment.objects.filter(metric__code="tax_payments").values_list("unit__code", flat=True)) == ["tax"]
    # reporters: [counties] is the 12 counties only
    assert Assignment.objects.filter(metric__code="summary_procedure_rate").count() == 12
    # a county park's cases are in its county's figure; a city-level park's are not
    assert Unit.objects.get(code="xidu").cases_in_county.code == "hengyangxian"
    assert Unit.objects.get(code="gaoxin").counts_in_city
    assert not Assignment.objects.filter(unit__code="office").exists()


@pytest.mark.django_db
def test_it_loads_how_each_target_is_judged():
    load(PLAN_FILE)

    metrics = {m.code: m for m in Metric.objects.all()}
    assert metrics["tax_payments"].basis == "year_end"
    cost = metrics["trade_compliance_cost"]
    assert (cost.kind, cost.value, cost.stretch) == ("at_most", 280, 220)
    # from last year's stock (pace_from: stock), not from 0: January is not red
    assert metrics["tech_smes"].pace_from is None and metrics["tech_smes"].baseline == 850
    assert metrics["tech_smes"].pace_profile == "linear"
    assert metrics["high_tech_enterprises"].pace_profile == "batch"
    assert metrics["high_tech_enterprises"].batch_months == [10, 11, 12]
    assert metrics["no_application_policies"].checkpoints == [
        {"name": "方案印发", "due": "2022-06-30"},
        {"name": "系统上线", "due": "2022-09-30"},
    ]
    assert metrics["ip_strength_rank"].kind == "keep" and metrics["ip_strength_rank"].year_end_only
    # a tolerance only where a pace leaves room for one
    paced = {"tech_smes", "high_tech_enterprises"}  # 双随机: the plan gives none
    assert {code for code, m in metrics.items() if m.tolerance} == paced


@pytest.mark.django_db
def test_loading_the_same_file_twice_writes_nothing():
    load(PLAN_FILE)
    before = snapshot()

    with CaptureQueriesContext(connection) as ctx:
        out = load(PLAN_FILE)

    # The only write is the record of the load itself (who loaded which file when).
    [record] = writes(ctx.captured_queries)
    assert record.startswith('INSERT INTO "actions_planload"')
    assert snapshot() == before
    assert "方案未发生变化" in out


@pytest.mark.django_db
def test_reloading_keeps_figure_history_untouched(plan_2022):
    metric = Metric.objects.get(code="business_start_days")
    figure = Figure.objects.create(unit=Unit.objects.get(code="qidong"), metric=metric, period="2022-06-01", value=1, cases=3)
    history, updated_at = figure.history.count(), figure.updated_at

    load(PLAN_FILE)

    figure.refresh_from_db()
    assert (figure.history.count(), figure.updated_at) == (history, updated_at)


@pytest.mark.django_db
def test_a_milestone_the_plan_gives_no_date_is_judged_at_the_year_end_as_an_assumption(tmp_path):
    # 160千伏安低压接入 without its date: due at the plan year's end, and that date is ours (待核定)
    old = """        target: {kind: milestone, due: 2022-12-31}
        source: "2022年底前实现经营范围内160千伏安低压接入\""""
    new = """        target: {kind: milestone}
        source: "2022年底前实现经营范围内160千伏安低压接入\""""
    load(edited(tmp_path, (old, new)))

    m = Metric.objects.get(code="power_160kva")
    assert str(m.due) == "2022-12-31" and "due" in m.pending
