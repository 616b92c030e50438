"""The quarterly bulletin's 任务台账 section: deliverables counted 已完成 / 推进中 / 滞后 /
未启动 and the tasks by state, every overdue deliverable named with its units, the
per-task table in the annex (reports/builders/ledger.py, one hook in bulletin.py)."""

from datetime import date

import pytest

from actions.evidence import evidence_check
from actions.models import Unit
from indicators.ledger.models import Deliverable
from indicators.ledger.services import deliverable_report

TODAY = date(2022, 10, 12)
SEPT = date(2022, 9, 1)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.DEMO_TODAY = TODAY


def report(code, unit, state):
    files = [evidence_check(data=b"%PDF-1.4\n", name="a.pdf")] if state == "done" else []
    deliverable_report(
        deliverable=Deliverable.objects.get(code=code),
        unit=Unit.objects.get(code=unit),
        period=SEPT,
        state=state,
        note="",
        files=files,
        user=None,
    )


def section(doc) -> list[str]:
    texts = [(b.kind, b.text) for b in doc.blocks]
    start = next(i for i, (k, t) in enumerate(texts) if k == "h1" and "任务台账推进情况" in t)
    return [t for _, t in texts[start + 1 : start + 3]]


def test_the_section_counts_and_names_the_overdue_with_their_units(plan_2022, media):
    from reports.builders.bulletin import bulletin_document

    Deliverable.objects.filter(code="a5-4-pre-reorganization").update(due=date(2022, 8, 31))
    report("a5-4-pre-reorganization", "court", "done")
    report("a5-4-pre-reorganization", "pbc", "in_progress")
    report("a5-3-enforcement-center", "court", "done")
    report("a2-2-outage-map", "power", "in_progress")
    total = Deliverable.objects.count()

    doc = bulletin_document(year=2022, quarter=3, today=TODAY)

    counts, overdue = section(doc)
    assert (
        f"截至2022年9月30日，19项行动内容列入任务台账的成果事项{total}项：已完成1项、推进中1项、滞后1项、未启动{total - 3}项；"
        in counts
    )
    assert "按任务统计：推进中2项、滞后1项、未启动16项，明细见附件" in counts  # states that occur only
    assert overdue.startswith(
        "超过完成时限仍未完成的成果事项1项：破产预重整制度和重整信用修复机制（责任单位市中级人民法院；尚未完成："
    )
    assert "人民银行衡阳市中心支行" in overdue and "国家税务总局衡阳市税务局" in overdue
    sheet = next(s for s in doc.sheets if s.name == "任务台账")
    by_task = {row[0]: row[1:] for row in sheet.rows}
    assert by_task["5.4 提高办理破产水平"] == [0, 0, 1, 1, "滞后"]
    assert by_task["5.3 提升合同执行质效"] == [1, 0, 0, 1, "推进中"]
    late = next(s for s in doc.sheets if s.name == "滞后事项")
    assert late.rows[0][:3] == ["破产预重整制度和重整信用修复机制", "5.4", "市中级人民法院"]


def test_nothing_overdue_is_said_so(plan_2022, media):
    from reports.builders.bulletin import bulletin_document

    doc = bulletin_document(year=2022, quarter=3, today=TODAY)
    assert section(doc)[1] == "无超过完成时限仍未完成的成果事项。"
    assert not any(s.name == "滞后事项" for s in doc.sheets)


def test_a_plan_without_deliverables_has_no_section(plan_2022, media):
    from reports.builders.bulletin import bulletin_document

    Deliverable.objects.all().delete()
    doc = bulletin_document(year=2022, quarter=3, today=TODAY)
    assert not any("任务台账" in b.text for b in doc.blocks if b.kind == "h1")
