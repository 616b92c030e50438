"""`seed_demo`: a reproducible year of demo figures with every status, an administrator
whose password is printed, and a refusal to mix demo data into real data."""

from collections import Counter
from datetime import date
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from actions import clock
from actions.access import role_of
from actions.models import TaskReport, Unit
from indicators.management.commands.seed_demo import DEMO_PASSWORD, DEMO_USERS
from indicators.models import Baseline, Figure, Metric, Submission
from indicators.rules.status import is_judged
from indicators.selectors import status_board, status_export
from tests.snapshots import seeded

FIELDS = ("unit__code", "metric__code", "period", "value", "numerator", "denominator", "cases", "state", "last_year_value")


def seed(*args) -> str:
    """`seed_demo` with args: run once per test process for each state of the database
    it meets, then put back (tests/snapshots.py): a run draws and judges a whole year."""

    def run():
        out = StringIO()
        call_command("seed_demo", *args, stdout=out)
        return out.getvalue()

    return seeded(("seed_demo", args, clock.today()), run)


def figures() -> list[tuple]:
    return sorted(Figure.objects.values_list(*FIELDS))


def wipe_demo():
    Figure.objects.all().delete()
    Submission.objects.all().delete()
    TaskReport.objects.all().delete()


def test_it_creates_the_admin_and_prints_the_password(plan_2022):
    out = seed()

    assert "admin / Hengyang@2022" in out
    admin = User.objects.get(username="admin")
    assert admin.check_password("Hengyang@2022")
    assert admin.is_superuser and admin.is_staff
    assert admin.membership.role == "admin"
    assert "2022年演示数据:12 个月" in out


def test_the_admin_can_log_in(plan_2022, client):
    seed()

    assert client.post("/accounts/login/", {"username": "admin", "password": "Hengyang@2022"}).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_it_loads_the_plan_when_missing(db):
    out = seed()

    assert "已载入" in out
    assert Figure.objects.filter(metric__plan__year=2022).count() > 3500  # 12 months of ~340 assignments


def test_the_same_seed_gives_the_same_figures(plan_2022):
    seed()
    first = figures()
    n_baselines = Baseline.objects.count()
    wipe_demo()

    seed()

    assert figures() == first
    assert len(first) > 3500
    assert Baseline.objects.count() == n_baselines  # the demo's baselines are replaced, not added


def test_the_demo_judges_against_baselines_the_office_would_have_loaded(plan_2022):
    out = seed()

    assert "上年基数" in out
    assert not Figure.objects.exclude(last_year_value=None).exists()  # never typed by the units
    outage = Baseline.objects.filter(metric__code="outage_hours", unit__code="power")
    assert outage.count() == 12 and {b.period.year for b in outage} == {2021}
    assert Baseline.objects.filter(metric__code="summary_procedure_rate", period=None).count() == 12  # one per county
    row = next(r for r in status_board(plan=plan_2022, period=date(2022, 6, 1)).unit_rows if r.metric.code == "outage_hours")
    assert row.last_year is not None and row.status.value != "grey"


def test_another_seed_gives_other_figures(plan_2022):
    seed("--seed", "1")
    first = figures()
    wipe_demo()

    seed("--seed", "2")

    assert figures() != first


def test_running_twice_does_not_duplicate(plan_2022):
    seed()
    n = Figure.objects.count()

    out = seed()

    assert "已存在,未重复生成" in out
    assert Figure.objects.count() == n


def test_it_refuses_a_database_with_real_figures(plan_2022):
    Figure.objects.create(
        unit=Unit.objects.get(code="tax"),
        metric=Metric.objects.get(code="tax_payments"),
        period="2022-06-01",
        value=5,
        source=Figure.Source.FORM,
    )

    with pytest.raises(CommandError, match="已有真实填报数据"):
        seed()

    assert Figure.objects.count() == 1
    assert not Submission.objects.exists()


def test_it_refuses_a_database_with_real_task_reports(plan_2022):
    from actions.models import Task

    TaskReport.objects.create(unit=Unit.objects.get(code="qidong"), task=Task.objects.get(code="a1-1"), period="2022-06-01")

    with pytest.raises(CommandError, match="已有真实的报送或任务进展记录"):
        seed()

    assert not Figure.objects.exists()


def test_every_status_appears_in_export_status(plan_2022):
    seed()

    statuses = Counter(row["status"] for row in status_export(plan=plan_2022, period=date(2022, 6, 1)))

    assert set(statuses) == {"green", "yellow", "red", "grey"}


def test_every_month_is_a_realistic_mix(assumptions_confirmed):
    """Most unit figures meet their targets (roughly 60–70%), the rest are warnings,
    misses and gaps — every month, so every dashboard has something to show. December
    has no warnings: a warning is a figure behind its pace or a milestone that missed a
    checkpoint, and in December the pace is the target and every due date has come. (With the
    plan's assumptions confirmed: unconfirmed ones are grey 待核定 by design.)"""
    plan_2022 = assumptions_confirmed
    seed()

    for month in range(1, 13):
        board = status_board(plan=plan_2022, period=date(2022, month, 1))
        mix = Counter(r.status.value for r in board.unit_rows if is_judged(r.metric.target))
        total = sum(mix.values())
        share = {s: mix[s] / total for s in ("green", "yellow", "red", "grey")}
        # roughly 55–75%. A milestone on schedule is 达标 (issue 21), so January, with no
        # checkpoint due and a month of pace behind no one, has no warning and more green.
        assert 0.5 <= share["green"] <= (0.85 if month == 1 else 0.75), (month, share)
        assert share["red"] >= 0.05 and share["grey"] > 0, (month, share)
        assert share["yellow"] >= 0.05 if 1 < month < 12 else share["yellow"] == 0, (month, share)
    # the checkpoints the demo units entered: some missed (预警) once 方案印发 (06-30) is due
    june = Counter(
        r.status.value
        for r in status_board(plan=plan_2022, period=date(2022, 6, 1)).unit_rows
        if r.metric.code == "no_application_policies"
    )
    assert june["yellow"] and june["green"], june


def test_demo_figures_pass_the_figure_checks(plan_2022):
    """Demo data is data a user could have typed: it passes the same checks."""
    from indicators.rules.inputs import clean_figure

    seed()

    for f in Figure.objects.select_related("metric"):
        m = f.metric
        checked = clean_figure(
            m.measure,
            value=f.value,
            numerator=f.numerator,
            denominator=f.denominator,
            cases=f.cases,
            state=f.state,
            allow_negative=m.allows_negative,
        )
        assert checked.errors == {}, (m.code, f.unit_id, f.period, checked.errors)


def test_seed_demo_creates_one_user_per_role_and_prints_the_passwords(plan_2022, rf):
    text = seed()
    seed()  # a second run resets, never duplicates
    roles = set()
    for username, _name, role, _unit in DEMO_USERS:
        assert f"{username} / {DEMO_PASSWORD}" in text
        user = authenticate(rf.post("/accounts/login/"), username=username, password=DEMO_PASSWORD)
        assert user is not None and role_of(user) == role
        roles.add(role)
    assert roles == {"reporter", "approver", "lead", "office", "leader"}
    assert "admin / Hengyang@2022" in text


def test_the_demo_keeps_its_last_month_open_for_trying_the_entry_form(plan_2022, client, settings):
    from indicators.demo import demo_today
    from indicators.models import ReportingMonth

    seed()
    settings.DEMO_TODAY = demo_today(2022)  # as `make run` starts its processes on the demo
    december = date(2022, 12, 1)
    month = ReportingMonth.objects.get(period=december)
    assert month.deadline > settings.DEMO_TODAY and month.lock_date > month.deadline
    assert Submission.objects.get(unit__code="hengnan", period=december).state == "draft"
    assert not Submission.objects.filter(period=december, is_late=True).exists()  # nobody is late before the deadline

    client.force_login(User.objects.get(username="hengnan_tb"))
    page = client.get("/indicators/entry/hengnan/2022-12/").content.decode()
    assert 'value="submit"' in page  # the form is open, not locked


def test_the_demo_approver_has_a_submission_waiting_and_can_approve_it(plan_2022, client):
    seed()
    assert set(Unit.objects.filter(needs_approval=True).values_list("code", flat=True)) == {"hengnan", "qidong", "leiyang"}
    approver = User.objects.get(username="hengnan_sh")
    [notice] = approver.notifications.filter(read_at__isnull=True)
    assert notice.text == "衡南县2022年11月数据已由衡南县填报员提交,请审核。"
    assert notice.url == "/indicators/entry/hengnan/2022-11/"
    # the open month of the other units that need approval waits for the office, not for an approver
    december = Submission.objects.filter(period=date(2022, 12, 1), unit__code__in=["qidong", "leiyang"])
    assert {s.state for s in december} <= {"approved", "draft"} and any(s.state == "approved" for s in december)

    client.force_login(approver)
    page = client.get(notice.url)
    assert page.context["can_approve"] and "提交:衡南县填报员" in page.content.decode()
    client.post("/indicators/entry/hengnan/2022-11/step/approve/")
    sub = Submission.objects.get(unit__code="hengnan", period=date(2022, 11, 1))
    assert (sub.state, sub.approved_by) == ("approved", approver)
    assert not approver.notifications.filter(read_at__isnull=True).exists()
    assert Submission.objects.get(unit__code="hengnan", period=date(2022, 12, 1)).state == "draft"  # still for the reporter
