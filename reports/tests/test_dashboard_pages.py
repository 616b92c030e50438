"""What the dashboard pages show: the month, empty states, Chinese errors for bad input,
the list's export with the filters applied, a figure's story, a metric, a unit, the
rankings' formula and the completeness board."""

import csv
import io
import re
from datetime import date
from decimal import Decimal as D

import pytest
from django.core.cache import cache

from indicators.models import Figure
from indicators.status.refresh import status_refresh_on_commit
from reports.tests.dashboard_data import demo_year


@pytest.fixture
def office(client, users, plan_2022):
    demo_year(plan_2022, today=date(2022, 8, 1))  # January to June
    client.force_login(users["office"])
    return client


def test_empty_states_when_there_are_no_figures(client, users):
    client.force_login(users["office"])
    for url in ("/reports/dashboard/", "/reports/dashboard/list/", "/reports/dashboard/rankings/"):
        response = client.get(url)
        assert response.status_code == 200
        assert "还没有任何月度数据" in response.content.decode()


def test_the_overview_opens_on_the_latest_month_with_data_and_says_it_is_final(office):
    response = office.get("/reports/dashboard/")
    assert response.context["period"] == date(2022, 6, 1)
    assert "2022年6月:数据已于2022年7月15日锁定,为正式数据。" in response.content.decode()


def test_a_bad_month_says_so_and_shows_the_default(office):
    response = office.get("/reports/dashboard/?period=2022-13")
    assert response.status_code == 200
    assert "月份“2022-13”不存在" in response.content.decode()
    assert response.context["period"] == date(2022, 6, 1)


def test_a_stale_filter_is_ignored_with_a_message(office):
    response = office.get("/reports/dashboard/?period=2022-06&area=999999&status=purple")
    assert response.status_code == 200
    assert "筛选条件无效" in response.content.decode()
    assert len(response.context["ov"].rows) == 45


def test_the_filters_travel_in_the_url_to_the_list_and_its_export(office):
    page = office.get("/reports/dashboard/?period=2022-06&status=red&unit_kind=county").content.decode()
    assert "/reports/dashboard/list/?period=2022-06&amp;status=red&amp;unit_kind=county" in page
    export = office.get("/reports/dashboard/list/?period=2022-06&status=red&unit_kind=county&_export=csv")
    assert export["Content-Disposition"] == 'attachment; filename="status-2022-06.csv"'
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["目标指标", "行动", "一级指标"]
    assert len(rows) > 1
    assert {r[-1] for r in rows[1:]} == {"未达标"} and {r[4] for r in rows[1:]} == {"县市区"}


def test_the_list_sorts_and_paginates(office):
    response = office.get("/reports/dashboard/list/?period=2022-06&sort=status")
    table = response.context["table"]
    assert table.page.paginator.num_pages > 1
    first = [r.record["status_order"] for r in table.page.object_list]
    assert first == sorted(first)


def test_a_figure_shows_value_explanation_measures_and_history(office):
    f = Figure.objects.get(metric__code="business_start_days", unit__code="hengnan", period=date(2022, 6, 1))
    f.explanation, f.measures = "窗口人员不足。", "增派人员。"
    f.save()
    text = office.get("/reports/dashboard/figure/business_start_days/hengnan/2022-06/").content.decode()
    assert "窗口人员不足。" in text and "增派人员。" in text
    assert "修改历史" in text and "修改" in text


def test_a_figure_link_with_a_bad_month_is_not_found(office):
    assert office.get("/reports/dashboard/figure/business_start_days/hengnan/2022-13/").status_code == 404


def test_the_metric_page_states_target_source_and_projection(office):
    text = office.get("/reports/dashboard/metrics/2022/tech_smes/").content.decode()
    assert "&gt; 1000 家" in text  # the target in words
    assert "科技型中小企业突破1000家" in text  # the plan's sentence
    assert "时序进度" in text and "年底预计" in text and "最小二乘" in text
    assert 'data-chart="trend"' in text and 'id="trend-table"' in text  # chart and its table


def test_the_metric_page_states_how_statuses_are_judged(office):
    from indicators.rules.status import STATUS_RULE

    text = office.get("/reports/dashboard/metrics/2022/trade_compliance_cost/").content.decode()
    assert STATUS_RULE in text  # a miss is red; yellow only when met but at risk
    assert "≤ 280 美元(力争 220 美元)" in text  # the ceiling, with the stretch value shown


def test_a_metric_of_another_year_is_not_found(office):
    assert office.get("/reports/dashboard/metrics/2021/tech_smes/").status_code == 404


def test_the_unit_page(office):
    response = office.get("/reports/dashboard/units/hengnan/?period=2022-06")
    card = response.context["card"]
    assert card.rows and all(r.unit.code == "hengnan" for r in card.rows)
    # reporting starts in June, the month after the plan's issue (the plan's calendar, issue 21)
    assert [t["period"].month for t in card.timeliness] == [6]
    assert any(p["self"] for p in card.peers) and {p["unit"].kind for p in card.peers} == {"county"}
    assert "与同类单位比较" in response.content.decode()


def test_a_lead_department_page_lists_the_indicators_it_leads(office):
    card = office.get("/reports/dashboard/units/amr/?period=2022-06").context["card"]
    assert card.led and {r.metric.indicator.lead_unit.code for r in card.led} == {"amr"}


def test_the_rankings_page_lists_each_units_rank_month_by_month(office):
    page = office.get("/reports/dashboard/rankings/?period=2022-06")
    rk, html = page.context["rk"], page.content.decode()
    history = html[html.index("县市区逐月名次") :]
    for h in rk.history("counties"):
        row = re.search(rf"<tr><td>{re.escape(h['ranked'].name)}</td>(.*?)</tr>", history).group(1)
        shown = re.findall(r'<td class="num">(\d+|—)', row)
        assert shown == [str(r.rank) if r else "—" for r in h["months"]], h["ranked"].name
        moves = re.findall(r'class="move-(up|down)"', row)  # an arrow where the unit moved
        assert moves == ["up" if r.movement > 0 else "down" for r in h["months"] if r and r.movement]


def test_the_rankings_page_states_the_formula(office):
    text = office.get("/reports/dashboard/rankings/?period=2022-06").content.decode()
    assert "综合得分 = 达标率 × 60 + 按时报送率 × 25 + 改善率 × 15" in text
    assert all(f"<h2>{label}</h2>" in text for label in ("县市区", "园区", "市直部门"))  # ranked separately
    assert "单位无某项职责(该项分母为 0)时该项不计" in text
    assert "▲" in text or "▼" in text


def test_the_completeness_board_has_the_office_reminder_form(office):
    text = office.get("/reports/dashboard/completeness/?period=2022-06").content.decode()
    assert 'id="remind-form"' in text and "报送率" in text and "2022年7月5日" in text


def test_a_month_without_a_plan_says_so_and_offers_the_months_with_data(office):
    text = office.get("/reports/dashboard/?period=2030-01").content.decode()
    assert "2030年没有年度方案" in text and '<option value="2022-06"' in text


def test_pages_served_from_the_cache_show_a_figure_saved_since(office, django_capture_on_commit_callbacks):
    """Every dashboard is cached after its first request; a saved figure or a changed
    submission is on the very next one (the write's commit refreshes its month's rows)."""
    from indicators.services.figures import figures_import

    urls = {
        "overview": "/reports/dashboard/?period=2022-06",
        "unit": "/reports/dashboard/units/hengnan/?period=2022-06",
        "metric": "/reports/dashboard/metrics/2022/business_start_days/",
    }
    for url in urls.values():
        office.get(url)
    row = {"line": 2, "unit": "hengnan", "metric": "business_start_days", "period": "2022-06", "value": "7.25", "cases": "4"}
    with django_capture_on_commit_callbacks(execute=True):
        figures_import(rows=[row], correction="核对后更正")  # a value no demo figure has; June is accepted

    for name, url in urls.items():
        assert "7.25" in office.get(url).content.decode(), name


def test_rankings_served_from_the_cache_follow_the_submissions(office, django_capture_on_commit_callbacks):
    def on_time(unit):
        inputs = office.get("/reports/dashboard/rankings/?period=2022-06").context["rk"].current.inputs["counties"]
        return inputs[unit].on_time

    from indicators.models import Submission

    s = Submission.objects.get(unit__code="hengnan", period=date(2022, 6, 1))
    before = on_time("hengnan")
    s.is_late = not s.is_late
    with django_capture_on_commit_callbacks(execute=True):
        s.save()
        status_refresh_on_commit([s.period], next_year=False)  # as every workflow service does

    assert on_time("hengnan") != before


def test_a_figure_just_under_its_target_never_shows_as_the_target(office, django_capture_on_commit_callbacks):
    """99.996% against "= 100%" is red: the page says 99.996%, not 100% beside ✖."""
    f = Figure.objects.get(metric__code="e_bidding_rate", unit__code="hengnan", period=date(2022, 6, 1))
    f.numerator, f.denominator, f.value = D(99996), D(100000), None
    with django_capture_on_commit_callbacks(execute=True):
        f.save()
        status_refresh_on_commit([f.period], next_year=False)
    text = office.get("/reports/dashboard/figure/e_bidding_rate/hengnan/2022-06/").content.decode()
    assert "99.996%" in text and "未达标" in text
    listed = office.get("/reports/dashboard/list/?period=2022-06&unit=hengnan&_export=csv").content.decode("utf-8-sig")
    assert "99.996" in listed


def test_a_lead_units_overview_shows_only_what_its_indicators_hold(client, users, plan_2022):
    """市市场监督管理局 leads 企业开办 and the market indicators: no row of the plan's other
    metrics (they would be empty for it), and its filter offers only its indicators."""
    demo_year(plan_2022, today=date(2022, 8, 1))
    client.force_login(users["lead"])
    response = client.get("/reports/dashboard/?period=2022-06")
    ov = response.context["ov"]
    assert ov.rows and all(any(r.cells) for r in ov.rows)
    assert {r.metric.indicator.lead_unit.code for r in ov.rows} == {"amr"}
    choices = [c for _, c in response.context["filter"].form.fields["indicator"].choices][1:]
    assert choices and len(choices) < 10


def _shown(value):
    return None if value is None else round(value, 4)  # stored rows keep 6 places


def _card_facts(card):
    return (
        [(r.metric.code, r.unit.code, r.status, _shown(r.value), r.figure and r.figure.pk) for r in card.rows],
        [(r.metric.code, r.status, _shown(r.value)) for r in card.led],
        [(p["unit"].code, p["green"], p["judged"], p["share"], p["self"]) for p in card.peers],
        card.trend,
        [(t["period"], t["label"]) for t in card.timeliness],
    )


def _series_facts(series):
    return (
        [(p.period, _shown(p.value), p.status) for p in series.points],
        [(uv.unit.code, uv.row.status, _shown(uv.row.value)) for uv in series.units],
    )


def test_unit_and_metric_pages_read_from_the_stored_rows_what_a_computed_month_says(office, plan_2022):
    """The unit page reads only its unit's stored rows (and the city's) and the metric page
    the metric's: the same scorecard and series as the months judged for the request."""
    from actions.models import Unit
    from indicators.models import Metric, StatusMonth
    from indicators.status.compute import as_of_for
    from indicators.status.read import is_current, status_month
    from reports.selectors.metric import metric_series_compute
    from reports.selectors.unit import unit_scorecard_compute

    unit, june, today = Unit.objects.get(code="hengnan"), date(2022, 6, 1), date(2022, 8, 1)
    metric = Metric.objects.get(plan=plan_2022, code="business_start_days")
    months = [date(2022, m, 1) for m in range(1, 7)]
    assert all(is_current(status_month(p), as_of_for(p, today)) for p in months)  # read from the stored rows
    stored_card = _card_facts(unit_scorecard_compute(plan_2022, unit, june, today))
    stored_series = _series_facts(metric_series_compute(metric, 2022, today, months))
    assert stored_card[0] and stored_card[2] and stored_series[1]

    StatusMonth.objects.update(computed_at=None)  # no month current: each computed for the request
    assert _card_facts(unit_scorecard_compute(plan_2022, unit, june, today)) == stored_card
    assert _series_facts(metric_series_compute(metric, 2022, today, months)) == stored_series


def test_the_matrix_shows_its_unit_columns_a_page_at_a_time(office, monkeypatch):
    """A province's 600 units would make one matrix of 27,000 cells: the columns come a
    page at a time (MATRIX_UNITS; 5 here), each cell under its own unit's head, the
    filters kept from page to page and a malformed page number read as the first."""
    from reports.selectors import overview

    monkeypatch.setattr(overview, "MATRIX_UNITS", 5)
    heads = re.compile(r'<th scope="col" title="[^"]*"><a href="/reports/dashboard/units/([a-z0-9_-]+)/')

    def page(query):
        response = office.get(f"/reports/dashboard/?period=2022-06{query}")
        html = response.content.decode()
        matrix = html[html.index('id="matrix"') :]
        row = matrix[matrix.index("<tbody>") :].split("</tr>")[0]
        cells = re.findall(r"/reports/dashboard/figure/[a-z_]+/([a-z0-9_-]+)/2022-06/", row)
        return response, html, heads.findall(matrix), cells

    response, html, first, cells = page("")
    every = [u.code for u in response.context["ov"].columns]
    assert len(every) > 10
    assert first == every[:5] and cells == first  # the first row's cells under their heads
    assert f"单位 1–5,共 {len(every)} 个" in html
    assert 'href="?period=2022-06&amp;units=2"' in html and "前 5 个" not in html

    _, html, second, cells = page("&units=2")
    assert second == every[5:10] and cells == second
    assert 'href="?period=2022-06&amp;units=1"' in html and 'href="?period=2022-06&amp;units=3"' in html

    _, html, last, _ = page("&units=999")
    assert last == every[-(len(every) % 5 or 5) :] and "后 5 个" not in html
    assert page("&units=x2")[2] == first

    _, html, counties, _ = page("&unit_kind=county&units=2")  # the filter stays on the next page's links
    assert "unit_kind=county&amp;units=1" in html
    assert set(counties) <= set(every) and len(counties) <= 5

    # The matrix is kept in the cache: its links carry the filters it was drawn for, not
    # the raw query of whoever asked first (a stale filter, an unknown parameter).
    cache.clear()
    page("&status=purple&junk=1&units=2")
    _, html, _, _ = page("&units=2")
    assert "junk" not in html and "purple" not in html
    assert 'href="?period=2022-06&amp;units=3"' in html


def test_a_city_s_matrix_is_one_page(office):
    html = office.get("/reports/dashboard/?period=2022-06").content.decode()
    assert 'data-testid="matrix-pager"' not in html
