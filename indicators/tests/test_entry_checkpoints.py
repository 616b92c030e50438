"""A milestone's checkpoints on the entry sheet: the unit enters the date it reached each
one and what shows it; the status follows (a checkpoint missed is 预警, reached on time is
达标); every change is in the figure's history; a date in the future or without a note
is refused; a new month starts from last month's entries."""

from datetime import date, timedelta

from django.urls import reverse

from actions import clock
from indicators.models import Figure, Metric
from indicators.status.read import metric_rows
from indicators.tests.test_entry import URL, form_data, open_month  # noqa: F401 (fixture)

JUNE = date(2022, 6, 1)
CODE = "no_application_policies"  # 免申即享: 方案印发 06-30, 系统上线 09-30


def _confirmed(db):
    # The plan's checkpoints here are the office's assumption; judged as facts once confirmed.
    Metric.objects.filter(code=CODE).update(pending=[])


def _post(client, **changes):
    return client.post(URL, form_data(client, **{"action": "save", f"{CODE}-state": "in_progress", **changes}))


def _row(unit="hengnan", period=JUNE):
    _city, rows = metric_rows(Metric.objects.get(code=CODE), [period])[period]
    return next(r for r in rows if r.unit.code == unit)


def _status():
    return _row().status


def test_the_sheet_asks_for_each_checkpoint(client, users, open_month):  # noqa: F811
    client.force_login(users["reporter"])
    body = client.get(URL).content.decode()
    assert "节点完成情况" in body
    assert "方案印发(节点 2022-06-30)" in body and "系统上线(节点 2022-09-30)" in body


def test_a_checkpoint_reached_on_time_is_green_and_missed_is_yellow(client, users, open_month, db):  # noqa: F811
    _confirmed(db)
    client.force_login(users["reporter"])

    assert _post(client).status_code == 302
    assert str(_status()) == "yellow"  # 方案印发 due 06-30, not reached

    response = _post(client, **{f"{CODE}-cp1-date": "2022-06-20", f"{CODE}-cp1-note": "衡政办发〔2022〕12号"})

    assert response.status_code == 302
    f = Figure.objects.get(unit__code="hengnan", metric__code=CODE, period=JUNE)
    assert f.checkpoints_reached == {"方案印发": {"date": "2022-06-20", "note": "衡政办发〔2022〕12号"}}
    assert str(_status()) == "green"


def test_a_checkpoint_reached_late_stays_missed(client, users, open_month, db):  # noqa: F811
    _confirmed(db)
    client.force_login(users["reporter"])
    _post(client, **{f"{CODE}-cp1-date": "2022-07-02", f"{CODE}-cp1-note": "7月印发"})
    assert str(_status()) == "yellow"


def test_unconfirmed_checkpoints_make_a_miss_pending(client, users, open_month):  # noqa: F811
    client.force_login(users["reporter"])
    _post(client)
    row = _row()
    assert (str(row.status), row.grey_reason) == ("grey", "pending_confirmation")


def test_each_change_is_in_the_history_with_who_and_why(client, users, open_month):  # noqa: F811
    client.force_login(users["reporter"])
    _post(client, **{f"{CODE}-cp1-date": "2022-06-20", f"{CODE}-cp1-note": "印发"})
    _post(client, **{f"{CODE}-cp1-date": "2022-06-21", f"{CODE}-cp1-note": "印发"})
    f = Figure.objects.get(unit__code="hengnan", metric__code=CODE, period=JUNE)
    h = list(f.history.order_by("history_date"))
    assert [r.checkpoints_reached["方案印发"]["date"] for r in h] == ["2022-06-20", "2022-06-21"]
    assert {r.history_user for r in h} == {users["reporter"]} and {r.history_change_reason for r in h} == {"网页填报"}

    page = client.get(reverse("indicators:figure-history", args=[f.pk])).content.decode()
    assert "方案印发 2022-06-20(印发)" in page and "方案印发 2022-06-21(印发)" in page  # old and new


def test_a_date_after_today_or_without_a_note_is_refused(client, users, open_month):  # noqa: F811
    client.force_login(users["reporter"])
    tomorrow = (clock.today() + timedelta(days=1)).isoformat()
    response = _post(client, **{f"{CODE}-cp1-date": tomorrow, f"{CODE}-cp1-note": "印发"})
    assert response.status_code == 400
    assert response.context["form"].errors[f"{CODE}-cp1-date"] == ["达到节点的日期不能晚于今天"]

    response = _post(client, **{f"{CODE}-cp1-date": "2022-06-20"})
    assert response.status_code == 400
    assert "请说明达到该节点的依据" in response.context["form"].errors[f"{CODE}-cp1-note"][0]
    assert not Figure.objects.get(unit__code="hengnan", metric__code=CODE).checkpoints_reached  # kept back


def test_a_new_month_starts_from_last_months_entries(client, users, open_month):  # noqa: F811
    client.force_login(users["reporter"])
    _post(client, **{f"{CODE}-cp1-date": "2022-06-20", f"{CODE}-cp1-note": "印发"})
    july = reverse("indicators:entry", args=["hengnan", "2022-07"])
    form = client.get(july).context["form"]
    assert form[f"{CODE}-cp1-date"].value() == "2022-06-20" and form[f"{CODE}-cp1-note"].value() == "印发"


def test_the_live_status_reads_the_checkpoints_typed(client, users, db):
    _confirmed(db)
    client.force_login(users["reporter"])
    url = reverse("indicators:entry-status", args=["hengnan", "2022-06"])
    missed = client.get(url, {"metric": CODE, "state": "in_progress"}).json()
    reached = client.get(url, {"metric": CODE, "state": "in_progress", "cp1-date": "2022-06-20", "cp1-note": "印发"}).json()
    assert (missed["label"], reached["label"]) == ("预警", "达标")
    late = client.get(url, {"metric": CODE, "state": "in_progress", "cp1-date": "2099-01-01", "cp1-note": "印发"}).json()
    assert late["errors"] == {"cp1-date": "达到节点的日期不能晚于今天"}


def test_the_office_reads_the_checkpoints_reached(client, users, open_month):  # noqa: F811
    client.force_login(users["reporter"])
    _post(client, **{f"{CODE}-cp1-date": "2022-06-20", f"{CODE}-cp1-note": "印发"})
    client.force_login(users["office"])
    html = client.get(URL).content.decode()
    assert 'data-testid="checkpoint-reached">2022-06-20 达到;印发' in html
    assert 'data-testid="checkpoint-reached">未达到' in html  # 系统上线
