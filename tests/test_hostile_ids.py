"""Row ids out of range (99999999999999999999 overflows SQLite's and PostgreSQL's
64-bit integers) in every place that takes an id: a 400 or 404, or the form's Chinese
message, and nothing changed; one parser (actions.ids.parse_id) for all of them."""

from datetime import date

import pytest
from django.urls import reverse

from actions.ids import BadId, parse_id
from actions.models import Notification, Unit
from actions.services import notify
from indicators.models import ReportingMonth, Submission
from indicators.services.workflow import entry_save

BIG = "99999999999999999999"
JUNE = date(2022, 6, 1)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("1", 1),
        (" 42 ", 42),
        (str(2**63 - 1), 2**63 - 1),
        (7, 7),
        (str(2**63), None),
        (BIG, None),
        ("0", None),
        ("-1", None),
        ("1_000", None),
        ("١٢٣", None),
        ("²", None),
        ("1.0", None),
        ("", None),
        (None, None),
        (True, None),
    ],
)
def test_parse_id(raw, expected):
    if expected is None:
        with pytest.raises(BadId, match=r"不是有效的编号|编号无效"):
            parse_id(raw)
    else:
        assert parse_id(raw) == expected


def test_a_huge_notification_id_is_a_400_and_marks_nothing_read(client, users):
    notify(users=[users["reporter"]], text="请查看", url="/indicators/entry/")
    client.force_login(users["reporter"])
    client.raise_request_exception = False
    response = client.post(reverse("actions:notifications-read"), {"id": BIG})
    assert response.status_code == 400
    assert "请求无效" in response.content.decode()
    # a bad id is not "mark all": the one unread notification stays unread
    assert Notification.objects.get().read_at is None


def test_a_huge_unit_id_in_a_bulk_accept_is_refused_with_a_message(client, users):
    ReportingMonth.objects.create(period=JUNE, deadline=date(2099, 1, 5), lock_date=date(2099, 1, 15))
    hengnan = Unit.objects.get(code="hengnan")
    entry_save(unit=hengnan, period=JUNE, user=users["reporter"], version=0, figures={}, tasks={}, submit=True)
    client.force_login(users["office"])
    client.raise_request_exception = False
    response = client.post(reverse("indicators:month-bulk", args=["2022-06"]), {"unit": [hengnan.pk, BIG], "action": "accept"})
    assert response.status_code == 302
    assert [str(m) for m in response.wsgi_request._messages] == [f"所选单位“{BIG}”无效,未做任何处理。"]
    assert Submission.objects.get(unit=hengnan, period=JUNE).state == "submitted"


@pytest.mark.parametrize(
    "url",
    [
        f"/indicators/corrections/{BIG}/",
        f"/indicators/figures/{BIG}/history/",
        f"/indicators/baselines/{BIG}/",
        f"/reports/archive/version/{BIG}/download/pdf/",
        f"/reports/archive/notes/{BIG}/delete/",
        "/reports/archive/monthly/2022-06/?v=" + BIG,
        f"/reports/archive/notice/{BIG}/download/pdf/",
        f"/reports/supervision/{BIG}/",
        f"/reports/supervision/{BIG}/answer/",
        f"/reports/supervision/evidence/{BIG}/",
        f"/reports/supervision/findings/{BIG}/close/",
        f"/reports/supervision/proposals/{BIG}/",
        f"/reports/dashboard/metrics/{BIG}/business_start_days/",
    ],
)
def test_huge_ids_in_paths_are_404(client, users, url):
    client.force_login(users["office"])
    client.raise_request_exception = False
    assert client.get(url).status_code == 404
