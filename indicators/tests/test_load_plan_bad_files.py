"""`load_plan` with a bad plan file, one mistake at a time (syntax, a missing or unknown
field, an unknown code, a duplicate, a value out of range, ...): the file is rejected
whole, on an empty database and over a loaded plan alike, and the message names the
problem by line and field."""

import pytest
from django.core.management import CommandError

from indicators.tests.planfile_data import counts, edited, load, snapshot


def line_of(text: str, fragment: str) -> int:
    """1-based line of the first occurrence of fragment."""
    return text[: text.index(fragment)].count("\n") + 1


# -- bad files: rejected whole, with line and field -----------------------------------

M0 = "      - code: business_start_days\n"
LAST = "      - code: ip_strength_rank\n"

BAD_FILES = [
    # (case, (old, new), line marker in the edited text, words the message must contain)
    (
        "yaml syntax",
        ("    name: 政务服务提优行动\n", "    name: @政务服务提优行动\n"),
        "    name: @政务服务提优行动",
        ["YAML 语法错误"],
    ),
    ("missing field", ("        name: 企业开办时间\n", ""), M0, ["缺少必填字段“name”", "metrics[0](business_start_days)"]),
    (
        "unknown kind",
        ("target: {kind: at_most, value: 0.5}", "target: {kind: at_mostt, value: 0.5}"),
        "target: {kind: at_mostt",
        ["target.kind", "“at_mostt”不是可选值之一"],
    ),
    (
        "range low > high",
        ("{kind: at_most, value: 280, stretch: 220}", "{kind: range, low: 300, high: 280}"),
        "{kind: range, low: 300",
        ["target.low", "区间下限 300 大于上限 280"],
    ),
    (
        "unknown relative metric",
        ("metric: loan_growth, direction", "metric: loan_growthx, direction"),
        "metric: loan_growthx",
        ["target.metric", "未定义的指标编码“loan_growthx”"],
    ),
    (
        "unknown reporter",
        ("reporters: [approval]", "reporters: [approvall]"),
        "reporters: [approvall]",
        ["reporters", "未定义的单位编码或分组“approvall”"],
    ),
    (
        "unknown indicator of a task",
        ("        lead_indicator: business_start\n", "        lead_indicator: business_startx\n"),
        "lead_indicator: business_startx",
        ["lead_indicator", "未定义的指标编码“business_startx”"],
    ),
    (
        "duplicate metric code",
        ("      - code: tax_hours\n", "      - code: tax_payments\n"),
        "      - code: tax_payments\n        name: 纳税时间",
        ["code", "编码“tax_payments”重复"],
    ),
    (
        "duplicate unit code",
        ("  - {code: yanfeng, name: 雁峰区", "  - {code: zhuhui, name: 雁峰区"),
        "  - {code: zhuhui, name: 雁峰区",
        ["units[1](zhuhui).code", "单位编码“zhuhui”重复"],
    ),
    (
        "duplicate key in one mapping",
        ("        name: 企业开办时间\n", "        name: 企业开办时间\n        name: 企业开办用时\n"),
        "        name: 企业开办用时",
        ["重复的字段“name”"],
    ),
    (
        "duplicate unit name",
        ("  - {code: yanfeng, name: 雁峰区", "  - {code: yanfeng, name: 珠晖区"),
        "  - {code: yanfeng, name: 珠晖区",
        ["units[1](yanfeng).name", "单位名称“珠晖区”与 zhuhui 重复"],
    ),
    (
        "pace without baseline",
        ("        baseline: 680   # placeholder 待市优化办核定\n", ""),
        "      - code: high_tech_enterprises\n",
        ["baseline", "pace: true", "pace_from"],
    ),
    (
        "tolerance on a target that is not paced",
        ("target: {kind: at_most, value: 0.5}", "target: {kind: at_most, value: 0.5, tolerance: 0.5}"),
        "tolerance: 0.5}",
        ["target.tolerance", "预警容差只适用于按时序进度考核", "未达到目标一律为未达标"],
    ),
    (
        "stretch worse than the target",
        ("{kind: at_most, value: 280, stretch: 220}", "{kind: at_most, value: 280, stretch: 300}"),
        "stretch: 300",
        ["target.stretch", "力争值 300 应优于目标值 280"],
    ),
    (
        "stretch on a kind without one",
        ("{kind: rank, value: 3, year_end_only: true}", "{kind: rank, value: 3, year_end_only: true, stretch: 1}"),
        "stretch: 1}",
        ["target.stretch", "只适用于 at_most / at_least"],
    ),
    (
        "unknown basis",
        (
            "        basis: year_end\n        scope: city\n        reporters: [tax]\n        target: {kind: at_most, value: 5}",
            "        basis: yearly\n        scope: city\n        reporters: [tax]\n        target: {kind: at_most, value: 5}",
        ),
        "basis: yearly",
        ["basis", "“yearly”不是可选值之一"],
    ),
    (
        "unknown pace profile",
        ("pace_profile: batch, batch_months", "pace_profile: batches, batch_months"),
        "pace_profile: batches",
        ["target.pace_profile", "“batches”不是可选值之一"],
    ),
    (
        "batch month outside the year",
        ("batch_months: [10, 11, 12]", "batch_months: [10, 11, 13]"),
        "batch_months: [10, 11, 13]",
        ["target.batch_months", "批次月份“13”应为 1 至 12 的整数"],
    ),
    (
        "batch without its months",
        ("pace_profile: batch, batch_months: [10, 11, 12], ", "pace_profile: batch, "),
        "pace_profile: batch, tolerance",
        ["target", "缺少必填字段“batch_months”"],
    ),
    (
        "pace on a kind without one number",
        ("{kind: keep, direction: lower, year_end_only: true}", "{kind: keep, direction: lower, pace: true}"),
        "{kind: keep, direction: lower, pace: true}",
        ["target.pace", "只适用于 at_most / at_least / exceed"],
    ),
    (
        "checkpoint after the due date",
        ("- {name: 系统上线, due: 2022-09-30}", "- {name: 系统上线, due: 2023-01-31}"),
        "- {name: 系统上线, due: 2023-01-31}",
        ["checkpoints[1].due", "节点日期 2023-01-31 晚于完成期限 2022-12-31"],
    ),
    (
        "checkpoint without a date",
        ("- {name: 系统上线, due: 2022-09-30}", "- {name: 系统上线}"),
        "- {name: 系统上线}",
        ["checkpoints[1]", "缺少必填字段“due”"],
    ),
    (
        "checkpoint with a bad date",
        ("- {name: 系统上线, due: 2022-09-30}", "- {name: 系统上线, due: 2022-09-31}"),
        "due: 2022-09-31",
        ["checkpoints[1].due", "“2022-09-31”不是有效的日期"],
    ),
    (
        "text where a number belongs",
        ("target: {kind: at_most, value: 0.5}", "target: {kind: at_most, value: 半天}"),
        "value: 半天",
        ["target.value", "“半天”不是有效的数字"],
    ),
    (
        "bad date",
        ("issued: 2022-05-17", "issued: 2022-05-32"),
        "issued: 2022-05-32",
        ["方案.issued", "“2022-05-32”不是有效的日期"],
    ),
    (
        "misspelt field",
        ("target: {kind: at_most, value: 0.5}", "target: {kind: at_most, value: 0.5, tolerence: 0.5}"),
        "tolerence: 0.5",
        ["target.tolerence", "未知的字段“tolerence”"],
    ),
    (
        "error in the last metric",
        (
            "        task: a5-2\n        unit: 名\n",
            "        task: a5-2\n        unit: 名名名名名名名名名名名名名名名名名名名名名\n",
        ),
        "        unit: 名名名",
        ["metrics[5](ip_strength_rank).unit", "超过 20 个字"],
    ),
    (
        "a county says its cases are in a county",
        (
            "  - {code: zhuhui, name: 珠晖区, kind: county}",
            "  - {code: zhuhui, name: 珠晖区, kind: county, cases_in_county: hengnan}",
        ),
        "  - {code: zhuhui, name: 珠晖区, kind: county, cases_in_county",
        ["units[0](zhuhui).cases_in_county", "只有园区(kind: park)可以填写 cases_in_county"],
    ),
    (
        "a park's cases in an unknown county",
        ("parent: hengyangxian, cases_in_county: hengyangxian}", "parent: hengyangxian, cases_in_county: hengyangxianx}"),
        "cases_in_county: hengyangxianx",
        ["cases_in_county", "未定义的单位编码“hengyangxianx”"],
    ),
    (
        "a park's cases in another county than its own",
        ("parent: changning, cases_in_county: changning}", "parent: changning, cases_in_county: leiyang}"),
        "cases_in_county: leiyang",
        ["cases_in_county", "与所属县市区 parent “changning”不一致"],
    ),
    (
        "a park's cases in a park",
        (
            "  - {code: songmu, name: 衡阳松木经济开发区, kind: park}",
            "  - {code: songmu, name: 衡阳松木经济开发区, kind: park, cases_in_county: gaoxin}",
        ),
        "cases_in_county: gaoxin",
        ["cases_in_county", "“gaoxin”不是县市区(kind: county)"],
    ),
    (
        "an unknown 待核定 field",
        ("        pending: [reading]\n", "        pending: [readin]\n"),
        "        pending: [readin]",
        ["(ip_strength_rank).pending", "“readin”不是可标记待核定的字段之一"],
    ),
    (
        "an unknown kind of benchmark",
        ("          - {kind: hengyang_2021, value: 850}", "          - {kind: hengyang2021, value: 850}"),
        "{kind: hengyang2021, value: 850}",
        ["benchmarks[0].kind", "“hengyang2021”不是可选值之一"],
    ),
    (
        "an unknown part of the score",
        ("    - {code: met, weight: 60}", "    - {code: mett, weight: 60}"),
        "{code: mett, weight: 60}",
        ["方案.scoring.parts[0](mett).code", "“mett”不是可选值之一"],
    ),
    (
        "a weight of 0",
        ("    - {code: timeliness, weight: 25}", "    - {code: timeliness, weight: 0}"),
        "{code: timeliness, weight: 0}",
        ["scoring.parts[1](timeliness).weight", "权重须为正整数"],
    ),
    (
        "a kind of unit in two groups",
        ("    - {code: parks, name: 园区, kinds: [park]}", "    - {code: parks, name: 园区, kinds: [county]}"),
        "{code: parks, name: 园区, kinds: [county]}",
        ["scoring.groups[1](parks).kinds", "单位类别“county”已在分组“counties”中"],
    ),
    (
        "an unknown unit in a group",
        ("    - {code: parks, name: 园区, kinds: [park]}", "    - {code: parks, name: 园区, units: [nosuch]}"),
        "{code: parks, name: 园区, units: [nosuch]}",
        ["scoring.groups[1](parks).units", "未定义的单位编码“nosuch”"],
    ),
    (
        "a misspelt scoring field",
        ("  red_black: 3 ", "  red_blak: 3 "),
        "  red_blak: 3",
        ["方案.scoring.red_blak", "未知的字段“red_blak”"],
    ),
    (
        "name too long for the database, last metric",
        (LAST + "        name: 知识产权综合实力全省排名\n", LAST + "        name: " + "长" * 101 + "\n"),
        "        name: 长长",
        ["metrics[", ".name", "超过 100 个字"],
    ),
]


def _expect_rejected(tmp_path, case, replacement, marker, words):
    path = edited(tmp_path, replacement)
    text = path.read_text(encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        load(path)
    message = str(exc.value)
    assert "未载入任何内容" in message, case
    assert f"第{line_of(text, marker)}行" in message, (case, message)
    for word in words:
        assert word in message, (case, word, message)


@pytest.mark.django_db
@pytest.mark.parametrize(("case", "replacement", "marker", "words"), BAD_FILES, ids=[c[0] for c in BAD_FILES])
def test_a_bad_file_is_rejected_whole_on_an_empty_database(tmp_path, case, replacement, marker, words):
    _expect_rejected(tmp_path, case, replacement, marker, words)

    assert all(n == 0 for n in counts().values())


@pytest.mark.django_db
@pytest.mark.parametrize(("case", "replacement", "marker", "words"), BAD_FILES, ids=[c[0] for c in BAD_FILES])
def test_a_bad_edit_changes_nothing_in_a_loaded_plan(plan_2022, tmp_path, case, replacement, marker, words):
    before = snapshot()  # plan_2022: the rows `load_plan` PLAN_FILE writes (conftest.py)

    _expect_rejected(tmp_path, case, replacement, marker, words)

    assert snapshot() == before
