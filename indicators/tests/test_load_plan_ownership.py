"""`load_plan` and the office's edits: a reload never touches an office-owned field, shows
what it will change first (--dry-run), and records who loaded which file when."""

import hashlib
from io import StringIO

from django.contrib.auth.models import User
from django.core.management import call_command

from actions.models import PlanLoad, Unit
from conftest import PLAN_FILE

APPROVING = ["hengnan", "qidong", "leiyang"]


def load(path, *args) -> str:
    out = StringIO()
    call_command("load_plan", str(path), *args, stdout=out)
    return out.getvalue()


def edited_plan(tmp_path):
    path = tmp_path / "plan_2022.yaml"
    text = PLAN_FILE.read_text(encoding="utf-8").replace("name: 衡南县,", "name: 衡南县(新),")
    path.write_text(text, encoding="utf-8")
    return path


def test_a_reload_keeps_the_approval_steps_the_office_turned_on(plan_2022, tmp_path):
    Unit.objects.filter(code__in=APPROVING).update(needs_approval=True)

    load(PLAN_FILE)
    load(edited_plan(tmp_path))

    assert set(Unit.objects.filter(needs_approval=True).values_list("code", flat=True)) == set(APPROVING)
    assert Unit.objects.get(code="hengnan").name == "衡南县(新)"  # the file's own field follows the file


def test_reloading_the_same_file_changes_nothing_and_is_recorded(plan_2022):
    User.objects.create_user("office_loader")
    before = PlanLoad.objects.count()  # the fixture's own first load

    out = load(PLAN_FILE, "--user", "office_loader")

    assert "方案未发生变化" in out
    assert PlanLoad.objects.count() == before + 1
    record = PlanLoad.objects.first()
    assert record.file_name == "plan_2022.yaml" and record.year == 2022
    assert record.sha256 == hashlib.sha256(PLAN_FILE.read_bytes()).hexdigest()
    assert record.loaded_by.username == "office_loader" and record.os_user
    assert record.summary == "方案未发生变化(与数据库中一致)。" and record.changes == ""


def test_a_dry_run_shows_the_changes_and_writes_nothing(plan_2022, tmp_path):
    before = PlanLoad.objects.count()

    out = load(edited_plan(tmp_path), "--dry-run")

    assert "试载入,未写入" in out
    assert "单位 hengnan(衡南县):名称 衡南县 → 衡南县(新)" in out
    assert Unit.objects.get(code="hengnan").name == "衡南县"
    assert PlanLoad.objects.count() == before


def test_a_real_load_records_what_it_changed(plan_2022, tmp_path):
    load(edited_plan(tmp_path))

    record = PlanLoad.objects.first()  # the latest
    assert "单位更新 1" in record.summary
    assert record.changes == "单位 hengnan(衡南县):名称 衡南县 → 衡南县(新)"


def test_the_office_sees_the_plan_loads_in_admin(plan_2022, client, tmp_path):
    load(edited_plan(tmp_path))
    admin = User.objects.create_superuser("root", password="x")
    client.force_login(admin)

    page = client.get("/admin/actions/planload/").content.decode()

    assert "plan_2022.yaml" in page


def test_the_office_sees_who_loaded_which_file_and_what_changed(plan_2022, client, users, tmp_path):
    User.objects.create_user("loader", first_name="市优化办张三")
    load(edited_plan(tmp_path), "--user", "loader")
    client.force_login(users["office"])

    page = client.get("/indicators/plan-loads/").content.decode()

    assert "方案载入记录" in page and "plan_2022.yaml" in page and "市优化办张三" in page
    assert "单位 hengnan(衡南县):名称 衡南县 → 衡南县(新)" in page


def test_a_reporter_may_not_see_the_plan_loads(plan_2022, client, users):
    client.force_login(users["reporter"])

    assert client.get("/indicators/plan-loads/").status_code == 403
