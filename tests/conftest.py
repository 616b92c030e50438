"""Fixtures of the tests/ folder: the logged-in reporter of the hostile Excel tests
(tests/test_hostile_excel_*.py)."""

import pytest

from indicators.models import ReportingMonth
from indicators.tests.test_excel import JUNE


@pytest.fixture
def reporter(client, users):
    """衡南县's reporter, with June 2022 still open."""
    ReportingMonth.objects.create(period=JUNE, deadline=JUNE.replace(year=2099), lock_date=JUNE.replace(year=2099, day=15))
    client.force_login(users["reporter"])
    return client
