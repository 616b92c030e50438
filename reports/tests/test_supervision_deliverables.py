"""督办 on the task ledger: an order may be about a deliverable 滞后 for a unit. The office
raises it from the 督办 beside the late item on the ledger pages, the problem prefilled
from the ledger's facts; the rule "a deliverable past its date → propose 督办" proposes
it; the unit sees (only) its own; the documents name the deliverable."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from actions.models import Unit
from indicators.ledger.models import Deliverable
from indicators.tests.ledger_base import SEPT, TODAY, WINDOW, ledger_today, report  # noqa: F401
from reports.builders.blocks import Document
from reports.builders.supervision import supervision_bulletin_section, supervision_dispatch_section
from reports.supervision import proposals as proposing
from reports.supervision.deliverables import deliverable_order_raise, late_items
from reports.supervision.models import OrderProposal, SupervisionOrder

pytestmark = pytest.mark.usefixtures("ledger_today")
DUE = date(2022, 10, 30)
RAISE_URL = "/reports/supervision/raise/deliverable/{pk}/hengnan/?period=2022-09"


@pytest.fixture
def late(plan_2022):
    """办不成事窗口 due at the end of August: 衡南县 reported it 推进中 in September (滞后),
    the lead unit and 祁东县 … only 市行政审批服务局 finished it."""
    Deliverable.objects.filter(code=WINDOW).update(due=date(2022, 8, 31))
    report(WINDOW, "approval", SEPT, "done", with_file=True)
    report(WINDOW, "hengnan", SEPT, "in_progress", note="窗口已选址")
    return Deliverable.objects.select_related("task__area", "task__lead_indicator__lead_unit").get(code=WINDOW)


def _raise(user, deliverable, *, level="supervise", unit="hengnan"):
    return deliverable_order_raise(
        plan=deliverable.plan,
        period=SEPT,
        deliverable=deliverable,
        unit=Unit.objects.get(code=unit),
        required="限期完成",
        due=DUE,
        level=level,
        user=user,
    )


def test_an_order_is_about_a_target_a_finding_or_a_deliverable(users, late):
    hengnan = Unit.objects.get(code="hengnan")
    fields = {"year": 2022, "unit": hengnan, "problem": "p", "required": "r", "due": DUE, "raised_at": timezone.now()}
    SupervisionOrder.objects.create(number=1, deliverable=late, **fields)  # a deliverable alone is enough
    with pytest.raises(IntegrityError), transaction.atomic():
        SupervisionOrder.objects.create(number=2, **fields)  # about nothing


def test_the_problem_is_prefilled_from_the_ledgers_facts(users, late):
    items = {(i.deliverable.code, i.unit.code): i for i in late_items(plan=late.plan, period=SEPT, today=TODAY)}
    assert (WINDOW, "approval") not in items  # done
    item = items[(WINDOW, "hengnan")]
    assert item.problem == (
        "衡南县作为配合单位承担的任务1.3成果事项政务服务中心“办不成事”反映窗口完成时限为2022年8月31日,"
        "截至2022年9月30日仍为“推进中”,尚未完成,已滞后。"
    )
    assert "未报送进展" in items[(WINDOW, "qidong")].problem  # never reported


def test_the_service_raises_once_only_for_the_office_and_only_when_late(users, late):
    with pytest.raises(ValidationError, match="只有市优化办可以交办督办单"):
        _raise(users["reporter"], late)
    order = _raise(users["office"], late)
    assert (order.deliverable, order.unit.code, order.period, order.metric) == (late, "hengnan", SEPT, None)
    assert order.problem.startswith("衡南县作为配合单位承担的任务1.3成果事项")
    assert order.about_text == "成果事项政务服务中心“办不成事”反映窗口"
    with pytest.raises(ValidationError, match="已有未销号的督办单,不重复交办"):
        _raise(users["office"], late)
    report(WINDOW, "qidong", SEPT, "done", with_file=True)
    with pytest.raises(ValidationError, match="不是滞后状态"):
        _raise(users["office"], late, unit="qidong")  # done in September


def test_the_office_raises_from_the_ledger_pages(client, users, late):
    client.force_login(users["office"])
    home = client.get("/indicators/ledger/?month=2022-09").content.decode()
    url = RAISE_URL.format(pk=late.pk)
    assert f'href="{url}" data-testid="late-link">督办</a>' in home
    unit_page = client.get("/indicators/ledger/units/hengnan/2022-09/").content.decode()
    assert f'href="{url}">督办</a>' in unit_page
    task_page = client.get("/indicators/ledger/tasks/2022/a1-3/?month=2022-09").content.decode()
    assert f'衡南县:滞后 <a class="button" href="{url}">督办</a>' in task_page
    form = client.get(url)
    assert form.status_code == 200 and "截至2022年9月30日仍为“推进中”" in form.content.decode()
    done = client.post(url, {"problem": "窗口未设立。", "required": "限期设立", "due": "2022-10-30", "level": "listed"})
    order = SupervisionOrder.objects.get()
    assert done.status_code == 302 and done["Location"] == f"/reports/supervision/{order.pk}/"
    assert (order.problem, order.level, order.deliverable_id) == ("窗口未设立。", "listed", late.pk)
    again = client.post(url, {"problem": "再次交办", "required": "r", "due": "2022-10-30", "level": "supervise"})
    assert again.status_code == 400 and "已有未销号的督办单,不重复交办" in again.content.decode()
    assert SupervisionOrder.objects.count() == 1
    # the late item now links to its order, not to a second 督办
    home = client.get("/indicators/ledger/?month=2022-09").content.decode()
    assert order.number_text in home and f'href="{url}"' not in home
    detail = client.get(f"/reports/supervision/{order.pk}/").content.decode()
    assert "政务服务中心“办不成事”反映窗口" in detail and "2022年8月31日" in detail


@pytest.mark.parametrize("who", ["reporter", "approver", "lead", "leader", "other_reporter"])
def test_only_the_office_raises(client, users, late, who):
    client.force_login(users[who])
    url = RAISE_URL.format(pk=late.pk)
    assert client.get(url).status_code == 403
    assert client.post(url, {"problem": "x", "required": "y", "due": "2022-10-30", "level": "supervise"}).status_code == 403
    assert not SupervisionOrder.objects.exists()


def test_the_unit_sees_its_own_order_on_its_ledger_and_no_other_unit_does(client, users, late):
    order = _raise(users["office"], late)
    client.force_login(users["reporter"])  # 衡南县
    page = client.get("/indicators/ledger/units/hengnan/2022-09/").content.decode()
    assert order.number_text in page and "/raise/deliverable/" not in page
    assert client.get(f"/reports/supervision/{order.pk}/").status_code == 200
    client.force_login(users["other_reporter"])  # 祁东县
    assert client.get(f"/reports/supervision/{order.pk}/").status_code == 403
    page = client.get("/indicators/ledger/units/qidong/2022-09/").content.decode()
    assert order.number_text not in page and "/raise/deliverable/" not in page


def test_the_answer_goes_to_the_tasks_lead_unit(users, late):
    from reports.supervision import services

    order = _raise(users["office"], late)
    hengnan = Unit.objects.get(code="hengnan")
    Unit.objects.filter(pk=hengnan.pk).update(needs_approval=False)
    order.refresh_from_db()
    services.order_answer(
        order=order,
        user=users["reporter"],
        measures="已设立窗口",
        progress="已完成",
        expected_done=DUE,
        files=[],
        version=order.version,
    )
    order.refresh_from_db()
    assert order.stage == "reviewing" and order.lead_unit_pk == late.task.lead_indicator.lead_unit_id


def test_the_rule_proposes_a_late_deliverable_and_confirming_raises_the_order(users, late):
    assert proposing.proposals_refresh(plan=late.plan, period=SEPT, today=TODAY) > 0
    mine = OrderProposal.objects.get(deliverable=late, unit__code="hengnan")
    assert (mine.kind, mine.metric, mine.state) == ("supervise", None, "pending")
    assert not OrderProposal.objects.filter(deliverable=late, unit__code="approval").exists()  # done
    assert proposing.proposals_refresh(plan=late.plan, period=SEPT, today=TODAY) == 0  # once a month
    order = proposing.proposal_confirm(proposal=mine, user=users["office"], due=DUE, required="限期完成")
    assert (order.deliverable, order.unit.code, order.level) == (late, "hengnan", "supervise")
    mine.refresh_from_db()
    assert (mine.state, mine.order) == ("confirmed", order)
    # next month: not proposed again while the order is open
    OrderProposal.objects.all().delete()
    proposing.proposals_refresh(plan=late.plan, period=date(2022, 10, 1), today=date(2022, 11, 5))
    assert not OrderProposal.objects.filter(deliverable=late, unit__code="hengnan").exists()
    assert OrderProposal.objects.filter(deliverable=late, unit__code="qidong").exists()


def test_the_office_can_switch_the_rule_off(users, late):
    from reports.supervision.models import SupervisionSettings

    SupervisionSettings.objects.create(deliverable_supervise=False)
    proposing.proposals_refresh(plan=late.plan, period=SEPT, today=TODAY)
    assert not OrderProposal.objects.filter(deliverable__isnull=False).exists()


def _section(build, **kwargs) -> str:
    doc = Document("dispatch", "k", "t")
    build(doc, lambda text: doc.add("h1", text), **kwargs)
    return doc.text()


def test_the_documents_name_the_deliverable(users, late):
    order = _raise(users["office"], late, level="listed")
    dispatch = _section(supervision_dispatch_section, period=SEPT, today=TODAY)
    assert f"{order.number_text}（衡南县，成果事项政务服务中心“办不成事”反映窗口，挂牌督办，2022年10月30日前答复）" in dispatch
    bulletin = _section(supervision_bulletin_section, year=2022, quarter=4, today=date(2022, 11, 2))
    assert f"逾期未答复的挂牌督办1件：{order.number_text}（衡南县，成果事项政务服务中心“办不成事”反映窗口，逾期3天）" in bulletin


def test_the_tasks_lead_department_sees_and_reviews_it_another_lead_does_not(client, users, late):
    from conftest import make_user
    from reports.supervision import services

    order = _raise(users["office"], late)
    approval_lead = make_user("approval_lead", "lead", "approval")  # 政务服务 (task 1.3) is led by 市行政审批服务局
    client.force_login(approval_lead)
    assert client.get(f"/reports/supervision/{order.pk}/").status_code == 200
    assert order.number_text in client.get("/reports/supervision/").content.decode()
    client.force_login(users["lead"])  # 市市场监管局 leads other indicators
    assert client.get(f"/reports/supervision/{order.pk}/").status_code == 403
    assert order.number_text not in client.get("/reports/supervision/").content.decode()
    with pytest.raises(ValidationError, match="只有该指标的指标长"):
        services.order_review(order=order, user=users["lead"], agree=True, version=order.version)


def test_the_order_list_filters_and_exports_orders_on_deliverables(client, users, late):
    from reports.tests.supervision_data import metric_led_by, order_on

    mine = _raise(users["office"], late)
    on_target = order_on(users["office"], "hengnan", metric_led_by("amr", "hengnan"), today=TODAY, due=DUE)
    client.force_login(users["office"])
    page = client.get("/reports/supervision/?about=deliverable")
    assert [o.number_text for o in page.context["table"].data] == [mine.number_text]
    assert "/indicators/ledger/" in page.content.decode()  # where the office raises them from
    assert [o.number_text for o in client.get("/reports/supervision/?about=metric").context["table"].data] == [
        on_target.number_text
    ]
    exported = client.get("/reports/supervision/?about=deliverable&_export=csv")
    body = b"".join(exported.streaming_content if exported.streaming else [exported.content]).decode("utf-8-sig")
    assert "成果事项政务服务中心“办不成事”反映窗口" in body and on_target.number_text not in body
