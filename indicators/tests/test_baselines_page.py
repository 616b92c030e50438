"""The office's baselines page as office staff use it: no command line, values written as
on every other page, a reason for each change, a confirmed delete, and the history (who,
when, old → new, why) on the page."""

from decimal import Decimal

import pytest

from actions.models import Unit
from indicators.models import Baseline, Metric


@pytest.fixture
def office(client, users, plan_2022):
    client.force_login(users["office"])
    return client


@pytest.fixture
def baseline(plan_2022):
    metric = Metric.objects.get(code="business_start_days")
    return Baseline.objects.create(metric=metric, unit=Unit.objects.get(code="hengnan"), period=None, value=Decimal("0.55"))


def test_the_page_shows_no_command_line_to_office_staff(office, baseline):
    html = office.get("/indicators/baselines/").content.decode()
    assert "manage.py" not in html and "load_baselines" not in html and "<code>" not in html


def test_a_value_is_written_as_everywhere_else(office, baseline):
    html = office.get(f"/indicators/baselines/{baseline.pk}/").content.decode()
    assert 'value="0.55"' in html and "0.550000" not in html


def test_a_change_needs_a_reason_and_shows_in_the_history(office, baseline, users):
    data = {"metric": baseline.metric_id, "unit": baseline.unit_id, "month": "", "value": "0.6"}
    response = office.post(f"/indicators/baselines/{baseline.pk}/", data)
    assert "请填写修改原因" in response.content.decode()
    baseline.refresh_from_db()
    assert baseline.value == Decimal("0.55")

    office.post(f"/indicators/baselines/{baseline.pk}/", data | {"reason": "统计年报更正"})
    html = office.get("/indicators/baselines/").content.decode()
    history = html[html.index('data-testid="baseline-history"') :]
    row = history[history.index("<tr><td>") : history.index("</tr>", history.index("<tr><td>"))]
    assert "office" in row and "修改" in row and "统计年报更正" in row
    assert "0.55 个工作日" in row and "0.6 个工作日" in row
    assert "0.550000" not in html


def test_a_delete_asks_first_and_is_kept_in_the_history(office, baseline):
    html = office.get(f"/indicators/baselines/{baseline.pk}/").content.decode()
    button = html[html.index('name="delete"') - 40 : html.index("删除</button>")]
    assert "data-confirm=" in button
    office.post(f"/indicators/baselines/{baseline.pk}/", {"delete": "1", "reason": "重复录入"})
    assert not Baseline.objects.exists()
    history = office.get("/indicators/baselines/").content.decode()
    assert "删除" in history and "重复录入" in history and "0.55 个工作日" in history
