"""Shared set-up of the task ledger's tests: the product's date, a PDF to upload, and
reports made through the service (as a reporter would)."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from actions.evidence import evidence_check
from actions.models import Unit
from indicators.ledger.models import Deliverable
from indicators.ledger.services import deliverable_report

TODAY = date(2022, 10, 12)  # the product's date in these tests: September is being collected
SEPT, AUG = date(2022, 9, 1), date(2022, 8, 1)
PDF = b"%PDF-1.4\n% ledger evidence\n"
WINDOW = "a1-3-cannot-do-window"  # 办不成事窗口: lead 市行政审批服务局, every county and park co-operates


@pytest.fixture
def ledger_today(settings, tmp_path):
    settings.DEMO_TODAY = TODAY
    settings.MEDIA_ROOT = tmp_path
    return TODAY


def pdf(name="批复.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def report(code, unit_code, period, state, *, user=None, note="", with_file=False):
    files = [evidence_check(data=PDF, name="证明.pdf")] if with_file else []
    return deliverable_report(
        deliverable=Deliverable.objects.get(code=code),
        unit=Unit.objects.get(code=unit_code),
        period=period,
        state=state,
        note=note,
        files=files,
        user=user,
    )
