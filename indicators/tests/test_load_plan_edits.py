"""`load_plan` with an edited plan file: it changes only what was edited (a target,
reporters, a task inserted, areas swapped), and what the file no longer holds leaves the
plan unless figures were already reported against it."""

import pytest

from actions.models import ActionArea, Task, Unit
from indicators.models import Assignment, Figure, Metric
from indicators.tests.planfile_data import PLAN_FILE, PLAN_TEXT, edited, load, snapshot

# -- what an edited file changes -----------------------------------------------------


@pytest.mark.django_db
def test_an_edited_file_updates_only_what_changed(tmp_path):
    load(PLAN_FILE)
    before = snapshot()
    metric_id = Metric.objects.get(code="business_start_days").pk
    path = edited(tmp_path, ("target: {kind: at_most, value: 0.5}", "target: {kind: at_most, value: 0.4}"))

    out = load(path)

    after = snapshot()
    assert "目标指标更新 1" in out
    assert "新增" not in out and "删除" not in out
    changed = {name for name in before if before[name] != after[name]}
    assert changed == {"Metric"}
    changed_rows = [row for row in after["Metric"] if row not in before["Metric"]]
    assert [row[0] for row in changed_rows] == [metric_id]
    assert str(Metric.objects.get(pk=metric_id).value) == "0.400000"


@pytest.mark.django_db
def test_an_edited_file_adds_and_drops_reporters(tmp_path, plan_2022):
    """A reporter dropped from the file loses its assignment, unless it already has
    figures (they would lose their reporter)."""
    metric = Metric.objects.get(code="first_instance_closure_rate")
    hengnan, qidong = Unit.objects.get(code="hengnan"), Unit.objects.get(code="qidong")
    Figure.objects.create(unit=qidong, metric=metric, period="2022-06-01", numerator=9, denominator=10)
    old = "        reporters: [counties, court]\n        target: {kind: at_least, value: 95}"
    new = "        reporters: [zhuhui, gaoxin]\n        target: {kind: at_least, value: 95}"
    out = load(edited(tmp_path, (old, new)))

    reporters = set(Assignment.objects.filter(metric=metric).values_list("unit__code", flat=True))
    assert reporters == {"zhuhui", "gaoxin", "qidong"}
    assert hengnan.code not in reporters
    assert "报送分工新增 1" in out and "报送分工删除 11" in out  # 10 counties and the court


@pytest.mark.django_db
def test_an_edited_file_can_insert_a_task_before_others(tmp_path):
    """Tasks are numbered by their place in the file: inserting one renumbers the rest."""
    load(PLAN_FILE)
    new_task = (
        "      - code: a1-0\n        title: 新增任务\n        lead_indicator: business_start\n        text: 新增的任务内容\n"
        "      - code: a1-1\n"
    )
    out = load(edited(tmp_path, ("      - code: a1-1\n", new_task)))

    numbers = dict(Task.objects.filter(area__code="a1").values_list("code", "number"))
    assert numbers == {"a1-0": 1, "a1-1": 2, "a1-2": 3, "a1-3": 4, "a1-4": 5}
    assert "任务新增 1" in out and "任务更新 4" in out


@pytest.mark.django_db
def test_an_edited_file_can_swap_two_areas(tmp_path):
    load(PLAN_FILE)
    text = PLAN_TEXT
    start4, start5 = text.index("  - code: a4\n"), text.index("  - code: a5\n")
    swapped = text[:start4] + text[start5:].rstrip("\n") + "\n" + text[start4:start5]
    path = tmp_path / "plan.yaml"
    path.write_text(swapped, encoding="utf-8")

    load(path)

    assert dict(ActionArea.objects.values_list("code", "number")) == {"a1": 1, "a2": 2, "a3": 3, "a4": 5, "a5": 4}


# -- what an edited file no longer holds ----------------------------------------------


def without_metric(code: str, text: str = PLAN_TEXT) -> str:
    start = text.index(f"      - code: {code}\n")
    end = text.index("      - code: ", start + 1)
    return text[:start] + text[end:]


@pytest.mark.django_db
def test_a_metric_removed_from_the_file_leaves_the_plan(tmp_path):
    load(PLAN_FILE)
    path = tmp_path / "plan.yaml"
    path.write_text(without_metric("tax_hours"), encoding="utf-8")

    out = load(path)

    assert not Metric.objects.filter(code="tax_hours").exists()
    assert Metric.objects.count() == 44
    assert "目标指标删除 1" in out
    assert "方案未发生变化" in load(path)


@pytest.mark.django_db
def test_a_removed_metric_with_figures_is_kept_and_said_so(tmp_path, plan_2022):
    metric = Metric.objects.get(code="tax_hours")
    Figure.objects.create(unit=Unit.objects.get(code="tax"), metric=metric, period="2022-06-01", value=70, cases=3)
    path = tmp_path / "plan.yaml"
    path.write_text(without_metric("tax_hours"), encoding="utf-8")

    out = load(path)

    assert Metric.objects.filter(code="tax_hours").exists()
    assert Figure.objects.filter(metric=metric).count() == 1
    assert "目标指标已从文件删除但因已有数据而保留 1" in out


@pytest.mark.django_db
def test_a_kept_metric_keeps_the_metric_it_is_compared_with(tmp_path, plan_2022):
    small = Metric.objects.get(code="small_loan_growth")
    Figure.objects.create(unit=Unit.objects.get(code="pbc"), metric=small, period="2022-06-01", numerator=1, denominator=10)
    path = tmp_path / "plan.yaml"
    path.write_text(without_metric("loan_growth", without_metric("small_loan_growth")), encoding="utf-8")

    out = load(path)

    assert set(Metric.objects.filter(code__in=["small_loan_growth", "loan_growth"]).values_list("code", flat=True)) == {
        "small_loan_growth",
        "loan_growth",
    }
    assert "目标指标已从文件删除但因已有数据而保留 2" in out
