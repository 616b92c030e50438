"""`load_plan` with a file that cannot be loaded as it stands: a clash with the database,
several problems at once (all listed), a file that is not a plan, not UTF-8 (a BOM is
fine), missing, or holding a NUL character. Nothing is loaded."""

import pytest
from django.core.management import CommandError, call_command

from actions.models import Plan
from indicators.models import Metric
from indicators.tests.planfile_data import PLAN_FILE, PLAN_TEXT, counts, edited, load, snapshot


@pytest.mark.django_db
def test_a_clash_with_the_database_is_rejected_whole(tmp_path):
    """Units are shared by all years: a new code with an existing unit's name clashes
    with the database, not with the file."""
    load(PLAN_FILE)
    before = snapshot()
    path = edited(tmp_path, ("  - {code: zhuhui, name: 珠晖区", "  - {code: zhuhui_new, name: 珠晖区"))

    with pytest.raises(CommandError) as exc:
        load(path)

    assert "与数据库中已有数据冲突,未载入任何内容" in str(exc.value)
    assert "名称" in str(exc.value)
    assert snapshot() == before


@pytest.mark.django_db
def test_every_problem_is_listed_at_once(tmp_path):
    path = edited(
        tmp_path,
        ("{kind: at_most, value: 280, stretch: 220}", "{kind: range, low: 300, high: 280}"),
        ("metric: loan_growth, direction", "metric: nowhere, direction"),
        ("        name: 企业开办时间\n", ""),
    )
    with pytest.raises(CommandError) as exc:
        load(path)
    message = str(exc.value)
    assert "有 3 处错误" in message
    assert "区间下限" in message and "nowhere" in message and "缺少必填字段“name”" in message


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "应为一个方案"),
        ("- just\n- a list\n", "应为一个方案"),
        ("year: 2022\n", "缺少必填字段“title”"),
    ],
)
def test_files_that_are_not_a_plan_are_rejected(tmp_path, text, words):
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError, match=words):
        load(path)
    assert all(n == 0 for n in counts().values())


@pytest.mark.django_db
def test_a_file_saved_in_gbk_is_a_clear_error(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_bytes(PLAN_TEXT.encode("gb18030"))

    with pytest.raises(CommandError, match="不是 UTF-8 编码"):
        load(path)


@pytest.mark.django_db
def test_a_file_with_a_bom_loads(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_bytes(PLAN_TEXT.encode("utf-8-sig"))

    load(path)

    assert Metric.objects.count() == 45


@pytest.mark.django_db
def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="无法读取方案文件"):
        load(tmp_path / "nowhere.yaml")


def test_a_nul_character_in_a_text_is_a_field_error(db, tmp_path):
    path = tmp_path / "plan.yaml"
    text = PLAN_TEXT.replace("title: 衡阳市2022年聚力中心化优化营商环境攻坚年行动方案", 'title: "衡阳\\0市"', 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError, match="title"):
        call_command("load_plan", str(path))
    assert not Plan.objects.exists()
