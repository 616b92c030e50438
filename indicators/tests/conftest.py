"""Fixtures of the indicators tests: a fast password hasher (the standard users are
created per test; the real hasher costs a third of a second each)."""

import pytest


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
