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
