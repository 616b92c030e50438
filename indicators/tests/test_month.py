"""The office's month overview (submitted, late, missing, completeness rate) and the
month's dates, which the office edits."""

from datetime import date
from decimal import Decimal

from django.urls import reverse

from actions.models import Unit
from indicators.models import Assignment, Figure, ReportingMonth, Submission
from indicators.selectors import month_overview

JUNE = date(2022, 6, 1)


def fill(unit):
    for a in Assignment.objects.filter(unit=unit).select_related("metric"):
        Figure.objects.create(unit=unit, metric=a.metric, period=JUNE, value=1, numerator=1, denominator=2, cases=1, state="done")


def test_completeness_counts_submitted_and_imported_units_never_above_100(plan_2022):
    hengnan, qidong, tax = (Unit.objects.get(code=c) for c in ("hengnan", "qidong", "tax"))
    Submission.objects.create(unit=hengnan, period=JUNE, state="submitted", is_late=True)
    fill(qidong)  # typed in completely, but not submitted
    Submission.objects.create(unit=tax, period=JUNE, state="draft")
    Submission.objects.create(unit=Unit.objects.get(code="office"), period=JUNE, state="submitted")  # not expected

    o = month_overview(period=JUNE)

    rows = {r.unit.code: r for r in o.rows}
    assert "office" not in rows  # the office reports nothing: not expected, not counted
    assert rows["hengnan"].counts and rows["hengnan"].is_late
    before, after = date(2022, 7, 5), date(2022, 7, 6)  # the deadline day, and the day after
    assert rows["hengnan"].report_state(deadline=before, today=after).label == "逾期报送"
    assert not rows["qidong"].counts and rows["qidong"].complete
    assert rows["qidong"].report_state(deadline=before, today=before).label == "未报送"
    assert not rows["tax"].counts and rows["tax"].report_state(deadline=before, today=before).label == "草稿"
    assert rows["tax"].report_state(deadline=before, today=after).label == "逾期未报"
    assert o.reported == 1 and o.late == 1 and o.missing == o.expected - 1
    assert 0 < o.rate < 100


def test_everyone_reported_is_exactly_100(plan_2022):
    for unit in {a.unit for a in Assignment.objects.select_related("unit")}:
        fill(unit)
        Submission.objects.create(unit=unit, period=JUNE, state="accepted")
    assert month_overview(period=JUNE).rate == 100


def test_the_page_shows_the_rate_and_who_is_missing(client, users):
    client.force_login(users["office"])
    body = client.get(reverse("indicators:month", args=["2022-06"])).content.decode()
    assert 'data-testid="rate">0.0%' in body
    assert "祁东县" in body and "未报送" in body


def test_the_office_edits_the_dates(client, users):
    client.force_login(users["office"])
    url = reverse("indicators:month-dates", args=["2022-06"])
    response = client.post(url, {"deadline": "2022-07-08", "lock_date": "2022-07-06"})
    assert response.status_code == 200
    assert "锁定日不能早于按时报送截止日" in response.content.decode()
    client.post(url, {"deadline": "2022-07-08", "lock_date": "2022-07-20"})
    m = ReportingMonth.objects.get(period=JUNE)
    assert (m.deadline, m.lock_date) == (date(2022, 7, 8), date(2022, 7, 20))


def test_a_new_month_shows_calendar_defaults_and_a_read_creates_nothing(client, users):
    client.force_login(users["reporter"])
    response = client.get(reverse("indicators:entry", args=["hengnan", "2022-09"]))
    assert response.status_code == 200
    m = response.context["sheet"].month
    # 5 October 2022 is in the National Day holiday: the deadline moves to the next working
    # day, Saturday 8 October (a 调休 make-up day); the 15th is a Saturday off: the 17th
    assert m.deadline == date(2022, 10, 8) and m.lock_date == date(2022, 10, 17)
    client.force_login(users["office"])
    assert client.get(reverse("indicators:month", args=["2022-09"])).status_code == 200
    assert client.get(reverse("indicators:month-dates", args=["2022-09"])).status_code == 200
    assert not ReportingMonth.objects.filter(period=date(2022, 9, 1)).exists()  # a read never writes


def test_the_months_first_save_fixes_its_dates(client, users, monkeypatch):
    from datetime import datetime

    from django.utils import timezone

    from indicators.services import workflow
    from indicators.services.workflow import entry_save

    at = timezone.make_aware(datetime(2022, 9, 20, 10, 0))
    monkeypatch.setattr(workflow, "now_and_today", lambda: (at, at.date()))  # while September is open
    unit = users["reporter"].membership.unit
    entry_save(unit=unit, period=date(2022, 9, 1), user=users["reporter"], version=0, figures={}, tasks={})
    m = ReportingMonth.objects.get(period=date(2022, 9, 1))
    assert m.deadline == date(2022, 10, 8) and m.lock_date == date(2022, 10, 17)


def test_a_file_import_that_completes_a_month_counts_on_every_board(plan_2022, tmp_path):
    from django.core.management import call_command

    from reports.selectors.completeness import completeness_board

    qidong = Unit.objects.get(code="qidong")
    rows = ["unit,metric,period,value,numerator,denominator,cases,note"]
    for a in Assignment.objects.filter(unit=qidong, metric__plan=plan_2022).select_related("metric"):
        m = a.metric
        if m.measure == "ratio":
            rows.append(f"qidong,{m.code},2022-06,,1,2,,")
        elif m.measure == "milestone":
            rows.append(f"qidong,{m.code},2022-06,推进中,,,,")
        else:
            rows.append(f"qidong,{m.code},2022-06,1,,,3,")
    path = tmp_path / "qidong.csv"
    path.write_text("\n".join(rows), encoding="utf-8")

    call_command("import_figures", str(path))

    sub = Submission.objects.get(unit=qidong, period=JUNE)
    assert sub.state == "submitted" and sub.is_late  # June 2022's deadline is long past
    assert {r.unit.code: r.counts for r in month_overview(period=JUNE).rows}["qidong"]
    board = completeness_board(period=JUNE)
    assert board.submitted == month_overview(period=JUNE).reported == 1


def test_the_month_page_rounds_the_rate_as_the_completeness_board_does():
    from indicators.selectors import MonthOverview, UnitMonthRow

    rows = [UnitMonthRow(unit=None, expected=1, filled=1, submission=Submission(state="submitted")) for _ in range(26)]
    rows += [UnitMonthRow(unit=None, expected=1, filled=0, submission=None) for _ in range(6)]
    assert MonthOverview(JUNE, None, rows).rate == Decimal("81.3")  # 81.25 rounds half up
