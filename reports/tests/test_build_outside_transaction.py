"""A report's files are rendered before its build takes the database's write lock: while
a bulletin renders (seconds, for the PDF), other users' saves go through at once."""

import threading
import time

from django.db import connection

from actions.models import Unit
from reports.services import documents
from reports.services.build import report_build
from reports.tests.reportdata import june


def test_saves_go_through_while_the_files_render(transactional_db, plan_2022, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    june(plan_2022)
    waited = []
    real = documents.RENDERERS["docx"]

    def save_elsewhere():
        start = time.monotonic()
        Unit.objects.filter(code="hengnan").update(name="衡南县")  # any write, from another connection
        connection.close()
        waited.append(time.monotonic() - start)

    def render_while_someone_saves(document, path):
        other = threading.Thread(target=save_elsewhere)
        other.start()
        other.join(10)
        real(document, path)

    monkeypatch.setitem(documents.RENDERERS, "docx", render_while_someone_saves)

    report = report_build(kind="dispatch", key="2022-06")

    assert report.version == 1
    assert waited and waited[0] < 2, waited  # not held up until the build's commit
