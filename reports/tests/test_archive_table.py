"""The archive table, built from plain unsaved versions (no database, no HTTP)."""

from django.utils import timezone

from reports.archive_tables import ArchiveTable
from reports.models import Report


def test_it_marks_corrections_and_formerly_issued_versions_and_links_each_format():
    old = Report(pk=4, kind="dispatch", key="2022-06", version=1, state="superseded", issued_at=timezone.now())
    old.docx, old.xlsx = "a.docx", "a.xlsx"
    new = Report(pk=5, kind="dispatch", key="2022-06", version=2, state="issued", issued_at=timezone.now(), is_correction=True)
    new.docx, new.xlsx, new.final_docx = "b.docx", "b.xlsx", "b-final.docx"
    table = ArchiveTable([new, old])
    first, second = table.rows
    assert "第2版" in first.get_cell("version") and "更正" in first.get_cell("version")
    assert "已印发" in first.get_cell("state")
    assert "已被新版本替代(曾印发)" in second.get_cell("state")
    links = first.get_cell("downloads")
    assert "/version/5/download/docx/" in links and "Word(定稿)" in links and "Excel附件" in links
    assert "PDF" not in links  # a dispatch has no PDF
