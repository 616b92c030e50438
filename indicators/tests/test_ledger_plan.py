"""The task ledger in the plan file: the `deliverables:` section is read, checked, loaded
(with --dry-run listing the changes), exported; and the two measurable targets the plan
states but the file lacked (半小时办税缴费服务圈, 异议/查封/抵押权注销即时办结) are targets."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from actions.models import Task
from indicators.ledger.models import Deliverable, DeliverableReport
from indicators.models import Metric
from indicators.planfile.parse import PlanFileError, parse_plan

PLAN_FILE = Path(__file__).resolve().parents[2] / "fixtures" / "plan_2022.yaml"
PLAN_TEXT = PLAN_FILE.read_text(encoding="utf-8")
# The examples the issue names: each must be a deliverable of the plan.
NAMED = ["零投资", "办不成事", "衡阳市融资信用服务平台", "风险补偿基金", "免罚轻罚事项清单", "执行事务中心", "破产预重整制度"]


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def edited(tmp_path, old, new) -> Path:
    assert PLAN_TEXT.count(old) == 1, old
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN_TEXT.replace(old, new), encoding="utf-8")
    return path


def test_every_task_has_deliverables_quoting_its_own_text():
    spec = parse_plan(PLAN_TEXT)
    texts = {t.code: t.text for a in spec.areas for t in a.tasks}
    assert len(spec.deliverables) >= 20
    assert {d.task for d in spec.deliverables} == set(texts)  # all 19 tasks
    misquoted = [d.code for d in spec.deliverables if d.source.rstrip("。") not in texts[d.task]]
    assert misquoted == []
    names = " ".join(d.name + d.source for d in spec.deliverables)
    assert [n for n in NAMED if n not in names] == []


@pytest.mark.parametrize(
    "old, new, words",
    [
        (
            "    task: a5-4\n    name: 府院协调机制全覆盖",
            "    task: a5-9\n    name: 府院协调机制全覆盖",
            "未定义的任务编码“a5-9”",
        ),
        (
            '    lead: court\n    co: [counties]\n    source: "深化府院联动',
            '    lead: courtx\n    co: [counties]\n    source: "深化府院联动',
            "未定义的单位编码“courtx”",
        ),
        ("    co: [pbc, tax]\n", "    co: [pbc, taxx]\n", "未定义的单位编码或分组“taxx”"),
        ("    name: 停电地图服务\n", "    name: 停电地图服务\n    deu: 2022-09-30\n", "未知的字段“deu”"),
        (
            "  - code: a5-4-court-government-linkage\n",
            "  - code: a5-4-pre-reorganization\n",
            "成果事项编码“a5-4-pre-reorganization”重复",
        ),
    ],
)
def test_a_bad_deliverable_is_an_error_with_its_line(old, new, words):
    assert PLAN_TEXT.count(old) == 1, old
    with pytest.raises(PlanFileError) as exc:
        parse_plan(PLAN_TEXT.replace(old, new))
    assert any(words in p and "deliverables[" in p and p.startswith("第") for p in exc.value.problems), exc.value.problems


def test_load_writes_the_deliverables_with_their_units(plan_2022):
    window = Deliverable.objects.get(plan=plan_2022, code="a1-3-cannot-do-window")
    assert window.task == Task.objects.get(code="a1-3")
    assert window.lead_unit.code == "approval"
    assert window.co_units.filter(kind="county").count() == 12
    assert "“办不成事”反映窗口" in window.source
    assert window.due is None  # the plan gives no date: judged at the year's end
    fund = Deliverable.objects.get(code="a3-1-risk-compensation-fund")
    assert (fund.lead_unit.code, sorted(fund.co_units.values_list("code", flat=True))) == ("science", ["finance", "pbc"])
    assert "市科学技术局" in fund.reading


def test_dry_run_lists_the_changes_and_writes_nothing(plan_2022, tmp_path):
    path = edited(tmp_path, "    name: 停电地图服务\n", "    name: 停电地图服务上线\n    due: 2022-09-30\n")

    out = run("load_plan", "--dry-run", str(path))

    assert "成果事项 a2-2-outage-map(停电地图服务):成果事项 停电地图服务 → 停电地图服务上线" in out
    assert "完成时限 — → 2022-09-30" in out
    assert Deliverable.objects.get(code="a2-2-outage-map").name == "停电地图服务"
    run("load_plan", str(path))
    assert Deliverable.objects.get(code="a2-2-outage-map").due.isoformat() == "2022-09-30"
    assert "方案未发生变化" in run("load_plan", str(path))


def test_a_co_unit_change_is_listed(plan_2022, tmp_path):
    path = edited(tmp_path, "    co: [pbc, tax]\n", "    co: [pbc]\n")
    out = run("load_plan", "--dry-run", str(path))
    assert "成果事项 a5-4-pre-reorganization(破产预重整制度和重整信用修复机制):不再配合 tax" in out


def test_a_deliverable_removed_from_the_file_is_kept_when_reported(plan_2022, tmp_path):
    from actions.models import Unit

    d = Deliverable.objects.get(code="a2-2-outage-map")
    DeliverableReport.objects.create(deliverable=d, unit=Unit.objects.get(code="power"), period=d.plan.issued.replace(day=1))
    start = PLAN_TEXT.index("  - code: a2-2-outage-map\n")
    end = PLAN_TEXT.index("  - code: ", start + 1)
    start2 = PLAN_TEXT.index("  - code: a2-3-water-12345\n")
    end2 = PLAN_TEXT.index("  - code: ", start2 + 1)
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN_TEXT[:start] + PLAN_TEXT[end:start2] + PLAN_TEXT[end2:], encoding="utf-8")

    out = run("load_plan", str(path))

    assert Deliverable.objects.filter(code="a2-2-outage-map").exists()
    assert not Deliverable.objects.filter(code="a2-3-water-12345").exists()
    assert "已从文件删除,但已有进展报告,保留" in out


def test_export_plan_carries_the_deliverables(plan_2022):
    data = json.loads(run("export_plan", "--year", "2022"))
    items = {d["code"]: d for d in data["deliverables"]}
    assert len(items) == Deliverable.objects.count()
    assert items["a5-3-enforcement-center"] == {
        "code": "a5-3-enforcement-center",
        "task": "a5-3",
        "name": "执行事务中心和“一站式”执行事务服务窗口",
        "lead": "court",
        "co": [],
        "due": None,
        "source": "加快建设执行事务中心,创建“一站式”执行事务服务窗口,探索建立“集约查控、分段执行”办案模式。",
    }
    assert "reading" in items["a3-1-credit-platform"]


def test_the_two_missing_targets_are_targets(plan_2022):
    circle = Metric.objects.get(code="tax_half_hour_circle")
    assert (circle.task.code, circle.kind, circle.measure) == ("a1-2", "milestone", "milestone")
    assert "打造半小时办税缴费服务圈" in circle.source and "报送:税务局" in circle.reading
    assert "due" in circle.pending  # the plan gives no date: an assumption until confirmed
    assert list(circle.assignments.values_list("unit__code", flat=True)) == ["tax"]
    instant = Metric.objects.get(code="property_instant_rate")
    assert (instant.task.code, instant.kind, instant.value, instant.measure) == ("a2-4", "exactly", 100, "ratio")
    assert "涉及异议、查封、抵押权注销等情形即时办结" in instant.source
    reporters = set(instant.assignments.values_list("unit__kind", flat=True))
    assert reporters == {"county", "department"}  # parks register no property
    assert circle.source in Task.objects.get(code="a1-2").text
    assert instant.source in Task.objects.get(code="a2-4").text


def test_a_bad_file_loads_no_deliverable(db, tmp_path):
    path = edited(tmp_path, "    co: [pbc, tax]\n", "    co: [pbc, taxx]\n")
    with pytest.raises(CommandError):
        run("load_plan", str(path))
    assert not Deliverable.objects.exists()


def test_export_status_carries_the_ledgers_states(plan_2022, settings, tmp_path):
    from datetime import date

    from actions.evidence import evidence_check
    from actions.models import Unit
    from indicators.ledger.services import deliverable_report

    settings.DEMO_TODAY, settings.MEDIA_ROOT = date(2022, 10, 12), tmp_path
    d = Deliverable.objects.get(code="a5-3-enforcement-center")
    f = evidence_check(data=b"%PDF-1.4\n", name="a.pdf")
    unit = Unit.objects.get(code="court")
    deliverable_report(deliverable=d, unit=unit, period=date(2022, 8, 1), state="done", note="", files=[f], user=None)

    data = json.loads(run("export_status", "--period", "2022-09"))["ledger"]

    assert data["as_of"] == "2022-09-30"
    items = {x["code"]: x for x in data["deliverables"]}
    assert items["a5-3-enforcement-center"]["state"] == "done"
    assert items["a5-3-enforcement-center"]["units"] == [
        {"unit": "court", "state": "done", "reported": "2022-08", "evidence": [f.sha256]}
    ]
    assert {"task": "a5-3", "state": "in_progress"} in data["tasks"]
    assert len(data["tasks"]) == 19


def test_every_deliverable_is_in_the_docs_table():
    doc = (PLAN_FILE.parents[1] / "docs" / "LEDGER_2022.md").read_text(encoding="utf-8")
    missing = [d.code for d in parse_plan(PLAN_TEXT).deliverables if f"`{d.code}`" not in doc or d.source not in doc]
    assert missing == []
