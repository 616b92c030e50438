"""Who reports each metric of the 2022 plan, as the work is really done (the reading
recorded in the plan file next to each sentence), and a city figure that counts each
case once: a county park whose cases are inside its county's figure is shown and
judged, but left out of the city total."""

from datetime import date

from actions.models import Unit
from indicators.models import Assignment, Figure, Metric
from indicators.selectors import status_board

JUNE = date(2022, 6, 1)
CENTRAL = {"zhuhui", "yanfeng", "shigu", "zhengxiang"}  # 中心城区: city-level bodies handle these cases

C, P, D = "county", "park", "department"
ALL_COUNTIES, OUTER_COUNTIES = "all", "outer"  # every county; the counties outside 中心城区

# metric → (counties, parks report?, the departments that report it)
READING = {
    "business_start_days": (ALL_COUNTIES, True, {"amr"}),
    "tax_payments": (None, False, {"tax"}),
    "tax_hours": (None, False, {"tax"}),
    "contactless_tax_rate": (None, False, {"tax"}),
    "post_filing_index": (None, False, {"tax"}),
    "online_service_rate": (ALL_COUNTIES, True, {"approval"}),
    "digital_gov_rank": (None, False, {"approval"}),
    "import_clearance_hours": (None, False, {"customs"}),
    "export_clearance_hours": (None, False, {"customs"}),
    "trade_compliance_cost": (None, False, {"commerce"}),
    "export_rebate_days": (None, False, {"tax"}),
    "tax_half_hour_circle": (None, False, {"tax"}),
    "social_project_approval_days": (ALL_COUNTIES, True, {"approval"}),
    "gov_project_approval_days": (ALL_COUNTIES, True, {"approval"}),
    "power_hv_steps": (None, False, {"power"}),
    "power_hv_days": (None, False, {"power"}),
    "outage_hours": (None, False, {"power"}),
    "power_160kva": (None, False, {"power"}),
    "water_gas_steps": (OUTER_COUNTIES, False, {"urban"}),
    "water_gas_connect_days": (OUTER_COUNTIES, False, {"urban"}),
    "gas_pipeline_days": (OUTER_COUNTIES, False, {"urban"}),
    "low_risk_first_registration_days": (OUTER_COUNTIES, False, {"natural_resources"}),
    "enterprise_transfer_registration_days": (OUTER_COUNTIES, False, {"natural_resources"}),
    "property_instant_rate": (OUTER_COUNTIES, False, {"natural_resources"}),
    "small_loan_growth": (None, False, {"pbc"}),
    "loan_growth": (None, False, {"pbc"}),
    "guarantee_fee_rate": (None, False, {"finance_office"}),
    "arbitration_closure_rate": (ALL_COUNTIES, False, {"hrss"}),
    "mediation_success_rate": (ALL_COUNTIES, False, {"hrss"}),
    "one_thing_policies": (ALL_COUNTIES, True, {"ndrc"}),
    "no_application_policies": (ALL_COUNTIES, True, {"ndrc"}),
    "arrears_balance": (ALL_COUNTIES, True, {"miit"}),
    "double_random_coverage": (ALL_COUNTIES, False, {"amr"}),
    "code_protection": (None, False, {"amr"}),
    "e_bidding_rate": (OUTER_COUNTIES, False, {"trading_center"}),
    "non_cash_deposit_rate": (OUTER_COUNTIES, False, {"trading_center"}),
    "sme_reserved_share": (ALL_COUNTIES, False, {"finance"}),
    "tech_smes": (None, False, {"science"}),
    "high_tech_enterprises": (None, False, {"science"}),
    "first_instance_closure_rate": (ALL_COUNTIES, False, {"court"}),
    "summary_procedure_rate": (ALL_COUNTIES, False, set()),  # 简易程序: basic courts only
    "enforcement_rate": (ALL_COUNTIES, False, {"court"}),
    "bankruptcy_days": (None, False, {"court"}),
    "ip_service_center": (None, False, {"amr"}),
    "ip_strength_rank": (None, False, {"amr"}),
}


def reporters(metric_code) -> list[Unit]:
    return [a.unit for a in Assignment.objects.filter(metric__code=metric_code).select_related("unit")]


def test_every_metric_of_the_plan_has_a_reading(plan_2022):
    assert set(Metric.objects.values_list("code", flat=True)) == set(READING)


def test_reporters_are_those_of_the_reading(plan_2022):
    """Per metric of the plan: its reporters' kinds and departments (one load of the
    plan for all 45; a mismatch names its metric)."""
    all_counties = set(Unit.objects.filter(kind=C).values_list("code", flat=True))
    all_parks = set(Unit.objects.filter(kind=P).values_list("code", flat=True))
    wrong = {}
    for code, (counties, parks, departments) in READING.items():
        units = reporters(code)
        want = (
            {ALL_COUNTIES: all_counties, OUTER_COUNTIES: all_counties - CENTRAL, None: set()}[counties],
            all_parks if parks else set(),
            departments,
        )
        got = tuple({u.code for u in units if u.kind == kind} for kind in (C, P, D))
        if got != want:
            wrong[code] = (got, want)
        if "报送:" not in Metric.objects.get(code=code).reading:  # the reading sits next to the plan's sentence
            wrong[code] = "reading says nothing of who reports"
    assert wrong == {}


def test_a_park_reports_in_the_city_only_through_a_county_that_reports_too(plan_2022):
    """A county park whose cases are in its county's figure reports only where its county
    does: its cases then reach the city total exactly once, through the county."""
    wrong = []
    for code in READING:
        units = reporters(code)
        codes = {u.code for u in units}
        wrong += [(code, u.code) for u in units if not u.counts_in_city and u.cases_in_county.code not in codes]
    assert wrong == []
    assert Unit.objects.filter(kind=P, cases_in_county__isnull=False).count() == 7  # the county parks


FUNCTIONS_PARKS_LACK = [
    "low_risk_first_registration_days",  # 不动产登记
    "enterprise_transfer_registration_days",
    "property_instant_rate",
    "arbitration_closure_rate",  # 劳动争议仲裁
    "mediation_success_rate",
    "water_gas_steps",  # 用水用气
    "water_gas_connect_days",
    "gas_pipeline_days",
]


def test_parks_do_not_report_functions_they_lack(plan_2022):
    assert {code: [u.code for u in reporters(code) if u.kind == P] for code in FUNCTIONS_PARKS_LACK} == {
        code: [] for code in FUNCTIONS_PARKS_LACK
    }


def _fill(metric: Metric, units, n=10):
    figures = []
    for u in units:
        f = Figure(unit=u, metric=metric, period=JUNE)
        if metric.measure == Metric.Measure.RATIO:
            f.numerator, f.denominator = n - 1, n
        elif metric.measure == Metric.Measure.AVERAGE:
            f.value, f.cases = 1, n
        elif metric.measure == Metric.Measure.MILESTONE:
            f.state = "done"
        else:
            f.value = n
        figures.append(f)
    Figure.objects.bulk_create(figures)


def _city_count(metric: Metric, reading):
    """How many cases (or, for a sum, how much) the city figure holds."""
    if metric.measure == Metric.Measure.RATIO:
        return reading.denominator
    if metric.measure == Metric.Measure.AVERAGE:
        return reading.cases
    return reading.value


SUMMED = sorted(
    code
    for code in READING
    if code not in {"tax_payments", "tax_hours", "post_filing_index", "power_hv_steps", "water_gas_steps", "digital_gov_rank"}
    and code != "low_risk_first_registration_days"  # the worst unit's shortest case, not a sum
    and code not in {"power_160kva", "one_thing_policies", "no_application_policies", "code_protection", "ip_service_center"}
    and code != "tax_half_hour_circle"  # a milestone, like the ones above
    and code != "ip_strength_rank"
)


def test_the_city_figure_counts_each_case_once(plan_2022):
    """Every reporter of every summed metric reports 10 cases: the city holds 10 per
    reporter whose cases are not already inside its county's figure."""
    metrics = {m.code: m for m in Metric.objects.filter(code__in=SUMMED)}
    for code in SUMMED:
        _fill(metrics[code], reporters(code))

    board = status_board(plan=plan_2022, period=JUNE)

    wrong = {}
    for code in SUMMED:
        metric, units = metrics[code], reporters(code)
        counted = sum(1 for u in units if u.counts_in_city)
        got = _city_count(metric, board.city_rows[metric.pk].reading)
        if got != 10 * counted:
            wrong[code] = (got, 10 * counted)
        # every reporter's own figure is still shown and judged
        shown = {r.unit.code for r in board.unit_rows if r.metric.pk == metric.pk and r.value is not None}
        if shown != {u.code for u in units}:
            wrong[code] = shown
    assert wrong == {}


def test_a_county_parks_cases_are_not_added_to_the_city_twice(plan_2022):
    """衡阳县 reports 10 companies started, 6 of them in 西渡高新区, which reports its 6
    too: the city has 10 + the rest, not 16."""
    metric = Metric.objects.get(code="business_start_days")
    put = {"hengyangxian": ("0.4", 10), "xidu": ("0.4", 6), "gaoxin": ("0.3", 5)}
    for code, (value, cases) in put.items():
        Figure.objects.create(unit=Unit.objects.get(code=code), metric=metric, period=JUNE, value=value, cases=cases)

    board = status_board(plan=plan_2022, period=JUNE)

    assert board.city_rows[metric.pk].reading.cases == 15
    xidu = next(r for r in board.unit_rows if r.metric.pk == metric.pk and r.unit.code == "xidu")
    assert xidu.status.value == "green"  # shown and judged for the park
