"""The form for one deliverable's month: only the unit's reporter, 已完成 needs an
evidence file (refused in Chinese), files are checked by content, saved and back."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from indicators.ledger.models import Deliverable, DeliverableReport
from indicators.tests.ledger_base import WINDOW, ledger_today, pdf  # noqa: F401

pytestmark = pytest.mark.usefixtures("ledger_today")


def url(code=WINDOW, unit="hengnan", month="2022-09"):
    return f"/indicators/ledger/units/{unit}/{month}/{Deliverable.objects.get(code=code).pk}/"


def test_the_reporter_saves_progress_and_returns_to_the_unit_page(client, users):
    client.force_login(users["reporter"])
    assert client.get(url()).status_code == 200

    response = client.post(url(), {"state": "in_progress", "note": "已确定窗口位置"})

    assert response.status_code == 302 and response["Location"] == "/indicators/ledger/units/hengnan/2022-09/"
    r = DeliverableReport.objects.get()
    assert (r.unit.code, str(r.period), r.state, r.note, r.entered_by) == (
        "hengnan",
        "2022-09-01",
        "in_progress",
        "已确定窗口位置",
        users["reporter"],
    )


def test_done_without_evidence_is_refused_in_chinese(client, users):
    client.force_login(users["reporter"])
    response = client.post(url(), {"state": "done", "note": "已挂牌"})
    assert response.status_code == 400
    assert "状态为“已完成”时须上传佐证材料" in response.content.decode()
    assert not DeliverableReport.objects.exists()


def test_done_with_a_pdf_is_saved_with_its_evidence(client, users):
    client.force_login(users["reporter"])
    response = client.post(url(), {"state": "done", "note": "已挂牌", "files": [pdf()]})
    assert response.status_code == 302
    assert DeliverableReport.objects.get().evidence.get().name == "批复.pdf"


def test_a_file_that_is_no_document_is_refused_by_its_content(client, users):
    client.force_login(users["reporter"])
    fake = SimpleUploadedFile("证明.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(url(), {"state": "done", "files": [fake]})
    assert response.status_code == 400
    assert "系统按文件内容识别类型" in response.content.decode()
    assert not DeliverableReport.objects.exists()


@pytest.mark.parametrize("who", ["other_reporter", "approver", "office", "leader", "lead"])
def test_only_the_units_reporter_may_report(client, users, who):
    client.force_login(users[who])
    assert client.post(url(), {"state": "in_progress"}).status_code == 403
    assert not DeliverableReport.objects.exists()


def test_a_deliverable_the_unit_has_no_part_in_is_refused(client, users):
    client.force_login(users["reporter"])
    assert client.get(url(code="a1-2-tax-hall-standard")).status_code == 403


def test_a_month_not_yet_begun_is_refused(client, users):
    client.force_login(users["reporter"])
    assert client.post(url(month="2022-11"), {"state": "in_progress"}).status_code == 403


def test_anonymous_users_go_to_the_login(client, plan_2022):
    response = client.get(url())
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
