"""The rules that propose orders are data in the plan file (`supervision:`), checked with
Chinese messages and kept by load_plan; their thresholds are the office's settings. A
rule the file does not list proposes nothing."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from conftest import PLAN_FILE
from indicators.planfile.parse import PlanFileError, parse_plan
from reports.supervision import proposals as proposing
from reports.supervision.models import OrderProposal, ProposalRule, SupervisionSettings
from reports.tests.dashboard_data import demo_year

TEXT = PLAN_FILE.read_text(encoding="utf-8")
RULES = """supervision:
  - {when: red_months, propose: supervise}     # 连续未达标 → 建议督办
  - {when: red_months, propose: listed}        # 连续未达标更久 → 建议挂牌督办
  - {when: order_overdue, propose: interview}  # 督办逾期未答复 → 建议约谈
  - {when: green_months, propose: close}       # 督办事项目标连续达标 → 建议销号
  - {when: deliverable_overdue, propose: supervise}  # 任务台账成果事项滞后 → 建议督办
"""


def test_the_2022_plan_lists_the_five_rules():
    assert RULES in TEXT
    assert parse_plan(TEXT).supervision == [
        {"when": "red_months", "propose": "supervise"},
        {"when": "red_months", "propose": "listed"},
        {"when": "order_overdue", "propose": "interview"},
        {"when": "green_months", "propose": "close"},
        {"when": "deliverable_overdue", "propose": "supervise"},
    ]


@pytest.mark.parametrize(
    ("section", "message"),
    [
        (
            "supervision:\n  - {when: red_months, propose: interview}\n",
            "“red_months”只能提出 listed / supervise,不能提出“interview”",
        ),
        ("supervision:\n  - {when: blue_months, propose: close}\n", "“blue_months”不是可选值之一"),
        ("supervision:\n  - {when: red_months, propose: listed, months: 3}\n", "未知的字段“months”"),
        ("supervision:\n  - {when: red_months, propose: listed}\n  - {when: red_months, propose: listed}\n", "重复"),
        ("supervision: 3\n", "应为规则列表"),
    ],
)
def test_a_wrong_rule_is_named_in_chinese(section, message):
    with pytest.raises(PlanFileError) as e:
        parse_plan(TEXT.replace(RULES, section))
    assert any(message in p for p in e.value.problems), e.value.problems


def test_load_plan_keeps_the_rules_and_a_reload_follows_the_file(plan_2022, tmp_path):
    assert list(ProposalRule.objects.filter(plan=plan_2022).values_list("when", "propose")) == [
        ("red_months", "supervise"),
        ("red_months", "listed"),
        ("order_overdue", "interview"),
        ("green_months", "close"),
        ("deliverable_overdue", "supervise"),
    ]
    edited = tmp_path / "plan.yaml"
    edited.write_text(TEXT.replace(RULES, "supervision:\n  - {when: red_months, propose: supervise}\n"), encoding="utf-8")
    call_command("load_plan", str(edited), stdout=StringIO())
    assert list(ProposalRule.objects.filter(plan=plan_2022).values_list("when", "propose")) == [("red_months", "supervise")]


def test_without_the_listed_rule_nothing_is_proposed_for_listing(plan_2022, tmp_path):
    demo_year(plan_2022)
    ProposalRule.objects.filter(plan=plan_2022, propose="listed").delete()
    ProposalRule.objects.filter(plan=plan_2022, when="deliverable_overdue").delete()  # red targets only here
    SupervisionSettings.objects.create(red_supervise=2, red_listed=3)
    proposing.proposals_refresh(plan=plan_2022, period=date(2022, 12, 1), today=date(2023, 1, 6))
    kinds = set(OrderProposal.objects.values_list("kind", flat=True))
    assert kinds == {"supervise"}
    # the office raises its threshold: fewer targets qualify
    n_two = OrderProposal.objects.count()
    OrderProposal.objects.all().delete()
    SupervisionSettings.objects.update(red_supervise=3)
    proposing.proposals_refresh(plan=plan_2022, period=date(2022, 12, 1), today=date(2023, 1, 6))
    assert 0 < OrderProposal.objects.count() < n_two
    assert all(p.run >= 3 for p in OrderProposal.objects.all())
