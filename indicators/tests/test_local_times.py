"""Times are shown in Asia/Shanghai (UTC+8) wherever Python writes them into text: the
month overview (报送审核), the correction requests (更正申请) and the stale-save message."""

from datetime import UTC, date, datetime

import pytest
from django.conf import settings
from django.urls import reverse

from actions.models import Unit
from indicators.models import CorrectionRequest, Figure, Metric, ReportingMonth, Submission
from indicators.services.workflow import changes_since
from indicators.timefmt import local_text

JUNE = date(2022, 6, 1)
# 16:30 UTC on 5 July is half past midnight on 6 July in Hengyang: the date changes too.
LATE_EVENING_UTC = datetime(2022, 7, 5, 16, 30, tzinfo=UTC)


def test_the_site_runs_on_shanghai_time():
    assert settings.TIME_ZONE == "Asia/Shanghai" and settings.USE_TZ


@pytest.mark.parametrize(
    ("utc", "shown"),
    [
        (datetime(2022, 7, 5, 16, 30, tzinfo=UTC), "2022-07-06 00:30"),
        (datetime(2022, 7, 5, 15, 59, tzinfo=UTC), "2022-07-05 23:59"),
        (datetime(2022, 12, 31, 16, 0, tzinfo=UTC), "2023-01-01 00:00"),
    ],
)
def test_local_text_is_eight_hours_ahead_of_utc(utc, shown):
    assert local_text(utc) == shown


@pytest.fixture
def month(db):
    return ReportingMonth.objects.create(period=JUNE, deadline=date(2022, 7, 6), lock_date=date(2022, 7, 15))


def test_the_month_overview_shows_submission_and_acceptance_in_local_time(client, users, month):
    Submission.objects.create(
        unit=Unit.objects.get(code="hengnan"),
        period=JUNE,
        state=Submission.State.ACCEPTED,
        submitted_at=LATE_EVENING_UTC,
        last_submitted_at=LATE_EVENING_UTC,
        submitted_by=users["reporter"],
        accepted_at=datetime(2022, 7, 7, 2, 5, tzinfo=UTC),
        accepted_by=users["office"],
    )
    client.force_login(users["office"])

    page = client.get(reverse("indicators:month", args=["2022-06"])).content.decode()

    assert "2022-07-06 00:30" in page and "2022-07-05 16:30" not in page
    assert "2022-07-07 10:05" in page


def test_correction_requests_show_local_times(client, users, month):
    request = CorrectionRequest.objects.create(
        unit=Unit.objects.get(code="hengnan"),
        period=JUNE,
        reason="录入错误",
        requested_by=users["reporter"],
        state=CorrectionRequest.State.APPROVED,
        decided_by=users["office"],
        decided_at=datetime(2022, 7, 20, 1, 0, tzinfo=UTC),
    )
    CorrectionRequest.objects.filter(pk=request.pk).update(requested_at=LATE_EVENING_UTC)
    client.force_login(users["office"])

    page = client.get(reverse("indicators:corrections")).content.decode()

    assert "2022-07-06 00:30" in page and "2022-07-20 09:00" in page
    assert "2022-07-05 16:30" not in page


def test_the_stale_save_message_says_who_changed_what_in_local_time(users, month):
    unit, metric = Unit.objects.get(code="hengnan"), Metric.objects.get(code="business_start_days")
    figure = Figure(unit=unit, metric=metric, period=JUNE, value=2, cases=3)
    figure._history_user = users["reporter"]
    figure.save()
    Figure.history.filter(id=figure.pk).update(history_date=LATE_EVENING_UTC)

    lines = changes_since(unit=unit, period=JUNE, version=0)

    assert lines == ["07-06 00:30 hengnan_reporter 修改了“企业开办时间”:2(3 件)"]


def test_the_completeness_export_writes_local_times(client, users, month):
    Submission.objects.create(
        unit=Unit.objects.get(code="hengnan"),
        period=JUNE,
        state=Submission.State.SUBMITTED,
        submitted_at=LATE_EVENING_UTC,
        last_submitted_at=LATE_EVENING_UTC,
    )
    client.force_login(users["office"])

    csv = client.get("/reports/dashboard/completeness/?period=2022-06&_export=csv").content.decode("utf-8-sig")

    row = next(line for line in csv.splitlines() if line.startswith("衡南县,"))
    assert "2022-07-06 00:30" in row and "+00:00" not in row
