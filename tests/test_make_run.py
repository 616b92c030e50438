"""`make run` every morning: an empty database gets the plan and the demo; a database in
use is brought up to date and never written over; the demo lives at one moment."""

import json
import re
import subprocess
from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from actions.models import Unit
from conftest import PLAN_FILE
from indicators.demo import demo_today
from indicators.models import Figure, Submission

ROOT = Path(__file__).resolve().parent.parent


def prepare(*args) -> str:
    out = StringIO()
    call_command("prepare_run", "--plan-file", str(PLAN_FILE), *args, stdout=out)
    return out.getvalue()


def test_make_run_writes_the_demo_only_through_prepare_run():
    """The demo is not a step of every start (it was: seed_demo refused a database with
    real figures and make stopped before the site started)."""
    steps = subprocess.run(
        ["make", "-n", "-o", "setup", "-o", "venv", "-o", ".venv/.installed", "run"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "seed_demo" not in steps and "load_plan" not in steps
    assert "manage.py prepare_run" in steps


def test_a_database_with_real_figures_starts_and_keeps_them_and_the_office_settings(plan_2022, tmp_path, settings):
    settings.VAR_DIR = tmp_path
    User.objects.create_user("office_real")
    unit = Unit.objects.get(code="hengnan")
    Unit.objects.filter(pk=unit.pk).update(needs_approval=True)  # the office turned it on
    metric = plan_2022.metrics.get(code="business_start_days")
    Figure.objects.create(
        metric=metric, unit=unit, period=date(2022, 6, 1), value=Decimal("0.4"), cases=12, source=Figure.Source.IMPORT
    )

    out = prepare()

    assert "不载入方案、不写入演示数据" in out
    assert list(Figure.objects.values_list("source", "value")) == [(Figure.Source.IMPORT, Decimal("0.4"))]
    assert not User.objects.filter(username="admin").exists()  # no demo accounts
    assert Unit.objects.get(code="hengnan").needs_approval
    assert not (tmp_path / "run" / "demo_today").exists()  # a real database runs on the real date


def test_an_empty_database_without_the_demo_gets_the_plan_only(db, tmp_path, settings):
    settings.VAR_DIR = tmp_path

    out = prepare("--no-demo")

    assert "空数据库:载入方案。" in out
    assert Unit.objects.filter(code="hengnan").exists()
    assert not Figure.objects.exists() and not User.objects.exists()


def test_the_plan_file_changed_since_its_last_load_is_announced_not_loaded(db, tmp_path, settings):
    settings.VAR_DIR = tmp_path
    call_command("load_plan", str(PLAN_FILE), stdout=StringIO())
    edited = tmp_path / "plan_2022.yaml"
    edited.write_text(PLAN_FILE.read_text(encoding="utf-8").replace("name: 衡南县,", "name: 衡南县(改),"), encoding="utf-8")

    out = StringIO()
    call_command("prepare_run", "--plan-file", str(edited), stdout=out)

    assert "未自动载入" in out.getvalue() and "load_plan --dry-run" in out.getvalue()
    assert Unit.objects.get(code="hengnan").name == "衡南县"


# -- one demo moment ----------------------------------------------------------------------
YEAR = re.compile(r"(?<!\d)(\d{4})(?=年|〔|-\d\d-\d\d)")


@pytest.mark.django_db(transaction=True)
def test_the_demo_lives_at_one_moment_just_after_its_year(tmp_path, settings):
    """An empty database, as `make run` finds it the first time: the demo's documents carry
    no date outside 2022–2023, and the office's 报送进度 says plausible 提前/逾期 days."""
    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"

    out = prepare()

    moment = demo_today(2022)
    assert moment == date(2023, 1, 16) and "2023年1月16日" in out
    assert (tmp_path / "run" / "demo_today").read_text().strip() == "2023-01-16"
    from reports.models import Report

    reports = list(Report.objects.all())
    assert len(reports) == 4
    for r in reports:
        text = json.dumps(r.content, ensure_ascii=False) + json.dumps(r.head, ensure_ascii=False) + r.doc_number
        years = set(YEAR.findall(text)) | {str(r.doc_date.year), str(r.issued_at.year)}
        assert years <= {"2022", "2023"}, (r.kind, r.key, years)
        assert r.doc_date <= moment
    q4 = Report.objects.get(key="2022Q4")
    assert "12月数据于2023年1月31日锁定后为准" in json.dumps(q4.content, ensure_ascii=False)

    from reports.selectors.completeness import completeness_board

    settings.DEMO_TODAY = moment  # the processes `make run` starts
    for month in (date(2022, 11, 1), date(2022, 12, 1)):
        board = completeness_board(period=month)
        days = [r.days for r in board.rows if r.submission and r.submission.submitted_at]
        assert days and all(-31 <= d <= 31 for d in days), (month, days)
    texts = {r.days_text for r in completeness_board(period=date(2022, 12, 1)).rows}
    assert any(t.startswith("提前 ") for t in texts)
    assert Submission.objects.filter(period=date(2022, 12, 1), unit__code="hengnan").get().state == "draft"
