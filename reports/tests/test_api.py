"""The read-only JSON API: shapes, and Chinese errors as JSON (never a 500)."""

from datetime import date

import pytest

from reports.tests.dashboard_data import demo_year


@pytest.fixture
def office(client, users, plan_2022):
    demo_year(plan_2022, today=date(2022, 8, 1))
    client.force_login(users["office"])
    return client


@pytest.mark.parametrize(
    "url,status,message",
    [
        ("/api/v1/status?period=2022-13", 400, "月份“2022-13”不存在"),
        ("/api/v1/status?period=June", 400, "格式不正确"),
        ("/api/v1/status", 400, "请用 period=YYYY-MM 指定月份"),
        ("/api/v1/status?period=2031-01", 404, "没有2031年的方案"),
        ("/api/v1/completeness?period=2022-00", 400, "不存在"),
        ("/api/v1/metrics/business_start_days/series?year=abc", 400, "年度“abc”格式不正确"),
        ("/api/v1/metrics/business_start_days/series", 400, "年度“”格式不正确"),
        ("/api/v1/metrics/no_such_metric/series?year=2022", 404, "没有编码为“no_such_metric”的指标"),
    ],
)
def test_bad_input_is_a_json_error_in_chinese(office, url, status, message):
    response = office.get(url)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert message in response.json()["error"]


def test_status(office):
    data = office.get("/api/v1/status?period=2022-06").json()
    assert data["period"] == "2022-06"
    assert data["areas"][0]["name"] == "政务服务提优行动"
    assert sum(data["totals"].values()) == sum(a["green"] + a["yellow"] + a["red"] + a["grey"] for a in data["areas"])
    assert {"metric", "unit", "value", "target", "status", "grey_reason"} == set(data["rows"][0])


def test_metric_series(office):
    data = office.get("/api/v1/metrics/tech_smes/series?year=2022").json()
    assert data["name"] == "科技型中小企业数量"
    assert data["months"][0] == "2022-01" and len(data["city"]) == 12
    assert data["city"][6] is None  # July not reported yet
    assert data["pace"][0] == pytest.approx(850 + 150 / 12)  # from last year's stock, not from 0
    assert data["period"] == "2022-06"
    assert data["projection"]["method"]


def test_completeness(office):
    data = office.get("/api/v1/completeness?period=2022-06").json()
    assert data["deadline"] == "2022-07-05"
    assert data["expected"] == len(data["units"]) and 0 <= data["rate"] <= 100
    assert {u["state"] for u in data["units"]} <= {
        "not_started",
        "draft",
        "submitted",
        "accepted",
        "returned",
        "late",
        "missing",
    }


def test_the_api_is_read_only(office):
    assert office.post("/api/v1/status?period=2022-06").status_code == 405
