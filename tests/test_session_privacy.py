"""What a signed-in user sees is never stored by a browser or proxy (Cache-Control:
no-store, private), and a session idle for SESSION_IDLE_TIMEOUT ends."""

import time

import pytest
from django.urls import reverse

from conftest import PASSWORD
from hengyang_ybe.middleware import LAST_SEEN


def no_store(response) -> bool:
    parts = {p.strip() for p in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= parts


@pytest.mark.parametrize(
    "url",
    ["/", "/indicators/entry/hengnan/2022-06/", "/indicators/entry/hengnan/2022-06/excel/", "/api/v1/status?period=2022-06"],
    ids=["page", "entry", "download", "api"],
)
def test_every_signed_in_answer_is_private_and_not_stored(client, users, url):
    client.force_login(users["reporter"])

    response = client.get(url)

    assert response.status_code == 200
    assert no_store(response), response.get("Cache-Control")


def test_signing_in_is_not_stored_either(client, users):
    response = client.post(reverse("login"), {"username": "hengnan_reporter", "password": PASSWORD})
    assert response.status_code == 302 and no_store(response)


def test_an_error_page_for_a_signed_in_user_is_not_stored(client, users):
    client.force_login(users["reporter"])
    response = client.get("/indicators/corrections/")
    assert response.status_code == 403 and no_store(response)


def test_static_files_keep_their_caching(client, users):
    client.force_login(users["reporter"])
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


# -- idle timeout ----------------------------------------------------------------------------
def test_the_default_idle_timeout_is_two_hours(settings):
    assert settings.SESSION_IDLE_TIMEOUT == 7200 and settings.SESSION_COOKIE_AGE == 7200


def set_last_seen(client, seconds_ago):
    session = client.session
    session[LAST_SEEN] = int(time.time()) - seconds_ago
    session.save()


def test_a_session_idle_past_the_timeout_ends(client, users):
    client.force_login(users["reporter"])
    client.get("/")
    set_last_seen(client, 7200 + 5)

    response = client.get("/", follow=True)

    assert response.redirect_chain and response.redirect_chain[-1][0].startswith(reverse("login"))
    assert "已自动退出" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_activity_keeps_the_session_alive(client, users):
    client.force_login(users["reporter"])
    client.get("/")
    set_last_seen(client, 7200 - 60)

    response = client.get("/")  # within the timeout: served, and the clock restarts

    assert response.status_code == 200
    assert time.time() - client.session[LAST_SEEN] < 5
    assert response.cookies["sessionid"]["max-age"] == 7200


def test_the_timeout_is_a_setting(client, users, settings):
    settings.SESSION_IDLE_TIMEOUT = 600
    client.force_login(users["reporter"])
    client.get("/")
    set_last_seen(client, 601)

    assert client.get("/").status_code == 302


def test_a_quiet_minute_costs_no_session_write(client, users):
    client.force_login(users["reporter"])
    client.get("/")
    before = client.session[LAST_SEEN]
    client.get("/")
    assert client.session[LAST_SEEN] == before
    assert "sessionid" not in client.get("/").cookies  # not re-saved on every request
