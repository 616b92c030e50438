"""The metric page shows its 双对标 beside the target and marks the plan's assumptions as
待核定 until the office confirms them (by editing the plan file and loading it again);
the same list feeds a report's footnote."""

from io import StringIO
from pathlib import Path

from django.core.management import call_command

from actions.models import Plan
from indicators.models import Metric
from indicators.pending import pending_confirmations, pending_footnote, pending_of

PLAN_FILE = Path(__file__).resolve().parents[2] / "fixtures" / "plan_2022.yaml"


def page(client, users, code):
    client.force_login(users["office"])
    return client.get(f"/reports/dashboard/metrics/2022/{code}/").content.decode()


def test_an_assumed_due_date_shows_a_badge(client, users):
    html = page(client, users, "code_protection")

    assert "完成期限待核定" in html
    assert "待核定" in html and "据此得出的评判仅供参考" in html


def test_a_stated_target_has_no_badge(client, users):
    html = page(client, users, "power_hv_steps")  # 不超过3个环节: the plan says so
    assert "badge-pending" not in html and "待核定</span>" not in html  # the rule's text names 待核定 as a reason


def test_benchmarks_are_shown_beside_the_target(client, users):
    html = page(client, users, "tech_smes")

    assert "双对标" in html and "衡阳2021年:850 家" in html
    assert "对标值待核定" in html and "上年基数待核定" in html


def test_pending_confirmations_list_every_assumption_in_plan_order(plan_2022):
    items = pending_confirmations(plan_2022)

    codes = [i.metric.code for i in items]
    in_plan = list(plan_2022.metrics.values_list("code", flat=True))
    assert codes == sorted(codes, key=in_plan.index)  # plan order, a metric's marks together
    due = {i.metric.code: i.value for i in items if i.field == "due"}
    assert due == {
        "one_thing_policies": "2022-12-31",
        "no_application_policies": "2022-12-31",
        "code_protection": "2022-12-31",
        "ip_service_center": "2022-12-31",
        "tax_half_hour_circle": "2022-12-31",  # 半小时办税缴费服务圈: the plan gives no date
    }
    ranks = {i.metric.code: i.value for i in items if i.field == "value"}
    assert ranks == {"digital_gov_rank": "3"}  # the assumed cut-off (知识产权: not worse than last year)
    note = pending_footnote(plan_2022)
    assert note.startswith("注:方案数据中以下数值为暂定值,待市优化办核定") and "完成期限(5项指标)" in note


def test_the_office_confirms_by_editing_the_plan_file(plan_2022, tmp_path):
    text = PLAN_FILE.read_text(encoding="utf-8")
    start = text.index("      - code: code_protection")
    block = text[start : text.index("      - code: e_bidding_rate")]
    (tmp_path / "plan.yaml").write_text(text.replace(block, block.replace("        pending: [due]\n", "")), encoding="utf-8")

    call_command("load_plan", str(tmp_path / "plan.yaml"), stdout=StringIO())

    metric = Metric.objects.get(plan=Plan.objects.get(year=2022), code="code_protection")
    assert pending_of(metric) == []
    assert "code_protection" not in {i.metric.code for i in pending_confirmations(metric.plan)}
