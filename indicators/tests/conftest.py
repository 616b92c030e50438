"""Fixtures of the indicators tests: a fast password hasher (the standard users are
created per test; the real hasher costs a third of a second each)."""

import pytest


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def assumptions_confirmed(plan_2022):
    """The 2022 plan with every judged assumption (待核定) confirmed as it stands: for tests
    of how a kind of target is judged, not of the assumptions (test_assumptions_page)."""
    from indicators.models import Metric
    from indicators.pending import pending_value
    from indicators.rules.assumptions import JUDGED_FIELDS

    for metric in Metric.objects.filter(plan=plan_2022).exclude(pending=[]):
        metric.confirmed = {f: pending_value(metric, f) for f in metric.pending if f in JUDGED_FIELDS}
        metric.save(update_fields=["confirmed"])
    return plan_2022
