"""deliverable_report: a unit's monthly state of a deliverable, 已完成 only with evidence,
a step back from 已完成 only with a reason, every change kept (who, when, old, new, why)."""

import pytest
from django.core.exceptions import ValidationError

from actions.evidence import evidence_check
from actions.models import Unit
from indicators.ledger.models import Deliverable, DeliverableReport
from indicators.ledger.services import deliverable_report
from indicators.tests.ledger_base import PDF, SEPT, WINDOW, ledger_today, report  # noqa: F401

pytestmark = pytest.mark.usefixtures("ledger_today")


def test_done_without_evidence_is_refused_in_chinese(users):
    with pytest.raises(ValidationError, match=r"已完成.*须上传佐证材料"):
        report(WINDOW, "hengnan", SEPT, "done", user=users["reporter"])
    assert not DeliverableReport.objects.exists()


def test_done_with_evidence_stores_the_file_by_its_hash(users, settings):
    r = report(WINDOW, "hengnan", SEPT, "done", user=users["reporter"], with_file=True)
    ev = r.evidence.get()
    assert (ev.name, ev.extension, ev.size) == ("证明.pdf", "pdf", len(PDF))
    assert ev.file.name == f"ledger/{ev.sha256[:2]}/{ev.sha256}.pdf"
    assert (settings.MEDIA_ROOT / ev.file.name).read_bytes() == PDF


def test_done_again_keeps_earlier_evidence(users):
    report(WINDOW, "hengnan", SEPT, "done", user=users["reporter"], with_file=True)
    r = report(WINDOW, "hengnan", SEPT, "done", user=users["reporter"], note="已挂牌运行")
    assert r.note == "已挂牌运行"


def test_a_unit_not_responsible_is_refused(users):
    with pytest.raises(ValidationError, match=r"不是“.*”的责任单位或配合单位"):
        report("a1-2-tax-hall-standard", "hengnan", SEPT, "in_progress", user=users["reporter"])


def test_stepping_back_from_done_needs_a_reason_and_is_kept_in_history(users):
    user = users["reporter"]
    report(WINDOW, "hengnan", SEPT, "in_progress", user=user, note="选址中")
    report(WINDOW, "hengnan", SEPT, "done", user=user, with_file=True)
    d, unit = Deliverable.objects.get(code=WINDOW), Unit.objects.get(code="hengnan")
    with pytest.raises(ValidationError, match="须说明原因"):
        deliverable_report(deliverable=d, unit=unit, period=SEPT, state="in_progress", note="", files=[], user=user)
    deliverable_report(
        deliverable=d, unit=unit, period=SEPT, state="in_progress", note="", files=[], user=user, reason="窗口尚未对外开放"
    )
    history = list(DeliverableReport.history.filter(deliverable=d, unit=unit).order_by("history_date"))
    assert [h.state for h in history] == ["in_progress", "done", "in_progress"]
    assert history[-1].history_user == user
    assert history[-1].history_change_reason == "窗口尚未对外开放"


def test_an_unchanged_save_writes_no_history(users):
    report(WINDOW, "hengnan", SEPT, "in_progress", user=users["reporter"], note="选址中")
    report(WINDOW, "hengnan", SEPT, "in_progress", user=users["reporter"], note="选址中")
    assert DeliverableReport.history.count() == 1


def test_one_row_per_unit_and_month(users):
    report(WINDOW, "hengnan", SEPT, "in_progress", user=users["reporter"])
    report(WINDOW, "hengnan", SEPT, "done", user=users["reporter"], with_file=True)
    assert DeliverableReport.objects.filter(unit__code="hengnan").count() == 1


def test_the_same_file_twice_is_stored_once(users, settings):
    f = evidence_check(data=PDF, name="a.pdf")
    d, unit = Deliverable.objects.get(code=WINDOW), Unit.objects.get(code="hengnan")
    deliverable_report(deliverable=d, unit=unit, period=SEPT, state="done", note="", files=[f], user=None)
    deliverable_report(
        deliverable=d, unit=Unit.objects.get(code="qidong"), period=SEPT, state="done", note="", files=[f], user=None
    )
    assert len(list((settings.MEDIA_ROOT / "ledger").rglob("*.pdf"))) == 1
