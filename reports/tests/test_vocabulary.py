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


# -- the visible text of every role's pages is Chinese (issue 23) -------------------------
# Words a user may see in Latin letters: file formats, names of accounts (the test fixtures'
# users, the system account that loaded a plan) and of files.
ALLOWED_LATIN = {"Excel", "Word", "CSV", "PDF", "SHA", "root", "BIM"} | {  # BIM: the plan's own word (多图联审(BIM审图))
    "hengnan_reporter",
    "qidong_reporter",
    "tax_reporter",
    "hengnan_approver",
    "amr_lead",
    "office",
    "leader",
    "sysadmin",
}
RAW = ("None", "True", "False", "N/A", "nan")


def _main_text(html: str) -> str:
    from html import unescape

    main = re.search(r"<main\b.*?</main>", html, flags=re.S).group(0)
    # <pre>: a plan load's change log, a record kept as written; hex: a file's checksum
    main = re.sub(r"<(script|style|pre)\b.*?</\1>", " ", main, flags=re.S)
    text = re.sub(r"[0-9a-f]{12}…", " ", unescape(re.sub(r"<[^>]+>", " ", main)))
    return re.sub(r"[\w.-]+\.(yaml|yml|xlsx|docx|zip)\b", " ", text)


def _choice_codes() -> set[str]:
    from django.apps import apps

    return {
        str(value)
        for model in apps.get_models()
        if model._meta.app_label in {"actions", "indicators", "reports", "supervision"}
        for field in model._meta.fields
        for value, _ in (field.choices or [])
        if isinstance(value, str)
    }


@pytest.mark.parametrize("who", ["reporter", "dept_reporter", "approver", "lead", "office", "leader"])
def test_pages_show_no_codes_or_english(client, users, plan_2022, who):
    """Each page a role's home and menu link to, as the user sees it: no raw choice value
    (draft, issued, ...), no metric or unit code, no None/True/False/N/A."""
    from indicators.models import Metric

    demo_year(plan_2022, today=date(2022, 8, 1))
    codes = _choice_codes() | set(Metric.objects.values_list("code", flat=True))
    client.force_login(users[who])
    home = client.get("/").content.decode()
    skip = ("/admin", "/static", "/accounts/logout")
    urls = ["/", *sorted({u for u in re.findall(r'href="(/[^"#?]*)"', home) if not u.startswith(skip)})]
    found = {}
    for url in urls:
        response = client.get(url)
        if response.status_code != 200 or "html" not in response["Content-Type"]:
            continue
        text = _main_text(response.content.decode())
        latin = set(re.findall(r"(?<![A-Za-z_])[A-Za-z_]{2,}(?![A-Za-z_])", text)) - ALLOWED_LATIN
        raw = {w for w in RAW if re.search(rf"(?<![A-Za-z_/]){re.escape(w)}(?![A-Za-z_/])", text)}
        if latin or raw:
            found[url] = {"codes": sorted(latin & codes), "other": sorted((latin - codes) | raw)}
    assert found == {}


def test_report_archive_has_one_name(client, users, plan_2022):
    """The page, its menu link, its tab title and the links back to it all say
    月调度与季通报 (the home card's and the report kinds' words), never 调度通报."""
    client.force_login(users["office"])
    for url in ("/", "/reports/archive/", "/reports/archive/settings/"):
        html = client.get(url).content.decode()
        assert "调度通报" not in html.replace("月调度与季通报", ""), url
    assert "<title>月调度与季通报 ·" in client.get("/reports/archive/").content.decode()
