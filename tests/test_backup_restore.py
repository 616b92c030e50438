"""`manage.py backup` / `restore`: a database survives the round trip row for row."""

import io
from datetime import date

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from indicators.demo import seed_year
from indicators.models import Figure
from indicators.services.figures import figures_import

DERIVED = {"indicators_targetstatus", "indicators_reportingstatus", "indicators_statusmonth"}


def _auto_through_tables() -> set[str]:
    """The tables Django makes for a plain ManyToManyField: their own ids mean nothing (a
    dump lists the links in the related model's order, a restore numbers them afresh)."""
    return {
        f.remote_field.through._meta.db_table
        for model in apps.get_models()
        for f in model._meta.local_many_to_many
        if f.remote_field.through._meta.auto_created
    }


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table of the project, in a stable order (a link table's rows
    without their meaningless id)."""
    out, links = {}, _auto_through_tables()
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.django_table_names(only_existing=True, include_views=False)):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows = cursor.fetchall()
            out[table] = sorted((r[1:] for r in rows) if table in links else rows, key=repr)
    return out


@pytest.fixture
def filled(plan_2022):
    """A plan, two months of figures, submissions, task reports and figure history."""
    seed_year(plan_2022, today=date(2022, 3, 20))
    office = User.objects.create(username="office", password="!")  # unusable: no hashing cost
    figures_import(
        rows=[
            {"line": 2, "unit": "hengnan", "metric": "business_start_days", "period": "2022-07", "value": "0.42", "cases": "17"}
        ],
        user=office,
    )
    return plan_2022


def test_it_round_trips_every_table_exactly(filled, tmp_path):
    before = snapshot()
    assert len(before["indicators_figure"]) > 500
    assert before["indicators_historicalfigure"]
    path = tmp_path / "backup.json.gz"  # the plain .json path is exercised below
    call_command("backup", str(path), stdout=io.StringIO())

    if connection.vendor == "postgresql":
        connection.cursor().execute("SET CONSTRAINTS ALL IMMEDIATE")  # the test's own transaction
    call_command("flush", interactive=False, verbosity=0)
    assert not Figure.objects.exists()
    call_command("restore", str(path), "--noinput", stdout=io.StringIO())

    after = snapshot()
    assert after.keys() == before.keys()
    for table in before.keys() - DERIVED:
        assert after[table] == before[table], table
    # Statuses are derived: restore recomputes them from the restored figures.
    assert after["indicators_targetstatus"] and after["indicators_reportingstatus"]


def test_a_broken_file_changes_nothing(filled, tmp_path):
    before = snapshot()
    path = tmp_path / "broken.json"
    call_command("backup", str(path), stdout=io.StringIO())
    path.write_text(path.read_text(encoding="utf-8")[:-5000], encoding="utf-8")  # cut short
    with pytest.raises(CommandError, match="恢复失败,数据库未改动"):
        call_command("restore", str(path), "--noinput", stdout=io.StringIO())
    assert snapshot() == before


def test_it_refuses_other_file_names(db, tmp_path):
    with pytest.raises(CommandError, match="备份文件名须以"):
        call_command("backup", str(tmp_path / "backup.sql"), stdout=io.StringIO())
    with pytest.raises(CommandError, match="备份文件不存在"):
        call_command("restore", str(tmp_path / "missing.json"), "--noinput", stdout=io.StringIO())


def test_it_asks_before_replacing(filled, tmp_path, monkeypatch):
    path = tmp_path / "b.json"
    call_command("backup", str(path), stdout=io.StringIO())
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    count = Figure.objects.count()
    with pytest.raises(CommandError, match="已取消"):
        call_command("restore", str(path), stdout=io.StringIO())
    assert Figure.objects.count() == count
