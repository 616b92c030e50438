"""报送进度 (the completeness board) and 报送审核 (the month page) say the same word for
the same unit's month, and link to each other."""

import re
from datetime import date

import pytest

from indicators.models import Submission
from reports.tests.dashboard_data import demo_year

JUNE = date(2022, 6, 1)


def _row_of(html: str, name: str) -> str:
    rows = [r for r in re.findall(r"<tr[^>]*>.*?</tr>", html, flags=re.S) if f">{name}<" in r]
    assert len(rows) == 1, name
    return rows[0]


@pytest.mark.parametrize(
    ("state", "late", "word"),
    [
        (None, False, "逾期未报"),
        ("draft", False, "逾期未报"),
        ("submitted", False, "已提交"),
        ("submitted", True, "逾期报送"),
        ("approved", False, "单位已审核"),
        ("returned", False, "已退回"),
        ("accepted", False, "已采纳"),
    ],
)
def test_both_pages_say_the_same_word(client, users, plan_2022, state, late, word):
    demo_year(plan_2022, today=date(2022, 8, 1))
    Submission.objects.filter(unit__code="qidong", period=JUNE).delete()
    if state:
        Submission.objects.create(unit=users["other_reporter"].membership.unit, period=JUNE, state=state, is_late=late)
    client.force_login(users["office"])
    board = client.get("/reports/dashboard/completeness/?period=2022-06").content.decode()
    month = client.get("/indicators/months/2022-06/").content.decode()
    assert word in _row_of(board, "祁东县")
    assert word in _row_of(month, "祁东县")
    for old in ("未开始", "填报中"):
        assert old not in board and old not in month
    assert 'href="/indicators/months/2022-06/"' in board and 'href="/reports/dashboard/completeness/?period=2022-06"' in month
