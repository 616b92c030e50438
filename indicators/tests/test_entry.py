"""The monthly entry page: what it lists, saving a draft, red figures needing an
explanation, submitting, lateness, optimistic locking, and a fixed query count."""

from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from actions.models import TaskReport, Unit
from indicators.models import Assignment, Figure, Metric, ReportingMonth, Submission

PERIOD = "2022-06"
URL = reverse("indicators:entry", args=["hengnan", PERIOD])


@pytest.fixture
def open_month(db):
    """June 2022 still open today: deadline and lock date in the future."""
    today = timezone.localdate()
    return ReportingMonth.objects.create(
        period=date(2022, 6, 1), deadline=date(today.year + 1, 1, 5), lock_date=date(today.year + 1, 1, 15)
    )


def form_data(client, url=URL, **changes):
    """The page's own form as a browser would post it, with `changes` applied."""
    response = client.get(url)
    form = response.context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        data[name] = "" if value is None else value
    data.update(changes)
    return data


def test_it_lists_exactly_the_units_metrics_grouped_by_area(client, users, open_month):
    client.force_login(users["reporter"])
    response = client.get(URL)
    assert response.status_code == 200
    shown = {r["row"].metric.code for _, rows in response.context["areas"] for r in rows}
    assigned = set(Assignment.objects.filter(unit__code="hengnan").values_list("metric__code", flat=True))
    assert shown == assigned
    body = response.content.decode()
    assert "≤ 0.5 个工作日" in body  # 企业开办时间's target in words
    assert "政务服务提优行动" in body
    assert "任务进展" in body


def test_it_saves_a_draft_and_keeps_history(client, users, open_month):
    client.force_login(users["reporter"])
    data = form_data(client, **{"business_start_days-value": "0.4", "business_start_days-cases": "12", "action": "save"})
    response = client.post(URL, data)
    assert response.status_code == 302
    f = Figure.objects.get(unit__code="hengnan", metric__code="business_start_days", period=date(2022, 6, 1))
    assert (f.value, f.cases, f.source) == (Decimal("0.4"), 12, "form")
    assert f.history.first().history_user == users["reporter"]
    assert f.history.first().history_change_reason == "网页填报"
    assert Submission.objects.get(unit__code="hengnan").state == "draft"


def test_a_draft_with_a_red_figure_and_no_notes_is_saved(client, users, open_month):
    client.force_login(users["reporter"])
    data = form_data(client, **{"business_start_days-value": "3", "business_start_days-cases": "5", "action": "save"})
    response = client.post(URL, data)
    assert response.status_code == 302
    f = Figure.objects.get(unit__code="hengnan", metric__code="business_start_days")
    assert (f.value, f.cases, f.explanation) == (Decimal(3), 5, "")
    assert Submission.objects.get(unit__code="hengnan").state == "draft"


def test_submit_is_blocked_with_a_summary_linking_each_row_and_the_draft_is_kept(client, users, open_month):
    client.force_login(users["reporter"])
    data = _complete(client, **{"business_start_days-value": "3", "business_start_days-cases": "5"})
    data["business_start_days-explanation"] = data["business_start_days-measures"] = ""
    data["task-a1-1-state"], data["task-a1-1-narrative"] = "delayed", ""
    response = client.post(URL, data)

    assert response.status_code == 400
    assert Submission.objects.get(unit__code="hengnan").state == "draft"
    attention = {a["anchor"]: a for a in response.context["attention"]}
    assert set(attention) == {"m-business_start_days", "t-a1-1"}
    assert attention["m-business_start_days"]["name"] == "企业开办时间"
    assert attention["m-business_start_days"]["problems"] == ["未达标的指标须填写情况说明", "未达标的指标须填写整改措施"]
    body = response.content.decode()
    assert '<a href="#m-business_start_days">企业开办时间</a>' in body and 'id="m-business_start_days"' in body
    assert '<a href="#t-a1-1">' in body and 'id="t-a1-1"' in body
    assert "未提交:有 2 项需要处理" in body
    # what was typed is saved as a draft, and the page carries the new version
    f = Figure.objects.get(unit__code="hengnan", metric__code="business_start_days")
    assert (f.value, f.cases) == (Decimal(3), 5)
    sub = Submission.objects.get(unit__code="hengnan")
    assert response.context["form"]["version"].value() == str(sub.version)
    data["business_start_days-explanation"], data["business_start_days-measures"] = "集中申报", "专人督办"
    data["task-a1-1-narrative"], data["version"] = "系统升级推迟,下月完成", sub.version
    assert client.post(URL, data).status_code == 302
    assert Submission.objects.get(unit__code="hengnan").state == "submitted"


def test_a_malformed_number_is_kept_back_and_everything_else_is_saved(client, users, open_month):
    unit = Unit.objects.get(code="hengnan")
    metric = Metric.objects.get(code="business_start_days")
    Figure.objects.create(unit=unit, metric=metric, period=date(2022, 6, 1), value=Decimal("0.4"), cases=3)
    client.force_login(users["reporter"])
    data = form_data(client, action="save")
    data |= {"business_start_days-value": "半天", "business_start_days-explanation": "窗口人员不足"}
    data |= {"arrears_balance-value": "12", "arrears_balance-measures": "督促清偿"}
    response = client.post(URL, data)

    assert response.status_code == 400
    assert response.context["form"]["business_start_days-value"].value() == "半天"  # still on screen
    assert [a["anchor"] for a in response.context["attention"]] == ["m-business_start_days"]
    assert "数值:“半天”不是数字" in response.context["attention"][0]["problems"]
    kept = Figure.objects.get(unit=unit, metric=metric)
    assert (kept.value, kept.cases, kept.explanation) == (Decimal("0.4"), 3, "窗口人员不足")
    other = Figure.objects.get(unit=unit, metric__code="arrears_balance")
    assert (other.value, other.measures) == (Decimal(12), "督促清偿")
    # the re-shown form is current: fixing the number and saving again is not refused as stale
    data = {k: v for k, v in response.context["form"].data.items()} | {"business_start_days-value": "0.5"}
    assert client.post(URL, data).status_code == 302
    assert Figure.objects.get(unit=unit, metric=metric).value == Decimal("0.5")


def test_notes_typed_on_a_row_without_figures_are_kept_in_a_draft(client, users, open_month):
    client.force_login(users["reporter"])
    data = form_data(client, **{"business_start_days-explanation": "系统切换,数据下周补报", "action": "save"})
    assert client.post(URL, data).status_code == 302
    f = Figure.objects.get(unit__code="hengnan", metric__code="business_start_days")
    assert (f.value, f.explanation) == (None, "系统切换,数据下周补报")


def test_text_in_a_number_field_is_refused_inline_in_chinese(client, users, open_month):
    client.force_login(users["reporter"])
    data = form_data(client, **{"business_start_days-value": "半天", "action": "save"})
    response = client.post(URL, data)
    assert response.status_code == 400
    assert response.context["form"].errors["business_start_days-value"] == ["“半天”不是数字"]


def _complete(client, **extra):
    """Every metric of 衡南县 filled green enough, as a reporter would before submitting."""
    data = form_data(client, action="submit")
    for _, rows in client.get(URL).context["areas"]:
        for r in rows:
            m = r["row"].metric
            for field in r["inputs"]:
                name = field.name.split("-")[-1]
                data[field.name] = {
                    "value": "0",
                    "cases": "10",
                    "numerator": "100",
                    "denominator": "100",
                    "state": "done",
                    "last_year": "50",
                }[name]
            if m.kind == Metric.Kind.AT_MOST or m.measure == Metric.Measure.COUNT:
                data[f"{m.code}-value"] = "0"
            data[f"{m.code}-explanation"] = "说明"
            data[f"{m.code}-measures"] = "措施"
    data.update(extra)
    return data


def test_submit_needs_every_figure(client, users, open_month):
    client.force_login(users["reporter"])
    data = form_data(client, action="submit")
    response = client.post(URL, data)
    assert response.status_code == 400
    assert response.context["form"].errors["business_start_days-value"] == ["请填写本月数据"]
    assert not Submission.objects.filter(state="submitted").exists()


def test_submit_records_who_and_when_and_notifies_the_office(client, users, open_month):
    client.force_login(users["reporter"])
    response = client.post(URL, _complete(client))
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    sub = Submission.objects.get(unit__code="hengnan", period=date(2022, 6, 1))
    assert sub.state == "submitted" and sub.submitted_by == users["reporter"] and not sub.is_late
    assert users["office"].notifications.filter(text__contains="衡南县2022年6月数据已由").exists()
    # the form is now closed, and says why
    page = client.get(URL).content.decode()
    assert "正在等待市优化办审核" in page


def test_a_submission_after_the_deadline_is_late(client, users, db):
    ReportingMonth.objects.create(period=date(2022, 6, 1), deadline=date(2022, 7, 5), lock_date=date(2099, 1, 1))
    client.force_login(users["reporter"])
    client.post(URL, _complete(client))
    assert Submission.objects.get(unit__code="hengnan").is_late


def test_after_the_lock_date_the_form_is_closed_and_says_why(client, users, db):
    ReportingMonth.objects.create(period=date(2022, 6, 1), deadline=date(2022, 7, 5), lock_date=date(2022, 7, 15))
    client.force_login(users["reporter"])
    page = client.get(URL)
    assert "已过本月锁定日(2022-07-15)" in page.content.decode()
    assert page.context["can_edit"] is False
    data = _complete(client)
    response = client.post(URL, data)
    assert response.status_code == 409
    assert not Figure.objects.filter(unit__code="hengnan").exists()


def test_a_second_save_with_a_stale_version_is_refused_showing_what_changed(client, users, open_month):
    from conftest import make_user

    colleague = make_user("hengnan_reporter2", "reporter", "hengnan")
    colleague.first_name = "李四"
    colleague.save()
    client.force_login(users["reporter"])
    mine = form_data(client, **{"business_start_days-value": "0.3", "business_start_days-cases": "4", "action": "save"})
    other = client.__class__()
    other.force_login(colleague)
    theirs = form_data(other, **{"business_start_days-value": "0.2", "business_start_days-cases": "9", "action": "save"})
    assert other.post(URL, theirs).status_code == 302

    response = client.post(URL, mine)

    assert response.status_code == 409
    assert any("李四 修改了“企业开办时间”:0.2(9 件)" in c for c in response.context["stale_changes"])
    f = Figure.objects.get(unit__code="hengnan", metric__code="business_start_days")
    assert (f.value, f.cases) == (Decimal("0.2"), 9)  # the first save is not overwritten


def test_task_progress_is_saved_with_the_sheet(client, users, open_month):
    client.force_login(users["reporter"])
    data = form_data(client, **{"task-a1-1-state": "delayed", "task-a1-1-narrative": "系统升级推迟", "action": "save"})
    assert client.post(URL, data).status_code == 302
    r = TaskReport.objects.get(unit__code="hengnan", task__code="a1-1")
    assert (r.state, r.narrative, r.entered_by) == ("delayed", "系统升级推迟", users["reporter"])


def test_another_units_figures_cannot_be_changed_by_form_field(client, users, open_month):
    """A 衡南县 reporter posting 祁东县's URL is refused; posting field names of metrics
    not assigned to 衡南县 writes nothing."""
    client.force_login(users["reporter"])
    other_url = reverse("indicators:entry", args=["qidong", PERIOD])
    assert client.post(other_url, {"version": 0, "business_start_days-value": "9"}).status_code == 403
    data = form_data(client, **{"tax_hours-value": "99", "tax_hours-cases": "1", "action": "save"})
    assert client.post(URL, data).status_code == 302
    assert not Figure.objects.filter(metric__code="tax_hours").exists()
    assert not Figure.objects.filter(unit__code="qidong").exists()


def _query_count(client, django_assert_num_queries, n):
    with django_assert_num_queries(n):
        assert client.get(URL).status_code == 200


def test_the_page_renders_in_a_fixed_number_of_queries(client, users, open_month, django_assert_num_queries):
    client.force_login(users["reporter"])
    client.get(URL)  # warm: the submission row and month exist either way
    unit = Unit.objects.get(code="hengnan")
    for m in Metric.objects.exclude(assignments__unit=unit)[:1]:
        Figure.objects.create(unit=unit, metric=m, period=date(2022, 6, 1), value=1, cases=1, numerator=1, denominator=1)
    _query_count(client, django_assert_num_queries, 16)  # with the office's baselines
    # more metrics (with figures and last month's figures) and more tasks: same count
    for m in Metric.objects.exclude(assignments__unit=unit):
        Assignment.objects.create(metric=m, unit=unit)
        Figure.objects.create(unit=unit, metric=m, period=date(2022, 5, 1), value=1, state="")
    _query_count(client, django_assert_num_queries, 16)  # with the office's baselines


def test_a_submission_without_a_recorded_user_still_renders(client, users, open_month):
    """Demo and imported submissions carry times but no user: the page shows 系统."""
    unit = Unit.objects.get(code="hengnan")
    now = timezone.now()
    Submission.objects.create(
        unit=unit, period=date(2022, 6, 1), state="accepted", submitted_at=now, last_submitted_at=now, accepted_at=now
    )
    client.force_login(users["office"])
    response = client.get(URL)
    assert response.status_code == 200
    assert "采纳:系统" in response.content.decode()


def test_a_file_import_in_between_makes_an_open_form_stale(client, users, open_month):
    from indicators.services.figures import figures_import

    client.force_login(users["reporter"])
    client.post(URL, form_data(client, action="save"))  # the unit-month exists
    mine = form_data(client, **{"business_start_days-value": "0.3", "business_start_days-cases": "4", "action": "save"})
    row = {"line": 2, "unit": "hengnan", "metric": "business_start_days", "period": PERIOD, "value": "0.2", "cases": "8"}
    figures_import(rows=[row])

    assert client.post(URL, mine).status_code == 409
    assert Figure.objects.get(unit__code="hengnan", metric__code="business_start_days").value == Decimal("0.2")


@pytest.mark.skipif(not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"), reason="row locks: PostgreSQL")
def test_a_save_locks_only_its_own_rows_never_shared_targets_or_units(client, users, open_month):
    """Under load two units saving at once deadlocked: the row locks followed the default
    ordering into indicators_metric and actions_area, which every unit shares. Each
    FOR UPDATE must lock its own table's rows only."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(users["reporter"])
    data = form_data(client, **{"business_start_days-value": "0.4", "business_start_days-cases": "12", "action": "save"})
    with CaptureQueriesContext(connection) as ctx:
        assert client.post(URL, data).status_code == 302
    locking = [q["sql"] for q in ctx.captured_queries if "FOR UPDATE" in q["sql"]]
    assert len(locking) >= 3  # submission, figures, task reports
    for sql in locking:
        head, _, locked = sql.rpartition("FOR UPDATE")
        assert locked.strip().startswith("OF "), sql
        own_table = head.split(" FROM ", 1)[1].split()[0]
        assert locked.strip() == f"OF {own_table}", sql


def test_the_ratio_is_shown_computed_in_the_sheet_read_only_and_live(client, users, open_month):
    unit = Unit.objects.get(code="hengnan")
    june, may = date(2022, 6, 1), date(2022, 5, 1)
    metric = Metric.objects.get(code="online_service_rate")
    Figure.objects.create(unit=unit, metric=metric, period=june, numerator=5272, denominator=10000)
    Figure.objects.create(unit=unit, metric=metric, period=may, numerator=1, denominator=3)
    client.force_login(users["office"])  # read-only
    response = client.get(URL)
    row = next(r for _, rows in response.context["areas"] for r in rows if r["row"].metric.code == "online_service_rate")
    assert row["ratio"] == "52.72%"
    body = response.content.decode()
    assert '<output data-testid="ratio">52.72%</output>' in body
    assert '1/3 = <span class="ratio-value">33.33%</span>' in body  # last month's column

    client.force_login(users["reporter"])
    status_url = reverse("indicators:entry-status", args=["hengnan", PERIOD])
    live = client.get(status_url, {"metric": "online_service_rate", "numerator": "45", "denominator": "60"}).json()
    assert live["ratio"] == "75%"
    assert client.get(status_url, {"metric": "online_service_rate", "numerator": "45"}).json()["ratio"] == ""


def test_a_read_only_sheet_shows_a_milestone_state_in_words(client, users, open_month):
    unit = Unit.objects.get(code="hengnan")
    metric = Metric.objects.get(code="one_thing_policies")
    Figure.objects.create(unit=unit, metric=metric, period=date(2022, 6, 1), state="in_progress")
    client.force_login(users["leader"])
    response = client.get(URL)
    row = next(r for _, rows in response.context["areas"] for r in rows if r["row"].metric.code == "one_thing_policies")
    assert [c["shown"] for c in row["cells"]] == ["推进中"]
    assert '<span data-testid="shown">推进中</span>' in response.content.decode()
    assert "in_progress" not in response.content.decode()


def test_last_months_notes_are_copied_into_empty_notes_only_with_history(client, users, open_month):
    unit = Unit.objects.get(code="hengnan")
    may = date(2022, 5, 1)
    for code, explanation, measures in [
        ("business_start_days", "5月材料补正多", "容缺受理"),
        ("arrears_balance", "历史欠款未清", "分期清偿"),
    ]:
        Figure.objects.create(
            unit=unit, metric=Metric.objects.get(code=code), period=may, value=1, explanation=explanation, measures=measures
        )
    client.force_login(users["reporter"])
    page = client.get(URL)
    assert page.context["can_copy_notes"]
    data = form_data(client, action="copy_notes")
    data |= {"business_start_days-value": "0.4", "business_start_days-cases": "2", "business_start_days-explanation": "6月已好转"}
    response = client.post(URL, data)

    assert response.status_code == 302
    june = {f.metric.code: f for f in Figure.objects.filter(unit=unit, period=date(2022, 6, 1)).select_related("metric")}
    assert (june["business_start_days"].value, june["business_start_days"].explanation) == (Decimal("0.4"), "6月已好转")
    assert june["business_start_days"].measures == "容缺受理"  # only the empty note was filled
    assert (june["arrears_balance"].explanation, june["arrears_balance"].measures) == ("历史欠款未清", "分期清偿")
    assert june["arrears_balance"].history.first().history_change_reason == "复制上月情况说明/整改措施"
    assert june["arrears_balance"].history.first().history_user == users["reporter"]
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["已把上月的情况说明/整改措施复制到本月 3 个空白栏目,请逐项核对修改。"]


def test_copying_notes_is_refused_once_the_month_is_submitted(users, open_month):
    from indicators.services.workflow import WorkflowError, entry_save, notes_copy_last_month

    unit = Unit.objects.get(code="hengnan")
    entry_save(unit=unit, period=date(2022, 6, 1), user=users["reporter"], version=0, figures={}, tasks={}, submit=True)
    with pytest.raises(WorkflowError, match="正在等待市优化办审核"):
        notes_copy_last_month(unit=unit, period=date(2022, 6, 1), user=users["reporter"])


@pytest.mark.parametrize(("month", "asked"), [(9, False), (12, True)])
def test_a_year_end_only_target_is_asked_for_in_december_only(client, users, month, asked):
    """市行政审批服务局's 数字政府建设水平全省排名 is published once a year: left empty in
    September the sheet still submits; in December it is asked for."""
    from conftest import make_user

    today = timezone.localdate()
    period = date(2022, month, 1)
    ReportingMonth.objects.create(period=period, deadline=date(today.year + 1, 1, 5), lock_date=date(today.year + 1, 1, 15))
    client.force_login(make_user("approval_reporter", "reporter", "approval"))
    url = reverse("indicators:entry", args=["approval", f"2022-{month:02d}"])
    data = form_data(
        client,
        url,
        action="submit",
        **{
            "online_service_rate-numerator": "70",
            "online_service_rate-denominator": "100",
            "social_project_approval_days-value": "40",
            "social_project_approval_days-cases": "3",
            "gov_project_approval_days-value": "60",
            "gov_project_approval_days-cases": "2",
        },
    )
    response = client.post(url, data)
    submitted = Submission.objects.filter(unit__code="approval", period=period, state="submitted").exists()
    assert submitted is not asked
    if asked:
        assert response.context["form"].errors["digital_gov_rank-value"] == ["请填写本月数据"]
