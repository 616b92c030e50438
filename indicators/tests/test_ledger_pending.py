"""A ledger item whose due date or content is our reading, not the plan's text (the plan
file's `pending:` on a deliverable): shown 待核定, never 滞后 nor counted as such, until
the office confirms it on the same 核定 page as the targets' assumptions (issue 21)."""

from datetime import date

import pytest

from actions.models import Plan
from indicators.assumptions import AssumptionConfirmation
from indicators.ledger.models import Deliverable
from indicators.ledger.selectors import ledger_status_export, ledger_summary
from indicators.planfile.parse import PlanFileError, parse_plan
from indicators.tests.ledger_base import ledger_today, report  # noqa: F401
from indicators.tests.test_plan_readings import PLAN_TEXT

pytestmark = pytest.mark.usefixtures("ledger_today")
URL = "/indicators/ledger/tasks/2022/a5-3/"  # 执行事务中心, 特邀调解制度 (法院)
ITEM = "a5-3-invited-mediation"
OCT = date(2022, 10, 1)


def _assumed_due():
    # The plan gives no date; a reading of ours puts it at 09-30 (today is 2022-10-12).
    Deliverable.objects.filter(code=ITEM).update(due=date(2022, 9, 30), pending=["due"])


def test_an_assumed_due_date_shows_pending_and_is_never_overdue(client, users):
    _assumed_due()
    report(ITEM, "court", date(2022, 9, 1), "in_progress")
    client.force_login(users["office"])

    response = client.get(URL + "?month=2022-10")

    rows = {r.deliverable.code: r for r in response.context["table"].data}
    assert rows[ITEM].state.label == "推进中"  # not 滞后
    html = response.content.decode()
    assert 'data-testid="ledger-pending">待核定' in html and "2022-09-30(待核定)" in html
    summary = ledger_summary(plan=Plan.objects.get(year=2022), period=OCT, today=date(2022, 10, 12))
    assert ITEM not in [r.deliverable.code for r in summary.overdue]
    assert [r.deliverable.code for r in summary.pending] == [ITEM]
    export = ledger_status_export(plan=Plan.objects.get(year=2022), period=OCT, today=date(2022, 10, 12))
    item = next(d for d in export["deliverables"] if d["code"] == ITEM)
    assert (item["state"], item["pending_confirmation"]) == ("in_progress", ["due"])


def test_once_the_office_confirms_it_the_item_is_overdue(client, users):
    _assumed_due()
    report(ITEM, "court", date(2022, 9, 1), "in_progress")
    client.force_login(users["office"])
    page = client.get("/indicators/assumptions/").content.decode()
    assert "任务台账:特邀调解制度" in page and "成果事项完成时限" in page
    key = f"d{Deliverable.objects.get(code=ITEM).pk}:due"
    assert key in page

    response = client.post("/indicators/assumptions/", {"year": "2022", "key": key})

    assert response.status_code == 302
    record = AssumptionConfirmation.objects.get(deliverable__code=ITEM)
    assert (record.field, record.new_value, record.confirmed_by) == ("due", "2022-09-30", users["office"])
    rows = {r.deliverable.code: r for r in client.get(URL + "?month=2022-10").context["table"].data}
    assert rows[ITEM].state.label == "滞后" and not rows[ITEM].pending
    assert key not in client.get("/indicators/assumptions/").content.decode()  # nothing left to confirm


def test_only_the_office_confirms(client, users):
    _assumed_due()
    key = f"d{Deliverable.objects.get(code=ITEM).pk}:due"
    client.force_login(users["reporter"])
    assert client.post("/indicators/assumptions/", {"year": "2022", "key": key}).status_code == 403
    assert not AssumptionConfirmation.objects.exists()


def test_the_plan_file_marks_a_deliverable_pending():
    code_line = f"  - code: {ITEM}\n"
    assert code_line in PLAN_TEXT
    spec = parse_plan(PLAN_TEXT.replace(code_line, code_line + "    pending: [due, content]\n"))
    assert next(d for d in spec.deliverables if d.code == ITEM).pending == ["due", "content"]
    with pytest.raises(PlanFileError) as exc:
        parse_plan(PLAN_TEXT.replace(code_line, code_line + "    pending: [lead]\n"))
    assert "不是成果事项可标记待核定的内容之一" in str(exc.value)
