"""Where “月度填报” leads, and the entry page's empty states."""

from django.urls import reverse


def test_a_reporter_goes_to_their_units_sheet(client, users):
    client.force_login(users["reporter"])
    response = client.get(reverse("indicators:entry-home"), {"period": "2022-03"})
    assert response.url == reverse("indicators:entry", args=["hengnan", "2022-03"])


def test_the_office_and_leaders_go_to_the_month_overview(client, users):
    for who in ("office", "leader"):
        client.force_login(users[who])
        response = client.get(reverse("indicators:entry-home"), {"period": "2022-03"})
        assert response.url == reverse("indicators:month", args=["2022-03"])


def test_a_bad_month_is_404_not_500(client, users):
    client.force_login(users["reporter"])
    assert client.get("/indicators/entry/hengnan/2022-13/").status_code == 404
    assert client.get(reverse("indicators:entry-home"), {"period": "xx"}).status_code == 404


def test_a_year_without_a_plan_says_so(client, users):
    client.force_login(users["reporter"])
    body = client.get(reverse("indicators:entry", args=["hengnan", "2030-06"])).content.decode()
    assert "2030年没有载入年度方案" in body


def test_a_unit_with_nothing_to_report_says_so(client, users):
    from conftest import make_user

    client.force_login(make_user("office_reporter", "reporter", "office"))
    body = client.get(reverse("indicators:entry", args=["office", "2022-06"])).content.decode()
    assert "本单位在本月没有需要报送的目标指标和任务" in body
