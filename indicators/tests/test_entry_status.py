"""The live status endpoint: the server judges typed inputs with the same rules as saving."""

from django.urls import reverse

URL = reverse("indicators:entry-status", args=["hengnan", "2022-06"])


def test_it_judges_what_is_typed(client, users):
    client.force_login(users["reporter"])
    red = client.get(URL, {"metric": "business_start_days", "value": "3", "cases": "4"}).json()
    assert red == {"status": "red", "label": "未达标", "icon": "✖", "needs_explanation": True, "errors": {}, "ratio": ""}
    green = client.get(URL, {"metric": "business_start_days", "value": "0.5", "cases": "4"}).json()
    assert (green["status"], green["needs_explanation"]) == ("green", False)
    ratio = client.get(URL, {"metric": "online_service_rate", "numerator": "50", "denominator": "100"}).json()
    assert (ratio["status"], ratio["ratio"]) == ("red", "50%")


def test_it_reports_bad_input_in_chinese(client, users):
    client.force_login(users["reporter"])
    data = client.get(URL, {"metric": "business_start_days", "value": "abc"}).json()
    assert data["status"] == "grey" and data["errors"] == {"value": "“abc”不是数字"}


def test_a_metric_the_unit_does_not_report_is_404(client, users):
    client.force_login(users["reporter"])
    response = client.get(URL, {"metric": "tax_hours", "value": "1"})
    assert response.status_code == 404 and response.json()["error"] == "本单位本月不报送该指标。"
