"""An evidence file of the task ledger is served only to the report's unit, the task's
lead unit and those who read everything, as a download with its type."""

import pytest

from indicators.tests.ledger_base import PDF, SEPT, ledger_today, report  # noqa: F401

pytestmark = pytest.mark.usefixtures("ledger_today")


@pytest.mark.parametrize(
    "who, status",
    [("reporter", 403), ("dept_reporter", 403), ("lead", 200), ("office", 200), ("leader", 200)],
)
def test_who_may_download(client, users, who, status):
    # 企业开办免费刻制首套公章: lead 市场监管局 (the "lead" user's unit), co every county
    r = report("a1-1-free-seal", "qidong", SEPT, "done", with_file=True, user=users["other_reporter"])
    client.force_login(users[who])
    response = client.get(f"/indicators/ledger/evidence/{r.evidence.get().pk}/")
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"


def test_the_units_own_reporter_may_download(client, users):
    r = report("a1-1-free-seal", "qidong", SEPT, "done", with_file=True, user=users["other_reporter"])
    client.force_login(users["other_reporter"])
    assert client.get(f"/indicators/ledger/evidence/{r.evidence.get().pk}/").status_code == 200
