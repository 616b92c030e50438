"""seed_demo gives anyone one demo user per role, with the passwords printed."""

import io

from django.contrib.auth import authenticate
from django.core.management import call_command

from actions.access import role_of
from indicators.management.commands.seed_demo import DEMO_PASSWORD, DEMO_USERS


def test_seed_demo_creates_one_user_per_role_and_prints_the_passwords(plan_2022, rf):
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    call_command("seed_demo", stdout=io.StringIO())  # a second run resets, never duplicates
    text = out.getvalue()
    roles = set()
    for username, _name, role, _unit in DEMO_USERS:
        assert f"{username} / {DEMO_PASSWORD}" in text
        user = authenticate(rf.post("/accounts/login/"), username=username, password=DEMO_PASSWORD)
        assert user is not None and role_of(user) == role
        roles.add(role)
    assert roles == {"reporter", "approver", "lead", "office", "leader"}
    assert "admin / Hengyang@2022" in text
