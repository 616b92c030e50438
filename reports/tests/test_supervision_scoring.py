"""Overdue 督办单 in the units' scores: nothing while the office's points are 待核定 (or
none); once confirmed, each order overdue in the scored span costs the points, in the
score and so in the rank; an order answered in time costs nothing."""

from datetime import date
from decimal import Decimal

from indicators.rules.periods import quarter_months
from reports.rankings import rankings
from reports.supervision.models import SupervisionSettings
from reports.tests.dashboard_data import demo_year
from reports.tests.supervision_data import metric_led_by, order_on

Q4 = quarter_months(2022, 4)
BUILT = date(2023, 1, 10)


def test_overdue_orders_cost_the_confirmed_points(users, plan_2022, settings):
    demo_year(plan_2022)
    settings.DEMO_TODAY = date(2022, 11, 1)  # the steps are dated on the product's clock
    office = users["office"]
    order_on(office, "hengnan", metric_led_by("amr", "hengnan"), due=date(2022, 11, 15), today=date(2022, 11, 1))
    order_on(office, "qidong", metric_led_by("amr", "qidong"), due=date(2023, 1, 20), today=date(2022, 11, 1))  # not due yet

    def scores():
        return {r.unit: r.score for r in rankings(plan=plan_2022, periods=Q4, today=BUILT)["counties"].rows}

    before = scores()
    SupervisionSettings.objects.create(overdue_points=Decimal("2.5"), overdue_points_confirmed=False)
    assert scores() == before  # 待核定: shown, not applied
    SupervisionSettings.objects.update(overdue_points_confirmed=True)
    after = scores()
    assert after["hengnan"] == before["hengnan"] - Decimal("2.5")
    assert {u: s for u, s in after.items() if u != "hengnan"} == {u: s for u, s in before.items() if u != "hengnan"}
    SupervisionSettings.objects.update(overdue_points=None)  # the office decided: no points
    assert scores() == before


def _page_scores(client, month: str) -> dict[str, Decimal]:
    """The rankings page's 县市区 scores in `month`, as the office reads them."""
    response = client.get(f"/reports/dashboard/rankings/?period={month}")
    assert response.status_code == 200
    return {r.unit: r.score for r in response.context["rk"].current.groups["counties"]}


def test_the_rankings_page_deducts_as_the_bulletin_does(client, users, plan_2022, settings):
    """One rule, one place: the page's month and the bulletin's ranking of the same month
    (reports.rankings.rankings) agree, before, while 待核定 and once confirmed; the cached
    page follows the office's setting."""
    demo_year(plan_2022)
    settings.DEMO_TODAY = date(2022, 11, 1)
    office = users["office"]
    order_on(office, "hengnan", metric_led_by("amr", "hengnan"), due=date(2022, 11, 15), today=date(2022, 11, 1))
    settings.DEMO_TODAY = BUILT
    november = date(2022, 11, 1)

    def bulletin():
        return {r.unit: r.score for r in rankings(plan=plan_2022, periods=[november], today=BUILT)["counties"].rows}

    client.force_login(office)
    before = _page_scores(client, "2022-11")
    assert before == bulletin()
    SupervisionSettings.objects.create(overdue_points=Decimal("2.5"), overdue_points_confirmed=False)
    assert _page_scores(client, "2022-11") == before == bulletin()  # 待核定: nothing deducted
    assert (
        "逾期督办计分:每件逾期督办扣 2.5 分(待核定)" in client.get("/reports/dashboard/rankings/?period=2022-11").content.decode()
    )
    SupervisionSettings.objects.update(overdue_points_confirmed=True)
    assert (
        "逾期督办计分:每件逾期督办扣 2.5 分(与季度通报"
        in client.get("/reports/dashboard/rankings/?period=2022-11").content.decode()
    )
    after = _page_scores(client, "2022-11")
    assert after == bulletin()
    assert after["hengnan"] == before["hengnan"] - Decimal("2.5")
    assert {u: s for u, s in after.items() if u != "hengnan"} == {u: s for u, s in before.items() if u != "hengnan"}
    # October: the order was not yet overdue (due 15 November): nothing taken off there
    assert (
        _page_scores(client, "2022-10")["hengnan"]
        == {r.unit: r.score for r in rankings(plan=plan_2022, periods=[date(2022, 10, 1)], today=BUILT)["counties"].rows}[
            "hengnan"
        ]
    )
