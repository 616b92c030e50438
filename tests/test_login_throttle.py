"""Login throttling: an account locked after five failures stays locked from any address,
and one address spraying a password over many accounts is refused after
AXES_IP_FAILURE_LIMIT failures, each with a Chinese message saying which it is."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.test import RequestFactory
from django.urls import reverse

from conftest import PASSWORD, make_user
from hengyang_ybe.login_throttle import client_ip

ATTACKER, OFFICE_NAT, HOME = "203.0.113.7", "198.51.100.20", "192.0.2.33"


def login(client, username, password, ip):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_a_locked_account_stays_locked_from_another_address(client, users):
    for _ in range(5):
        response = login(client, "hengnan_reporter", "wrong", ATTACKER)
    assert "账户暂时锁定" in response.content.decode()

    response = login(client, "hengnan_reporter", PASSWORD, HOME)

    assert "账户暂时锁定" in response.content.decode() and "hengnan_reporter" in response.content.decode()
    assert not signed_in(client)


def test_other_accounts_from_the_same_office_address_still_sign_in(client, users):
    for _ in range(5):
        login(client, "hengnan_reporter", "wrong", OFFICE_NAT)

    response = login(client, "qidong_reporter", PASSWORD, OFFICE_NAT)

    assert response.status_code == 302 and signed_in(client)


@pytest.fixture
def forty_users(db):
    return [User.objects.create_user(f"unit{i:02}", password=PASSWORD) for i in range(40)]


def test_a_password_sprayed_over_forty_accounts_is_throttled_per_address(client, forty_users, settings):
    settings.AXES_IP_FAILURE_LIMIT = 20
    refused_at = None
    for i, user in enumerate(forty_users):  # one try per account: no account reaches its own limit
        response = login(client, user.username, "Spring2022!", ATTACKER)
        if "本网络地址登录失败次数过多" in response.content.decode():
            refused_at = i + 1
            break
    assert refused_at == 20

    # even a right password from that address is refused now …
    response = login(client, forty_users[-1].username, PASSWORD, ATTACKER)
    assert "本网络地址登录失败次数过多" in response.content.decode() and not signed_in(client)
    # … while the same account signs in from elsewhere
    response = login(client, forty_users[-1].username, PASSWORD, HOME)
    assert response.status_code == 302 and signed_in(client)


def test_the_address_throttle_ends_after_the_cool_off(client, forty_users, settings):
    settings.AXES_IP_FAILURE_LIMIT = 20
    for user in forty_users[:20]:
        login(client, user.username, "wrong", ATTACKER)
    assert "本网络地址" in login(client, forty_users[30].username, PASSWORD, ATTACKER).content.decode()

    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.first().attempt_time - timedelta(minutes=16))

    assert login(client, forty_users[30].username, PASSWORD, ATTACKER).status_code == 302


def test_behind_the_proxy_the_address_the_proxy_saw_counts(settings):
    settings.BEHIND_TLS_PROXY = True
    rf = RequestFactory()
    proxied = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"10.9.9.9, {ATTACKER}")

    assert client_ip(proxied) == ATTACKER  # not the spoofable first entry, not the proxy
    assert client_ip(rf.get("/", REMOTE_ADDR=HOME, HTTP_X_FORWARDED_FOR="10.9.9.9")) == HOME  # not from the proxy
    settings.BEHIND_TLS_PROXY = False
    assert client_ip(proxied) == "127.0.0.1"


def test_a_success_resets_the_account_count(client, db):
    make_user("solo", "leader")
    for _ in range(4):
        login(client, "solo", "wrong", ATTACKER)
    assert login(client, "solo", PASSWORD, ATTACKER).status_code == 302
    client.logout()
    for _ in range(4):
        login(client, "solo", "wrong", HOME)
    assert login(client, "solo", PASSWORD, HOME).status_code == 302
