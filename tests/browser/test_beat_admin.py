"""django-celery-beat's admin pages work under the Content-Security-Policy: the office
opens and edits a schedule in Chromium with no blocked script."""

import pytest
from django_celery_beat.models import PeriodicTask

from conftest import browser_login
from reports.schedules import SCHEDULES, schedules_sync

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_office_edits_a_schedule_with_no_script_blocked(page, users):
    schedules_sync()
    task = PeriodicTask.objects.get(name=SCHEDULES[0].name)
    blocked = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    browser_login(page, "office")

    for url in ("/admin/django_celery_beat/periodictask/", f"/admin/django_celery_beat/periodictask/{task.pk}/change/"):
        response = page.goto(url)
        assert response.status == 200, url

    page.fill("#id_time", "10:30")  # the office moves the dispatch later in the day
    page.uncheck("#id_enabled")  # and pauses it over a holiday
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")  # back on the list, saved
    task.refresh_from_db()
    assert not task.enabled and (task.crontab.hour, task.crontab.minute) == ("10", "30")
    assert blocked == []
