"""The city figures on the dashboards are the figures of `export_status` for the same
month: the overview page, the status API and every metric's year series."""

import json
from datetime import date
from io import StringIO

from django.core.management import call_command

from reports.selectors.common import number
from reports.selectors.metric import metric_series, series_json
from reports.tests.dashboard_data import demo_year


def _export(period: str) -> dict:
    out = StringIO()
    call_command("export_status", period=period, stdout=out)
    return {(r["metric"], r["unit"]): r for r in json.loads(out.getvalue())["rows"]}


def test_pages_and_api_show_the_city_figures_of_export_status(client, users, plan_2022):
    demo_year(plan_2022, today=date(2022, 8, 1))
    exported = _export("2022-06")
    city = {k: v for k, v in exported.items() if k[1] == "city"}
    client.force_login(users["office"])

    api = client.get("/api/v1/status?period=2022-06").json()
    assert {(r["metric"], r["unit"]): r for r in api["rows"]} == exported

    response = client.get("/reports/dashboard/?period=2022-06")
    ov = response.context["ov"]
    assert len(ov.rows) == len(city)
    for r in ov.rows:
        row = city[(r.metric.code, "city")]
        assert r.city.status.value == row["status"], r.metric.code
        shown = r.city.display_value if r.metric.measure == "milestone" else number(r.city.value)
        assert shown == row["value"], r.metric.code
    # The rendered matrix has one city cell per metric, with export_status's status.
    html = response.content.decode()
    for status, label in {"green": "达标", "yellow": "预警", "red": "未达标", "grey": "未报送"}.items():
        expected = sum(1 for row in city.values() if row["status"] == status)
        assert html.count(f'title="全市 · {label}"') == expected


def test_every_metric_series_agrees_with_export_status_month_by_month(users, plan_2022):
    demo_year(plan_2022, today=date(2022, 8, 1))
    exports = {m: _export(f"2022-{m:02d}") for m in (1, 3, 6)}
    for metric in plan_2022.metrics.select_related("plan", "relative_metric", "indicator"):
        series = series_json(metric_series(metric=metric, today=date(2022, 8, 1)))
        for month, exported in exports.items():
            row = exported[(metric.code, "city")]
            value = series["city"][month - 1]
            if metric.measure != "milestone":
                assert value == row["value"], (metric.code, month)
            assert series["status"][month - 1] == row["status"], (metric.code, month)
