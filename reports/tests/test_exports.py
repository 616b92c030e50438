"""Every list export opens in Excel/WPS as the office needs it: plain text (no HTML),
figures as numeric cells with a number format (percentages as percentages), times as
dates, and the CSV with a UTF-8 byte-order mark."""

import csv
import io
from datetime import date, datetime

import openpyxl
import pytest

from reports.tests.dashboard_data import demo_year

EXPORTS = ["/reports/dashboard/list/?period=2022-06", "/reports/dashboard/completeness/?period=2022-06"]


@pytest.fixture
def office(client, users, plan_2022):
    demo_year(plan_2022, today=date(2022, 8, 1))  # January to June
    client.force_login(users["office"])
    return client


def _xlsx(client, url):
    response = client.get(url + "&_export=xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows())
    return [c.value for c in rows[0]], rows[1:]


def _csv(client, url):
    response = client.get(url + "&_export=csv")
    assert response.content.startswith("\ufeff".encode())  # Excel on Windows reads UTF-8
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.mark.parametrize("url", EXPORTS)
def test_no_cell_of_any_export_holds_html(office, url):
    _header, rows = _xlsx(office, url)
    assert rows
    assert not [c.value for r in rows for c in r if "<" in str(c.value or "")]
    assert not [c for r in _csv(office, url) for c in r if "<" in c]


def test_the_status_list_holds_figures_as_numbers_and_percentages_as_percentages(office):
    header, rows = _xlsx(office, EXPORTS[0])
    col = {name: i for i, name in enumerate(header)}
    assert "计量单位" in col
    by_metric = {}
    for r in rows:
        by_metric.setdefault(r[col["目标指标"]].value, r)
    days = by_metric["企业开办时间"][col["数值"]]
    assert isinstance(days.value, (int, float)) and days.number_format.startswith("0")
    assert by_metric["企业开办时间"][col["计量单位"]].value == "个工作日"
    rate = by_metric["招标投标全流程电子化交易率"][col["数值"]]
    assert isinstance(rate.value, (int, float)) and rate.value <= 1 and rate.number_format.endswith("%")
    milestone = by_metric["企业赋“码”保护机制全面实施"][col["数值"]]
    assert isinstance(milestone.value, str)
    text = _csv(office, EXPORTS[0])
    assert text[0][0] == "目标指标"
    row = next(r for r in text[1:] if r[0] == "招标投标全流程电子化交易率")
    assert row[text[0].index("数值")].endswith("%")
    assert float(row[text[0].index("数值")].rstrip("%")) > 1  # in percent, as on screen


def test_the_completeness_list_holds_submission_times_as_dates(office):
    header, rows = _xlsx(office, EXPORTS[1])
    at = header.index("提交时间")
    times = [r[at] for r in rows if r[at].value]
    assert times and all(isinstance(c.value, datetime) and c.number_format == "yyyy-mm-dd hh:mm" for c in times)
    assert {r[header.index("报送状态")].value for r in rows} >= {"已提交"}
