"""Judging rules of the scores (issue 21): a month counts for timeliness only after its
deadline; grey of any reason leaves the 达标率 denominator; a year-end-only target is
asked for in December only."""

from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from actions.models import Unit
from indicators.models import Figure, Metric, ReportingStatus, Submission
from indicators.services.figures import _complete_months
from indicators.status.refresh import status_refresh
from reports.home import leader_home
from reports.rankings import rankings

JUNE, SEPT = date(2022, 6, 1), date(2022, 9, 1)
OPEN = date(2022, 6, 30)  # five days before June's deadline (5 July)
CLOSED = date(2022, 7, 6)


def unit(code):
    return Unit.objects.get(code=code)


def put(code, metric, period=JUNE, **values):
    return Figure.objects.create(unit=unit(code), metric=Metric.objects.get(code=metric), period=period, **values)


def submit(code, period=JUNE, state="submitted", late=False):
    at = timezone.make_aware(datetime(period.year, period.month + 1, 8 if late else 3, 10))
    Submission.objects.create(unit=unit(code), period=period, state=state, submitted_at=at, last_submitted_at=at, is_late=late)


# -- A. a month counts for timeliness only after its deadline ---------------------------------
def test_units_before_their_deadline_are_not_scored_on_timeliness(plan_2022):
    put("hengnan", "business_start_days", value="0.3", cases=4)
    submit("hengnan")
    before = rankings(plan=plan_2022, periods=[JUNE], today=OPEN)["counties"]
    # 珠晖区 may still report: not 按时报送 0/1, and not ranked on nothing
    assert (before.inputs["zhuhui"].on_time, before.inputs["zhuhui"].expected) == (0, 0)
    assert "zhuhui" not in {r.unit for r in before.rows}
    assert (before.inputs["hengnan"].on_time, before.inputs["hengnan"].expected) == (0, 0)

    after = rankings(plan=plan_2022, periods=[JUNE], today=CLOSED)["counties"]
    assert (after.inputs["zhuhui"].on_time, after.inputs["zhuhui"].expected) == (0, 1)
    assert (after.inputs["hengnan"].on_time, after.inputs["hengnan"].expected) == (1, 1)


def test_the_leader_s_bottom_three_name_no_unit_at_zero_for_an_open_month(plan_2022):
    for code, days in (("hengnan", "0.3"), ("hengdong", "0.4"), ("qidong", "3"), ("leiyang", "0.2")):
        put(code, "business_start_days", value=days, cases=4)
    submit("hengnan")
    status_refresh(periods=[JUNE], today=OPEN)
    home = leader_home(plan=plan_2022, period=JUNE, today=OPEN)
    named = {r.unit: r.score for r in [*home.top, *home.bottom]}
    assert "zhuhui" not in named  # nothing reported yet, month open: not at 0.0 分
    assert set(named) == {"hengnan", "hengdong", "qidong", "leiyang"}
    assert named["qidong"] == 0  # red on its one figure: a real 0, named on the 黑榜


def test_a_unit_returned_by_the_office_does_not_drop_for_a_month_still_open(plan_2022):
    for code in ("hengnan", "hengdong"):
        put(code, "business_start_days", value="0.3", cases=4)
    submit("hengnan")
    submit("hengdong", state="returned")
    for today in (OPEN, None):  # the stored rows' path (leader home, rankings page) and the computed one
        if today:
            status_refresh(periods=[JUNE], today=today)
        rows = rankings(plan=plan_2022, periods=[JUNE], today=OPEN)["counties"].rows
        ranks = {r.unit: (r.rank, r.score) for r in rows}
        assert ranks["hengnan"] == ranks["hengdong"]


# -- B. grey of any reason leaves the denominator; year-end-only asked in December ------------
def test_a_park_with_no_business_in_one_target_scores_as_its_peer(plan_2022):
    for code in ("gaoxin", "zongbao"):
        put(code, "online_service_rate", numerator=70, denominator=100)
        put(code, "social_project_approval_days", value=40, cases=3)
        submit(code)
    put("gaoxin", "gov_project_approval_days", no_business=True)  # 本月无此项业务
    parks = rankings(plan=plan_2022, periods=[JUNE], today=CLOSED)["parks"]
    gaoxin, zongbao = parks.inputs["gaoxin"], parks.inputs["zongbao"]
    assert (gaoxin.judged, gaoxin.met) == (2, 2)  # 达标率 100%, not 2 of every assigned target
    assert (zongbao.judged, zongbao.met) == (2, 2)
    score = {r.unit: r.score for r in parks.rows}
    assert score["gaoxin"] == score["zongbao"] == Decimal(100)  # no month before: 改善率 not counted, the rest scaled


def test_a_department_whose_annual_rank_is_not_yet_published_gets_three_of_three(plan_2022):
    put("approval", "online_service_rate", SEPT, numerator=70, denominator=100)
    put("approval", "social_project_approval_days", SEPT, value=40, cases=3)
    put("approval", "gov_project_approval_days", SEPT, value=60, cases=2)
    # 数字政府建设水平全省排名 is year_end_only: left empty in September
    submit("approval", SEPT)
    approval = rankings(plan=plan_2022, periods=[SEPT], today=date(2022, 10, 10))["departments"].inputs["approval"]
    assert (approval.met, approval.judged) == (3, 3)


def test_a_year_end_only_target_left_empty_does_not_leave_the_month_incomplete(plan_2022):
    figures = [
        put("approval", "online_service_rate", SEPT, numerator=70, denominator=100),
        put("approval", "social_project_approval_days", SEPT, value=40, cases=3),
        put("approval", "gov_project_approval_days", SEPT, value=60, cases=2),
    ]
    approval = unit("approval")
    held = {(approval.pk, SEPT): {f.metric_id: f for f in figures}}
    assert _complete_months([(approval.pk, SEPT)], held) == {(approval.pk, SEPT)}  # a file import submits it
    status_refresh(periods=[SEPT], today=date(2022, 10, 10))
    row = ReportingStatus.objects.get(unit=approval, period=SEPT)
    assert (row.filled, row.assigned) == (3, 3)  # the month overview shows it complete
    # December asks for it
    dec = date(2022, 12, 1)
    december = [
        put("approval", m, dec, **f)
        for m, f in (
            ("online_service_rate", {"numerator": 70, "denominator": 100}),
            ("social_project_approval_days", {"value": 40, "cases": 3}),
            ("gov_project_approval_days", {"value": 60, "cases": 2}),
        )
    ]
    held = {(approval.pk, dec): {f.metric_id: f for f in december}}
    assert _complete_months([(approval.pk, dec)], held) == set()


# -- D. who is scored on what ------------------------------------------------------------------
def test_a_group_in_which_nobody_reported_shows_no_ranking(plan_2022):
    put("hengnan", "business_start_days", value="0.3", cases=4)
    submit("hengnan")
    ranked = rankings(plan=plan_2022, periods=[JUNE], today=CLOSED)
    assert ranked["parks"].rows == []  # no park reported: 暂无排名, not every park 并列1 with 0 分
    assert ranked["counties"].rows[0].unit == "hengnan"
    home = leader_home(plan=plan_2022, period=JUNE, today=CLOSED)
    parks = next(g for g in home.groups if g.label == "园区")
    assert parks.top == [] and parks.bottom == []


def test_a_lead_department_sees_on_its_home_the_city_wide_status_of_what_it_leads(plan_2022, client, users):
    put("hengnan", "business_start_days", value="0.3", cases=4)  # 企业开办: led by 市市场监督管理局
    client.force_login(users["lead"])  # 市市场监督管理局
    html = client.get("/").content.decode()
    assert "本单位牵头指标全市情况" in html
    assert "企业开办时间" in html and "单位已报" in html
    assert "不计入本单位综合得分" in html  # the office's setting, off by default
    client.force_login(users["reporter"])  # 衡南县 leads nothing
    assert "本单位牵头指标全市情况" not in client.get("/").content.decode()
