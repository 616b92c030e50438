"""`export_status`: every metric × reporting unit and the city, with the status each
kind of target gives on small hand-computed data."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from actions.models import Unit
from indicators.models import Assignment, Baseline, Figure, Metric

JUNE, DECEMBER = "2022-06-01", "2022-12-01"


def export(period="2022-06") -> dict:
    out = StringIO()
    call_command("export_status", "--period", period, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def rows_by_key(data) -> dict:
    return {(r["metric"], r["unit"]): r for r in data["rows"]}


def put(unit, metric, period=JUNE, **values):
    return Figure.objects.create(
        unit=Unit.objects.get(code=unit), metric=Metric.objects.get(code=metric), period=period, **values
    )


def status(rows, metric, unit):
    return rows[(metric, unit)]["status"]


def test_one_row_per_metric_and_reporter_then_the_city(plan_2022):
    data = export()

    assert data["period"] == "2022-06"
    assert set(data) == {"period", "rows"}
    assert len(data["rows"]) == Assignment.objects.count() + Metric.objects.count()
    assert all(set(r) == {"metric", "unit", "value", "target", "status"} for r in data["rows"])
    # each metric: its reporters in unit order, then the city
    first = [r["unit"] for r in data["rows"] if r["metric"] == "business_start_days"]
    assert first[:2] == ["zhuhui", "yanfeng"] and first[-1] == "city" and len(first) == 24  # 市本级: amr
    assert [r["unit"] for r in data["rows"] if r["metric"] == "tax_payments"] == ["tax", "city"]
    assert [r["metric"] for r in data["rows"] if r["unit"] == "city"] == list(
        Metric.objects.order_by("area__number", "sort_order").values_list("code", flat=True)
    )


def test_nothing_reported_is_grey_everywhere(plan_2022):
    data = export()

    assert {r["status"] for r in data["rows"]} == {"grey"}
    assert {r["value"] for r in data["rows"]} == {None}


def test_city_ratio_is_sum_of_numerators_over_sum_of_denominators(plan_2022):
    # 50% of 100 cases and 100% of 10: the mean of percentages (75%) would pass the
    # 60% target; the city's real share, 60 of 110 = 54.5%, misses it beyond the 5-point band.
    put("zhuhui", "online_service_rate", numerator=50, denominator=100)
    put("yanfeng", "online_service_rate", numerator=10, denominator=10)

    rows = rows_by_key(export())

    assert rows[("online_service_rate", "zhuhui")]["value"] == 50
    assert rows[("online_service_rate", "yanfeng")]["value"] == 100
    city = rows[("online_service_rate", "city")]
    assert city["value"] == pytest.approx(60 / 110 * 100)
    assert city["status"] == "red"
    assert city["target"] == "≥ 60%"
    assert status(rows, "online_service_rate", "zhuhui") == "red"
    assert status(rows, "online_service_rate", "yanfeng") == "green"
    assert status(rows, "online_service_rate", "shigu") == "grey"


def test_city_average_is_weighted_by_cases(plan_2022):
    # 90 companies in 0.2 days, 10 in 3 days and 5 in 0.8: 52 / 105 = 0.495 days on
    # average (met); the plain mean of the three units, 1.33 days, would be a miss.
    put("zhuhui", "business_start_days", value="0.2", cases=90)
    put("yanfeng", "business_start_days", value="3.0", cases=10)
    put("shigu", "business_start_days", value="0.8", cases=5)

    rows = rows_by_key(export())

    city = rows[("business_start_days", "city")]
    assert city["value"] == pytest.approx(52 / 105)
    assert city["status"] == "green"
    assert city["target"] == "≤ 0.5 个工作日"
    assert status(rows, "business_start_days", "zhuhui") == "green"
    assert status(rows, "business_start_days", "yanfeng") == "red"
    assert status(rows, "business_start_days", "shigu") == "yellow"  # 0.8 ≤ 0.5 + 0.5


def test_city_steps_are_the_worst_units(plan_2022):
    put("urban", "water_gas_steps", value=2)
    put("hengnan", "water_gas_steps", value=4)
    put("nanyue", "water_gas_steps", value=1)

    rows = rows_by_key(export())

    assert rows[("water_gas_steps", "city")]["value"] == 4
    assert status(rows, "water_gas_steps", "city") == "red"
    assert status(rows, "water_gas_steps", "urban") == "green"
    assert status(rows, "water_gas_steps", "hengnan") == "red"


def test_city_count_is_the_sum(plan_2022):
    put("zhuhui", "arrears_balance", value=0)
    put("yanfeng", "arrears_balance", value=30)

    rows = rows_by_key(export())

    assert rows[("arrears_balance", "city")]["value"] == 30
    assert status(rows, "arrears_balance", "zhuhui") == "green"
    assert status(rows, "arrears_balance", "yanfeng") == "red"  # exactly 0, no band
    assert status(rows, "arrears_balance", "city") == "red"


@pytest.mark.parametrize(
    ("metric", "unit", "values", "expected_value", "expected"),
    [
        # at_least 90 %, band 5 points
        ("contactless_tax_rate", "tax", {"numerator": 45, "denominator": 50}, 90, "green"),
        ("contactless_tax_rate", "tax", {"numerator": 86, "denominator": 100}, 86, "yellow"),
        ("contactless_tax_rate", "tax", {"numerator": 84, "denominator": 100}, 84, "red"),
        # at_most 5 payments, band 1
        ("tax_payments", "tax", {"value": 6}, 6, "yellow"),
        ("tax_payments", "tax", {"value": 7}, 7, "red"),
        # range 220–280 dollars, band 20
        ("trade_compliance_cost", "commerce", {"value": 250, "cases": 5}, 250, "green"),
        ("trade_compliance_cost", "commerce", {"value": 290, "cases": 5}, 290, "yellow"),
        ("trade_compliance_cost", "commerce", {"value": 199, "cases": 5}, 199, "red"),
        # exceed 1000 at pace from 850: June expects 925, band 50
        ("tech_smes", "science", {"value": 926}, 926, "green"),
        ("tech_smes", "science", {"value": 925}, 925, "yellow"),
        ("tech_smes", "science", {"value": 875}, 875, "red"),
        # exactly 100 %, band 2 points
        ("double_random_coverage", "zhuhui", {"numerator": 50, "denominator": 50}, 100, "green"),
        ("double_random_coverage", "zhuhui", {"numerator": 49, "denominator": 50}, 98, "yellow"),
        ("double_random_coverage", "zhuhui", {"numerator": 97, "denominator": 100}, 97, "red"),
        # rank 3 or better, band 2
        ("digital_gov_rank", "approval", {"value": 3}, 3, "green"),
        ("digital_gov_rank", "approval", {"value": 5}, 5, "yellow"),
        ("digital_gov_rank", "approval", {"value": 6}, 6, "red"),
        # change vs last year: cut by 8 %, band 2 points; last year 10 hours
        ("outage_hours", "power", {"value": "9.2", "cases": 3, "last_year_value": 10}, 9.2, "green"),
        ("outage_hours", "power", {"value": "9.4", "cases": 3, "last_year_value": 10}, 9.4, "yellow"),
        ("outage_hours", "power", {"value": "9.5", "cases": 3, "last_year_value": 10}, 9.5, "red"),
        ("outage_hours", "power", {"value": "12", "cases": 3, "last_year_value": 10}, 12, "red"),
        # improve (higher), no band: against the stated last-year value
        ("post_filing_index", "tax", {"value": 55, "last_year_value": 52}, 55, "green"),
        ("post_filing_index", "tax", {"value": 52, "last_year_value": 52}, 52, "yellow"),
        ("post_filing_index", "tax", {"value": 50, "last_year_value": 52}, 50, "red"),
        # milestone due 2022-12-31, judged in June
        ("power_160kva", "power", {"state": "in_progress"}, "in_progress", "yellow"),
        ("power_160kva", "power", {"state": "done"}, "done", "green"),
        ("power_160kva", "power", {"state": "not_started"}, "not_started", "yellow"),
    ],
)
def test_status_of_each_kind(plan_2022, metric, unit, values, expected_value, expected):
    values = dict(values)
    if "last_year_value" in values:  # the office's baseline (上年同期值), not typed by the unit
        Baseline.objects.create(
            metric=Metric.objects.get(code=metric), unit=Unit.objects.get(code=unit), period="2021-06-01",
            value=values.pop("last_year_value"),
        )  # fmt: skip
    put(unit, metric, **values)

    rows = rows_by_key(export())

    row = rows[(metric, unit)]
    if isinstance(expected_value, str):
        assert row["value"] == expected_value
    else:
        assert row["value"] == pytest.approx(expected_value)
    assert row["status"] == expected
    # a single reporter: the city row says the same
    assert status(rows, metric, "city") == expected


def test_change_vs_last_year_without_last_year_is_grey(plan_2022):
    put("power", "outage_hours", value="9.2", cases=3)

    rows = rows_by_key(export())

    assert status(rows, "outage_hours", "power") == "grey"


def test_relative_to_compares_with_the_other_metrics_value(plan_2022):
    put("pbc", "loan_growth", numerator=10, denominator=100)  # 10 %
    put("pbc", "small_loan_growth", numerator="9.5", denominator=100)  # 9.5 %: within 1 point

    rows = rows_by_key(export())

    assert status(rows, "small_loan_growth", "pbc") == "yellow"
    assert status(rows, "small_loan_growth", "city") == "yellow"
    assert rows[("small_loan_growth", "pbc")]["target"] == "不低于「各项贷款较年初增速」"
    assert status(rows, "loan_growth", "pbc") == "grey"  # a reference is never judged


@pytest.mark.parametrize(("small", "expected"), [("12", "green"), ("10", "green"), ("8.9", "red")])
def test_relative_to_both_sides(plan_2022, small, expected):
    put("pbc", "loan_growth", numerator=10, denominator=100)
    put("pbc", "small_loan_growth", numerator=small, denominator=100)

    assert status(rows_by_key(export()), "small_loan_growth", "pbc") == expected


def test_relative_to_without_the_other_figure_is_grey(plan_2022):
    put("pbc", "small_loan_growth", numerator=12, denominator=100)

    assert status(rows_by_key(export()), "small_loan_growth", "pbc") == "grey"


@pytest.mark.parametrize(("state", "expected"), [("in_progress", "red"), ("not_started", "red"), ("done", "green")])
def test_a_milestone_not_done_by_its_due_month_is_red(plan_2022, state, expected):
    put("power", "power_160kva", period=DECEMBER, state=state)

    rows = rows_by_key(export("2022-12"))

    assert status(rows, "power_160kva", "power") == expected
    assert rows[("power_160kva", "power")]["target"] == "2022-12-31 前完成"


def test_a_milestone_city_row_is_done_only_when_every_reporter_is(plan_2022):
    put("zhuhui", "one_thing_policies", period=DECEMBER, state="done")
    put("yanfeng", "one_thing_policies", period=DECEMBER, state="in_progress")

    rows = rows_by_key(export("2022-12"))

    assert rows[("one_thing_policies", "city")]["value"] == "in_progress"
    assert status(rows, "one_thing_policies", "city") == "red"
    assert status(rows, "one_thing_policies", "zhuhui") == "green"
    assert status(rows, "one_thing_policies", "shigu") == "grey"


def test_figures_of_other_months_do_not_count(plan_2022):
    put("tax", "tax_payments", period="2022-05-01", value=3)

    assert status(rows_by_key(export()), "tax_payments", "tax") == "grey"


@pytest.mark.parametrize(
    ("period", "message"), [("2022-13", "月份“2022-13”不存在"), ("June", "格式不正确"), ("2023-01", "没有2023年的方案")]
)
def test_a_bad_period_is_a_clear_error(plan_2022, period, message):
    with pytest.raises(CommandError, match=message):
        export(period)
