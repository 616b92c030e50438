"""`manage.py build_report` builds now and prints the paths of the files it wrote."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from reports.models import Report
from reports.tests.reportdata import june


def test_it_builds_and_prints_the_paths(plan_2022, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    june(plan_2022)
    out = StringIO()
    call_command("build_report", "dispatch", "2022-06", stdout=out, stderr=StringIO())
    paths = [Path(line) for line in out.getvalue().split()]
    assert [p.suffix for p in paths] == [".docx", ".pdf", ".xlsx"]
    assert all(p.is_file() and p.is_relative_to(tmp_path) for p in paths)
    call_command("build_report", "bulletin", "2022Q2", stdout=out, stderr=StringIO())
    assert Report.objects.filter(kind="bulletin", key="2022Q2", state="draft").count() == 1


def test_the_date_option_sets_the_document_date(plan_2022, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    june(plan_2022)
    call_command("build_report", "dispatch", "2022-06", "--date", "2022-07-08", stdout=StringIO(), stderr=StringIO())
    assert Report.objects.get(kind="dispatch", key="2022-06").doc_date.isoformat() == "2022-07-08"
    with pytest.raises(CommandError, match="成文日期"):
        call_command("build_report", "dispatch", "2022-06", "--date", "2022-7-8x", stdout=StringIO(), stderr=StringIO())


def test_a_bad_period_is_a_chinese_error(plan_2022):
    with pytest.raises(CommandError, match="格式不正确"):
        call_command("build_report", "bulletin", "2022-06", stdout=StringIO(), stderr=StringIO())
