"""The home pages: a leader's one glance at the city and a reporter's month."""

import re
from datetime import date

import pytest
from django.core.cache import cache
from django.utils import timezone

from actions.models import Unit
from indicators.models import Submission
from indicators.rules.reporting import ReportState
from reports.home import reporter_home
from reports.models import Kind, Report, ReportSeries
from reports.tests.dashboard_data import demo_year

JUNE = date(2022, 6, 1)


@pytest.fixture
def year(plan_2022):
    return demo_year(plan_2022, today=date(2022, 8, 1))  # January to June


def _bulletin(key="2022Q2"):
    series = ReportSeries.objects.create(kind=Kind.BULLETIN, key=key)
    now = timezone.now()
    return Report.objects.create(
        series=series, kind=Kind.BULLETIN, key=key, version=1, state="issued", title=f"{key}季通报", built_at=now, issued_at=now
    )


def test_the_leader_sees_the_month_at_one_glance(client, users, year):
    _bulletin()
    client.force_login(users["leader"])
    response = client.get("/")
    g = response.context["glance"]
    html = response.content.decode()
    assert g.period == JUNE
    assert f'data-testid="share">{g.share}%' in html and f'data-testid="rate">{g.completeness.rate}%' in html
    assert g.judged > g.green > 0
    # the red list names each red target's lead department
    assert g.reds and all(item.row.status.value == "red" for item in g.reds)
    first = g.reds[0]
    assert first.lead is not None and first.lead.name in html and first.row.metric.name in html
    # top and bottom three of the counties and parks, never the same unit twice
    assert len(g.top) == 3 and len(g.bottom) == 3 and not {r.unit for r in g.top} & {r.unit for r in g.bottom}
    assert [p for p, _ in g.trend] == [date(2022, m, 1) for m in range(1, 7)]
    assert 'data-chart="share"' in html and "全市达标率走势图" in html
    assert "2022Q2季通报" in html and "/reports/archive/bulletin/2022Q2/" in html
    assert "数据已于" in html  # June is locked: final figures


def test_the_leader_home_runs_a_fixed_number_of_queries(client, users, year, django_assert_num_queries):
    client.force_login(users["leader"])
    cache.clear()
    # session, user, plan, membership (4), notifications (1); the dashboard month (its
    # plan is the latest, read already); the glance's months' refresh times; June's board (stored rows and units); the
    # ranking's score inputs of June and May read together (their keys' refresh times,
    # then their reporting rows, which store them, behind a read of their months' refresh
    # times, and their deadlines: a month counts for timeliness only after it); the
    # trend's city rows (the months, one query); the
    # completeness rows; the bulletin and the lock date; the overdue 督办单 and the
    # office's 督办 scoring setting (its deduction is part of the glance's key). Counted,
    # constant in data size.
    with django_assert_num_queries(28):
        assert client.get("/").status_code == 200
    # Again: the glance from the cache (the 督办 scoring setting and the months' refresh
    # times, then the month's finality, the latest bulletin and the overdue 督办单, read
    # each time).
    with django_assert_num_queries(14):
        assert client.get("/").status_code == 200


def test_a_reporter_sees_the_state_the_countdown_and_why_it_was_returned(client, users, plan_2022):
    hengnan = Unit.objects.get(code="hengnan")
    mine = reporter_home(unit=hengnan, today=date(2022, 7, 1))  # June is collected until 5 July
    assert (mine.period, mine.deadline, mine.state) == (JUNE, date(2022, 7, 5), ReportState.NOT_STARTED)
    assert mine.countdown == "距按时报送截止还有 4 天(2 个工作日)"  # 2-3 July is a weekend
    assert reporter_home(unit=hengnan, today=date(2022, 7, 5)).countdown == "今天是按时报送截止日"

    client.force_login(users["reporter"])
    response = client.get("/")
    period = response.context["mine"].period
    Submission.objects.create(unit=hengnan, period=period, state="returned", returned_reason="营业收入口径有误")
    html = client.get("/").content.decode()
    assert "本月数据已被退回,原因:营业收入口径有误" in html
    assert 'data-testid="state">已退回' in html
    assert f'href="/indicators/entry/hengnan/{period:%Y-%m}/"' in html


def test_the_reporter_home_runs_a_fixed_number_of_queries(client, users, plan_2022, django_assert_num_queries):
    client.force_login(users["reporter"])
    # session, user, membership + unit (4), notifications (1), plan; collecting month
    # (dates, plans), its deadline, the submission; the plan's areas, tasks, metrics;
    # the unit's overdue 督办单; the plan's calendar for the month's state (issue 21).
    with django_assert_num_queries(15):
        assert client.get("/").status_code == 200


def test_the_leader_sees_parks_ranked_beside_counties(client, users, year):
    client.force_login(users["leader"])
    html = client.get("/").content.decode()
    groups = html.split('data-testid="ranked-group">')[1:]
    assert [g[: g.index("<")] for g in groups] == ["县市区综合得分", "园区综合得分"]
    assert "经济开发区" in groups[1] or "产业开发区" in groups[1]


def test_the_approvers_card_opens_the_month_waiting_for_approval(client, users, year):
    """The month waiting is June; the month being collected today is a later one."""
    Submission.objects.filter(unit__code="hengnan").exclude(period=JUNE).update(state=Submission.State.ACCEPTED)
    Submission.objects.filter(unit__code="hengnan", period=JUNE).update(state=Submission.State.SUBMITTED)
    client.force_login(users["approver"])
    html = client.get("/").content.decode()
    card = re.search(r'<a [^>]*href="([^"]+)"[^>]*><strong>待审核报送', html)
    assert card.group(1) == "/indicators/entry/hengnan/2022-06/"
    assert 'id="my-month"' in html and "2022年6月报送" in html
    assert "/indicators/entry/hengnan/2022-06/" in html[html.index('id="my-month"') :]
