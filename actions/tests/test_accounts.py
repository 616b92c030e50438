"""Account pages in Chinese: sign in, repeated failures lock the account (django-axes),
sign out, change the password."""

from django.urls import reverse

from conftest import PASSWORD


def test_login_page_is_in_chinese(client, db):
    body = client.get(reverse("login")).content.decode()
    assert "用户名" in body and "密码" in body and "登录" in body


def test_five_failed_logins_lock_the_account(client, users):
    for _ in range(5):
        response = client.post(reverse("login"), {"username": "hengnan_reporter", "password": "wrong"})
    assert "账户暂时锁定" in response.content.decode()
    # even the right password is refused while locked
    response = client.post(reverse("login"), {"username": "hengnan_reporter", "password": PASSWORD})
    assert "账户暂时锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_four_failures_then_success_signs_in(client, users):
    for _ in range(4):
        client.post(reverse("login"), {"username": "hengnan_reporter", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "hengnan_reporter", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(users["reporter"].pk)


def test_logout(client, users):
    client.force_login(users["reporter"])
    client.post(reverse("logout"))
    assert "_auth_user_id" not in client.session


def test_password_change_in_chinese(client, users):
    client.force_login(users["reporter"])
    url = reverse("actions:password-change")
    assert "原密码" in client.get(url).content.decode()
    response = client.post(url, {"old_password": "nope", "new_password1": "Xy-12345678", "new_password2": "Xy-12345678"})
    assert response.status_code == 200 and "原密码" in response.content.decode()
    assert response.context["form"].errors["old_password"]
    response = client.post(url, {"old_password": PASSWORD, "new_password1": "Xy-12345678", "new_password2": "Xy-12345678"})
    assert response.status_code == 302 and response.url == reverse("actions:password-change-done")
    users["reporter"].refresh_from_db()
    assert users["reporter"].check_password("Xy-12345678")
    assert "密码已修改" in client.get(response.url).content.decode()


def test_a_short_new_password_is_refused_in_chinese(client, users):
    client.force_login(users["reporter"])
    url = reverse("actions:password-change")
    response = client.post(url, {"old_password": PASSWORD, "new_password1": "Xy-1", "new_password2": "Xy-1"})
    assert response.status_code == 200
    errors = response.context["form"].errors["new_password2"]
    assert "密码太短,至少需要 8 个字符。" in errors
    assert not any("short" in e for e in errors)
