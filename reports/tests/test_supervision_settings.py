"""The office's 督查督办 settings page: thresholds and the overdue scoring, 待核定 until
the office confirms; bad input changes nothing; only the office may open it."""

import pytest

from reports.supervision.models import SupervisionSettings

FORM = {"red_supervise": 2, "red_listed": 3, "overdue_interview": "on", "green_close": 3, "answer_days": 15}


def test_the_office_sets_the_points_and_confirms_them(client, users):
    client.force_login(users["office"])
    assert client.get("/reports/supervision/settings/").status_code == 200
    response = client.post("/reports/supervision/settings/", FORM | {"overdue_points": "0.5"})
    assert response.status_code == 302
    assert "每件逾期督办扣 0.5 分(待核定)" in client.get("/reports/supervision/").content.decode()
    client.post("/reports/supervision/settings/", FORM | {"overdue_points": "0.5", "overdue_points_confirmed": "on"})
    html = client.get("/reports/supervision/").content.decode()
    assert "每件逾期督办扣 0.5 分" in html and "待核定" not in html
    assert SupervisionSettings.objects.count() == 1


def test_bad_input_changes_nothing(client, users):
    client.force_login(users["office"])
    response = client.post("/reports/supervision/settings/", FORM | {"red_listed": "-1", "overdue_points": "abc"})
    assert response.status_code == 400 and "error-box" in response.content.decode()
    assert not SupervisionSettings.objects.exists()


@pytest.mark.parametrize("role", ["reporter", "approver", "lead", "leader"])
def test_only_the_office(client, users, role):
    client.force_login(users[role])
    assert client.get("/reports/supervision/settings/").status_code == 403
    assert client.post("/reports/supervision/settings/", FORM).status_code == 403
    assert not SupervisionSettings.objects.exists()
