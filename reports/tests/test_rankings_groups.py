"""Rankings in the groups the office sets in the plan file (县市区, 园区, 市直部门 in
2022), each unit scored only on the duties it has, ties shown as 并列."""

from datetime import date, datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from actions.models import Plan, Unit
from indicators.models import Figure, Metric, Submission
from reports.rankings import rankings, scoring_formula, scoring_formula_text, scoring_groups

JUNE = date(2022, 6, 1)
PLAN_FILE = Path(__file__).resolve().parents[2] / "fixtures" / "plan_2022.yaml"


def put(unit, metric, **values):
    Figure.objects.create(unit=Unit.objects.get(code=unit), metric=Metric.objects.get(code=metric), period=JUNE, **values)


def submit(unit, late=False):
    at = timezone.make_aware(datetime(2022, 7, 8 if late else 3, 10))
    Submission.objects.create(
        unit=Unit.objects.get(code=unit), period=JUNE, state="submitted", submitted_at=at, last_submitted_at=at, is_late=late
    )


STATIONED = {"tax", "customs", "power", "pbc"}  # 驻衡国省属单位: group: stationed in the units section


def test_the_four_groups_are_ranked_separately(plan_2022):
    for code in ("hengnan", "gaoxin", "approval", "customs"):
        submit(code)
    ranked = rankings(plan=plan_2022, periods=[JUNE])

    assert list(ranked) == ["counties", "parks", "departments", "stationed"]
    assert [g.name for g in scoring_groups(plan_2022)] == ["县市区", "园区", "市直部门", "驻衡单位"]
    kinds = {u.code: u.kind for u in Unit.objects.all()}
    for group, kind in (("counties", "county"), ("parks", "park"), ("departments", "department")):
        assert {kinds[code] for code in ranked[group].inputs} == {kind}
    assert len(ranked["counties"].rows) == 12
    # a provincial or state unit is not scored beside a city bureau
    assert set(ranked["stationed"].inputs) == STATIONED
    assert {r.unit for r in ranked["stationed"].rows} == STATIONED
    assert not STATIONED & set(ranked["departments"].inputs)


def test_a_lead_department_that_reports_nothing_is_not_ranked_unless_the_office_counts_what_it_leads(plan_2022):
    # 市住建局 leads 办理建筑许可 and reports no figure of its own
    for park in ("gaoxin", "zongbao"):
        put(park, "social_project_approval_days", value=40, cases=3)  # two parks' figures: met
    ranked = rankings(plan=plan_2022, periods=[JUNE])["departments"]
    assert "housing" not in ranked.inputs  # nothing of its own to be scored on: not ranked (was 100)
    assert "office" not in ranked.inputs  # 市优化办 has no duty: not ranked, never last

    plan_2022.scoring = {**scoring_formula(plan_2022).to_dict(), "leads_scored": True}  # the office's setting
    plan_2022.save()
    ranked = rankings(plan=plan_2022, periods=[JUNE])["departments"]
    # counted now, but a city value from two of its reporters is not judged (x/y 单位已报):
    # still nothing to score it on, so still not ranked
    assert (ranked.inputs["housing"].judged, ranked.inputs["housing"].expected) == (0, 0)
    assert "housing" not in {r.unit for r in ranked.rows}


def test_a_reporting_department_is_held_to_its_deadline(plan_2022):
    put("approval", "social_project_approval_days", value=40, cases=3)
    submit("approval")
    submit("tax", late=True)
    ranked = rankings(plan=plan_2022, periods=[JUNE])
    inputs = ranked["departments"].inputs

    assert (inputs["approval"].on_time, inputs["approval"].expected) == (1, 1)
    tax = ranked["stationed"].inputs["tax"]  # 驻衡单位: its own group
    assert (tax.on_time, tax.expected) == (0, 1)
    # approval is scored on its own figures: the city row of a metric it reports is not
    # counted twice, and the rows it left empty are grey, out of the denominator
    assert Metric.objects.filter(assignments__unit__code="approval").count() == 4
    assert (inputs["approval"].judged, inputs["approval"].met) == (1, 1)


def test_equal_scores_share_a_rank_shown_as_bingle(plan_2022):
    for code in ("hengnan", "hengdong"):
        put(code, "business_start_days", value="0.3", cases=4)
        submit(code)
    rows = rankings(plan=plan_2022, periods=[JUNE])["counties"].rows

    assert [(r.unit, r.rank, r.rank_text) for r in rows[:2]] == [("hengdong", 1, "并列1"), ("hengnan", 1, "并列1")]
    assert rows[2].rank == 3


def test_the_office_sets_groups_and_weights_in_the_plan_file(db, tmp_path):
    text = PLAN_FILE.read_text(encoding="utf-8")
    old = text[text.index("scoring:\n") : text.index("\nareas:\n")]
    text = text.replace(
        old,
        "scoring:\n"
        "  parts: [{code: met, weight: 70}, {code: timeliness, weight: 30}]\n"
        "  groups:\n"
        "    - {code: areas, name: 县市区和园区, kinds: [county, park]}\n"
        "    - {code: leads, name: 指标牵头部门, units: [amr, tax, housing]}\n"
        "  red_black: 2\n"
        "  leads_scored: true\n",
    )
    text = text.replace(", group: stationed", "")  # no 驻衡单位 group in this formula
    (tmp_path / "plan.yaml").write_text(text, encoding="utf-8")
    call_command("load_plan", str(tmp_path / "plan.yaml"), stdout=StringIO())
    plan = Plan.objects.get(year=2022)

    submit("amr")  # someone in each group reported: both are ranked
    submit("hengnan")
    ranked = rankings(plan=plan, periods=[JUNE])

    assert list(ranked) == ["areas", "leads"]
    assert scoring_formula(plan).leads_scored
    # 市住建局 reports nothing and no city value it leads is judged yet: nothing to rank it on
    assert {r.unit for r in ranked["leads"].rows} == {"amr", "tax"}
    assert len(ranked["areas"].rows) == 22
    formula, terms = scoring_formula_text(plan)
    assert formula == "综合得分 = 达标率 × 70 + 按时报送率 × 30（满分100）"
    assert "县市区和园区、指标牵头部门分组排名" in terms


def test_a_unit_s_group_must_be_one_of_the_scoring_groups(db, tmp_path):
    text = PLAN_FILE.read_text(encoding="utf-8").replace("{code: stationed, name: 驻衡单位", "{code: state_units, name: 驻衡单位")
    (tmp_path / "plan.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(CommandError) as e:
        call_command("load_plan", str(tmp_path / "plan.yaml"), stdout=StringIO(), stderr=StringIO())
    assert "未定义的计分分组“stationed”" in str(e.value)
