"""A metric's page draws the same city figure as the status board: each case counted
once (a county park's cases are in its county's figure) and last year's value from the
office's baselines."""

from datetime import date

import pytest

from actions.models import Unit
from indicators.models import Baseline, Figure, Metric
from indicators.selectors import status_board
from reports.selectors.metric import metric_series_compute

JUNE = date(2022, 6, 1)


def put(unit, metric, **values):
    Figure.objects.create(unit=Unit.objects.get(code=unit), metric=metric, period=JUNE, **values)


def june(series):
    return next(p for p in series.points if p.period == JUNE)


def test_the_city_trend_counts_a_county_parks_cases_once(plan_2022):
    metric = Metric.objects.select_related("plan").get(code="business_start_days")
    put("hengyangxian", metric, value="0.4", cases=10)  # 6 of them in 西渡高新区
    put("xidu", metric, value="0.4", cases=6)
    put("gaoxin", metric, value="0.3", cases=5)

    point = june(metric_series_compute(metric, 2022, date(2022, 8, 1)))

    assert float(point.value) == pytest.approx((0.4 * 10 + 0.3 * 5) / 15)
    # the park reported, and is shown among the units; the city's "x/y 单位已报" counts the
    # units whose cases the city value counts, as its judgement does (rules.aggregate.coverage)
    assert point.reported == 2
    assert point.value == status_board(plan=plan_2022, period=JUNE).city_rows[metric.pk].value


def test_the_city_trend_is_judged_against_the_offices_baseline(plan_2022):
    metric = Metric.objects.select_related("plan").get(code="outage_hours")
    power = Unit.objects.get(code="power")
    Baseline.objects.create(metric=metric, unit=power, period=date(2021, 6, 1), value=10)
    put("power", metric, value="9.2", cases=3)

    point = june(metric_series_compute(metric, 2022, date(2022, 8, 1)))

    assert point.status.value == "green"  # 8% below last June's 10 hours
    assert point.status == status_board(plan=plan_2022, period=JUNE).city_rows[metric.pk].status
