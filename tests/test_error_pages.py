"""Error pages speak Chinese: a reporter reaching for the office's pages is told why."""

import pytest
from django.test import override_settings


@override_settings(DEBUG=False)
def test_a_forbidden_page_explains_in_chinese(client, users):
    client.force_login(users["reporter"])
    response = client.get("/indicators/corrections/")
    assert response.status_code == 403
    assert "无权访问" in response.content.decode()


@override_settings(DEBUG=False)
@pytest.mark.django_db
def test_a_missing_page_says_so_in_chinese(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()
