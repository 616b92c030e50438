"""`export_plan`: the plan as JSON in the shape the README documents (other tools read
it), with the plan's own numbers."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

TOP_KEYS = {"year", "title", "issued", "reporting_from", "indicators", "units", "scoring", "areas", "deliverables"}
METRIC_KEYS = {"code", "name", "unit", "measure", "basis", "scope", "reporters", "target", "source"}
OPTIONAL_METRIC_KEYS = {"benchmarks", "pending"}  # present only when the metric has them
# Each kind's fields (README, "export_plan"); `tolerance` always.
KIND_FIELDS = {
    "at_most": {"value"},
    "at_least": {"value"},
    "exceed": {"value"},
    "exactly": {"value"},
    "range": {"low", "high"},
    "change_vs_last_year": {"value", "direction"},
    "relative_to": {"metric", "direction"},
    "improve": {"direction"},
    "rank": {"value"},
    "keep": {"direction"},
    "milestone": {"due"},
    "reference": set(),
}
OPTIONAL_FLAGS = {"pace", "year_end_only"}  # present (true) only when set
# present only when the plan gives them (PLAN_FORMAT.md, "How a figure is judged")
OPTIONAL_FIELDS = {"stretch", "pace_profile", "batch_months", "pace_from", "checkpoints"}


def export(year=2022) -> tuple[dict, str]:
    out = StringIO()
    call_command("export_plan", "--year", str(year), "--format", "json", stdout=out)
    return json.loads(out.getvalue()), out.getvalue()


def metrics_of(data) -> dict:
    return {m["code"]: m for area in data["areas"] for m in area["metrics"]}


def is_number(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def test_the_shape_is_the_documented_one(plan_2022):
    data, _ = export()

    assert set(data) == TOP_KEYS
    assert data["year"] == 2022
    assert data["title"] == "衡阳市2022年聚力中心化优化营商环境攻坚年行动方案"
    assert data["issued"] == "2022-05-17"
    assert data["reporting_from"] == "2022-06"  # the plan's calendar: the month after issue
    assert all(set(i) == {"code", "name", "lead_unit"} for i in data["indicators"])
    assert all(set(u) - {"cases_in_county"} == {"code", "name", "kind"} for u in data["units"])
    for area in data["areas"]:
        assert set(area) == {"code", "name", "tasks", "metrics"}
        assert all(set(t) == {"code", "title", "lead_indicator"} for t in area["tasks"])
        for m in area["metrics"]:
            assert METRIC_KEYS <= set(m) <= METRIC_KEYS | OPTIONAL_METRIC_KEYS, m["code"]
            assert m["measure"] in {"count", "ratio", "average", "rank", "milestone"}
            assert m["basis"] in {"month", "ytd", "year_end"}
            assert m["scope"] in {"units", "city"}
            assert m["reporters"] and all(isinstance(code, str) for code in m["reporters"])
            assert m["source"]


def test_it_holds_the_whole_plan(plan_2022):
    data, _ = export()

    assert [a["code"] for a in data["areas"]] == ["a1", "a2", "a3", "a4", "a5"]
    assert data["areas"][0]["name"] == "政务服务提优行动"
    assert sum(len(a["tasks"]) for a in data["areas"]) == 19
    assert len(metrics_of(data)) == 45
    assert len(data["indicators"]) == 18
    assert {"code": "business_start", "name": "企业开办", "lead_unit": "amr"} in data["indicators"]
    counties = [u for u in data["units"] if u["kind"] == "county"]
    assert len(counties) == 12
    assert counties[0] == {"code": "zhuhui", "name": "珠晖区", "kind": "county"}
    assert data["areas"][0]["tasks"][0] == {"code": "a1-1", "title": "提升企业开办服务效能", "lead_indicator": "business_start"}


def test_every_target_kind_appears_with_its_fields(plan_2022):
    data, _ = export()

    seen = set()
    for m in metrics_of(data).values():
        target = m["target"]
        kind = target["kind"]
        seen.add(kind)
        assert set(target) - OPTIONAL_FLAGS - OPTIONAL_FIELDS == {"kind", "tolerance"} | KIND_FIELDS[kind], m["code"]
        assert is_number(target["tolerance"])
        for name in ("value", "low", "high"):
            if name in target:
                assert is_number(target[name]), (m["code"], name)
        for flag in OPTIONAL_FLAGS & set(target):
            assert target[flag] is True
    # 2022 reads "220至280美元" as a ceiling with a stretch value; range stays for later plans
    assert seen == set(KIND_FIELDS) - {"range"}


@pytest.mark.parametrize(
    ("code", "unit", "measure", "scope", "target"),
    [
        ("business_start_days", "个工作日", "average", "units", {"kind": "at_most", "value": 0.5, "tolerance": 0}),
        ("social_project_approval_days", "个工作日", "average", "units", {"kind": "at_most", "value": 58, "tolerance": 0}),
        ("gov_project_approval_days", "个工作日", "average", "units", {"kind": "at_most", "value": 82, "tolerance": 0}),
        ("contactless_tax_rate", "%", "ratio", "city", {"kind": "at_least", "value": 90, "tolerance": 0}),
        ("trade_compliance_cost", "美元", "average", "city", {"kind": "at_most", "value": 280, "stretch": 220, "tolerance": 0}),
        (
            "outage_hours",
            "小时",
            "average",
            "city",
            {"kind": "change_vs_last_year", "value": 8, "direction": "lower", "tolerance": 0},
        ),
        (
            "small_loan_growth",
            "%",
            "ratio",
            "city",
            {"kind": "relative_to", "metric": "loan_growth", "direction": "higher", "tolerance": 0},
        ),
        ("loan_growth", "%", "ratio", "city", {"kind": "reference", "tolerance": 0}),
        (
            "tech_smes",
            "家",
            "count",
            "city",
            {"kind": "exceed", "value": 1000, "pace": True, "tolerance": 50},  # from the stock (baseline)
        ),
        (
            "high_tech_enterprises",
            "家",
            "count",
            "city",
            {
                "kind": "exceed",
                "value": 800,
                "pace": True,
                "pace_profile": "batch",
                "batch_months": [10, 11, 12],
                "tolerance": 40,
            },
        ),
        (
            "double_random_coverage",
            "%",
            "ratio",
            "units",
            {"kind": "at_least", "value": 100, "pace": True, "pace_from": 0, "tolerance": 0},
        ),
        ("arrears_balance", None, "count", "units", {"kind": "exactly", "value": 0, "tolerance": 0}),
        ("power_160kva", None, "milestone", "city", {"kind": "milestone", "due": "2022-12-31", "tolerance": 0}),
        (
            "no_application_policies",
            None,
            "milestone",
            "units",
            {
                "kind": "milestone",
                "due": "2022-12-31",
                "checkpoints": [{"name": "方案印发", "due": "2022-06-30"}, {"name": "系统上线", "due": "2022-09-30"}],
                "tolerance": 0,
            },
        ),
        ("digital_gov_rank", "名", "rank", "city", {"kind": "rank", "value": 3, "year_end_only": True, "tolerance": 0}),
        (
            "ip_strength_rank",
            "名",
            "rank",
            "city",
            {"kind": "keep", "direction": "lower", "year_end_only": True, "tolerance": 0},
        ),
        ("summary_procedure_rate", "%", "ratio", "units", {"kind": "improve", "direction": "higher", "tolerance": 0}),
        ("water_gas_steps", None, "count", "units", {"kind": "at_most", "value": 2, "tolerance": 0}),
    ],
)
def test_metrics_carry_the_plans_numbers(plan_2022, code, unit, measure, scope, target):
    m = metrics_of(export()[0])[code]

    assert m["target"] == target
    assert (m["measure"], m["scope"]) == (measure, scope)
    if unit is not None:
        assert m["unit"] == unit


def test_basis_says_what_a_months_figure_holds(plan_2022):
    metrics = metrics_of(export()[0])

    assert metrics["tax_payments"]["basis"] == "year_end"  # the tax bureau's modelled annual figure
    assert metrics["tech_smes"]["basis"] == "ytd"
    assert metrics["double_random_coverage"]["basis"] == "ytd"
    assert metrics["business_start_days"]["basis"] == "month"


def test_sources_are_the_plans_sentences(plan_2022):
    metrics = metrics_of(export()[0])

    assert metrics["business_start_days"]["source"] == "实现全市企业开办0.5个工作日内办结"
    assert "58个工作日" in metrics["social_project_approval_days"]["source"]
    assert "82个工作日" in metrics["gov_project_approval_days"]["source"]
    assert "90%" in metrics["contactless_tax_rate"]["source"]
    assert "220至280美元" in metrics["trade_compliance_cost"]["source"]
    assert "8%" in metrics["outage_hours"]["source"]
    assert "1000" in metrics["tech_smes"]["source"] and "800" in metrics["high_tech_enterprises"]["source"]


def test_percent_is_written_in_percent_and_numbers_are_json_numbers(plan_2022):
    data, text = export()

    assert metrics_of(data)["contactless_tax_rate"]["target"]["value"] == 90  # not 0.9
    assert '"value": 0.5' in text and '"value": 90,' in text
    assert '"value": "' not in text and '"tolerance": "' not in text


def test_reporters_follow_the_assignments(plan_2022):
    metrics = metrics_of(export()[0])

    assert metrics["tax_payments"]["reporters"] == ["tax"]
    assert len(metrics["business_start_days"]["reporters"]) == 23  # 12 counties, 10 parks and 市本级 (amr)
    assert metrics["business_start_days"]["reporters"][:2] == ["zhuhui", "yanfeng"]
    assert len(metrics["summary_procedure_rate"]["reporters"]) == 12


def test_an_unknown_year_is_a_clear_error(plan_2022):
    with pytest.raises(CommandError, match="没有2023年的方案"):
        export(2023)


def test_groups_benchmarks_pending_and_county_parks_are_exported(plan_2022):
    data, _ = export()
    metrics = metrics_of(data)
    units = {u["code"]: u for u in data["units"]}

    assert [g["code"] for g in data["scoring"]["groups"]] == ["counties", "parks", "departments", "stationed"]
    assert set(data["scoring"]["groups"][3]["units"]) == {"tax", "customs", "power", "pbc"}  # units' group: stationed
    assert data["scoring"]["parts"] == [
        {"code": "met", "weight": 60},
        {"code": "timeliness", "weight": 25},
        {"code": "improvement", "weight": 15},
    ]
    assert data["scoring"]["red_black"] == 3
    assert units["xidu"]["cases_in_county"] == "hengyangxian" and "cases_in_county" not in units["gaoxin"]
    assert metrics["tech_smes"]["benchmarks"] == [{"kind": "hengyang_2021", "name": "衡阳2021年", "value": 850}]
    assert metrics["code_protection"]["pending"] == ["due"]
    assert "pending" not in metrics["power_hv_steps"] and "benchmarks" not in metrics["power_hv_steps"]
    assert "approval" in metrics["social_project_approval_days"]["reporters"]  # 市本级


def test_a_ledger_items_assumptions_and_their_confirmation_are_exported(plan_2022, users):
    from indicators.assumptions import deliverable_confirm
    from indicators.ledger.models import Deliverable

    Deliverable.objects.filter(code="a5-3-invited-mediation").update(pending=["due"])
    item = next(d for d in export()[0]["deliverables"] if d["code"] == "a5-3-invited-mediation")
    assert item["pending"] == ["due"] and "confirmed" not in item

    deliverable_confirm(deliverable=Deliverable.objects.get(code="a5-3-invited-mediation"), field="due", user=users["office"])

    item = next(d for d in export()[0]["deliverables"] if d["code"] == "a5-3-invited-mediation")
    assert item["confirmed"] == {"due": "2022-12-31"}  # no date in the plan: judged at the year's end, now confirmed
