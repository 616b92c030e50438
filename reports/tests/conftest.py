"""The three documents the office reads most — dispatch 2022-06, bulletin 2022Q2 and the
year-end bulletin 2022Q4 — built on a demo year and issued, once per test process, with
each Word file as LibreOffice sets it (converted once: a conversion takes seconds).
Used by test_report_documents.py and test_document_format.py, which share one xdist group
so that one process builds them."""

import os
from datetime import date

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from actions.models import Plan
from conftest import ROOT
from indicators.demo import seed_year
from indicators.rules.types import Status
from indicators.selectors import status_board
from reports.builders.common import lead_name
from reports.builders.soffice import docx_to_pdf, soffice
from reports.rankings import rankings
from reports.services.build import report_build
from reports.services.issue import report_issue

TODAY = date(2023, 1, 20)  # the whole of 2022 reported
BUILDS = {
    ("dispatch", "2022-06"): {"month": date(2022, 6, 1), "draft_dates": (date(2022, 7, 6), date(2022, 7, 12))},
    ("bulletin", "2022Q2"): {"month": date(2022, 6, 1), "draft_dates": (date(2022, 7, 10), date(2022, 7, 10))},
    ("bulletin", "2022Q4"): {"month": date(2022, 12, 1), "draft_dates": (date(2023, 1, 10), date(2023, 1, 10))},
}


class Built(dict):
    """One issued document's paths and facts; `lo` is its Word file as LibreOffice sets
    it (converted on first use, None without soffice)."""

    def __init__(self, folder, **facts):
        super().__init__(**facts)
        self._folder = folder

    def __missing__(self, key):
        if key != "lo":
            raise KeyError(key)
        self["lo"] = docx_to_pdf(self["docx"], self._folder) if soffice() else None
        return self["lo"]


@pytest.fixture(scope="session")
def documents(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    out = {}
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        call_command("load_plan", str(ROOT / "fixtures" / "plan_2022.yaml"), stdout=open(os.devnull, "w"))
        plan = Plan.objects.get(year=2022)
        seed_year(plan, today=TODAY)
        for (kind, key), spec in BUILDS.items():
            draft = report_build(kind=kind, key=key, today=TODAY)
            draft_date = draft.doc_date
            issued = report_issue(report=draft, user=None, doc_date=spec["draft_dates"][1])
            board = status_board(plan=plan, period=spec["month"], today=TODAY)
            city_reds = [(r.metric.name, lead_name(r.metric)) for r in board.city_rows.values() if r.status == Status.RED]
            out[kind, key] = Built(
                tmp_path_factory.mktemp("lo"),
                draft_date=draft_date,
                number=issued.doc_number,
                doc_date=issued.doc_date,
                docx=media / issued.docx.name,
                pdf=media / issued.pdf.name,
                xlsx=media / issued.xlsx.name,
                city_reds=city_reds,
            )
        # The third quarter's county ranking, as its bulletin would rank it: what the
        # year-end annex's 较上期升降位次 is measured against.
        q3 = rankings(plan=plan, periods=[date(2022, m, 1) for m in (7, 8, 9)], today=TODAY)["counties"].rows
        out["bulletin", "2022Q4"]["q3_ranks"] = {r.name: r.rank for r in q3}
        transaction.set_rollback(True)
    return out


@pytest.fixture(params=list(BUILDS), ids=lambda p: f"{p[0]}-{p[1]}")
def built(request, documents):
    return request.param, documents[request.param]
