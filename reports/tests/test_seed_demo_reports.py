"""The demo gives leaders issued reports to download; a second run builds nothing new."""

from datetime import date
from io import StringIO

from django.core.management import call_command

from reports.models import Report
from tests.snapshots import demo_seed


def test_it_builds_and_issues_the_latest_reports_once(plan_2022, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    demo_seed(plan_2022, today=date(2023, 2, 1))

    call_command("seed_demo_reports", stdout=StringIO())
    out = StringIO()
    call_command("seed_demo_reports", stdout=out)

    issued = Report.objects.filter(state=Report.State.ISSUED)
    assert sorted(issued.values_list("kind", "key")) == [
        ("bulletin", "2022Q3"),
        ("bulletin", "2022Q4"),
        ("dispatch", "2022-11"),
        ("dispatch", "2022-12"),
    ]
    assert all(r.docx and r.xlsx for r in issued)
    assert Report.objects.count() == 4
    assert out.getvalue().count("已存在,跳过") == 4
