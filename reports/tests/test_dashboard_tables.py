"""Tables built from plain rows, without HTTP: status as icon and word, movement arrows,
and exports that a spreadsheet cannot run as formulas."""

import pytest

from indicators.rules.types import Status
from reports.exports import PlainTableExport, escape_cell
from reports.tables import MovementColumn, RankingTable, StatusTable


@pytest.mark.parametrize(
    "value,expected",
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1", "'+1"),
        ("-5%", "'-5%"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("衡南县", "衡南县"),
        ("", ""),
        (-5, -5),
        (None, None),
    ],
)
def test_escape_cell(value, expected):
    assert escape_cell(value) == expected


def _row(**kw):
    row = {
        "metric": "企业开办时间",
        "sort": 1,
        "area": "政务服务提优行动",
        "area_number": 1,
        "indicator": "企业开办",
        "unit": "衡南县",
        "unit_sort": (1, 0, "hengnan"),
        "kind": "县市区",
        "value": "0.6 个工作日",
        "number": 0.6,
        "target": "≤ 0.5 个工作日",
        "status": Status.RED,
        "status_order": 0,
        "url": "/x/",
    }
    return row | kw


def test_status_is_an_icon_and_a_word():
    table = StatusTable([_row()])
    cell = table.rows[0].get_cell("status")
    assert "✖ 未达标" in cell and "status-red" in cell


def test_export_escapes_formula_text_and_keeps_words():
    table = StatusTable([_row(unit="=cmd|' /C calc'!A0"), _row(status=Status.GREEN, status_order=3)])
    export = PlainTableExport("csv", table)
    assert export.header[:2] == ["目标指标", "行动"]
    units = [r[export.header.index("单位")] for r in export.rows]
    assert units[0].startswith("'=")
    assert [r[export.header.index("状态")] for r in export.rows] == ["未达标", "达标"]


@pytest.mark.parametrize(
    "movement,text",
    [(2, "▲ 2"), (-1, "▼ 1"), (0, "■ 0"), (None, "新")],
)
def test_movement_arrows(movement, text):
    assert text in MovementColumn().render(movement)


def test_ranking_rows_show_the_formula_terms():
    from indicators.rules.scoring import Ranked, ScoreInput

    ranked = [Ranked("hengnan", "衡南县", 88, 1, 3, 2)]
    inputs = {"hengnan": ScoreInput("hengnan", "衡南县", judged=20, met=15, on_time=1, expected=1, improved=10, comparable=12)}
    row = RankingTable.rows_from(ranked, inputs)[0]
    assert (row["met"], row["timeliness"], row["improvement"]) == ("15/20", "1/1", "10/12")


def test_the_ranking_body_drawn_in_python_is_what_django_tables2_draws(rf):
    """RankingTable.body_rows draws the rows itself (seconds saved at province size): the
    same cells as django-tables2's own template, sorted the same, for every kind of row
    (new, up, down, level; linked or not; a tie; an odd name)."""
    import re
    from decimal import Decimal

    from django_tables2 import RequestConfig

    class Generic(RankingTable):
        class Meta(RankingTable.Meta):
            template_name = "django_tables2/table.html"

    rows = [
        {"rank": "并列1", "rank_sort": 1, "movement": None, "movement_sort": 0, "name": "衡南县", "code": "hengnan",
         "score": Decimal("100.0"), "met": "19/19", "timeliness": "1/1", "improvement": "0/0", "link": True},
        {"rank": "并列1", "rank_sort": 1, "movement": 3, "movement_sort": -3, "name": "<b>A&B</b>", "code": "x",
         "score": Decimal("100.0"), "met": "1/2", "timeliness": "0/1", "improvement": "1/1", "link": False},
        {"rank": "3", "rank_sort": 3, "movement": -2, "movement_sort": 2, "name": "耒阳市", "code": "leiyang",
         "score": Decimal("87.25"), "met": "3/4", "timeliness": "1/1", "improvement": "2/3", "link": True},
        {"rank": "4", "rank_sort": 4, "movement": 0, "movement_sort": 0, "name": "衡阳县", "code": "hengyang",
         "score": 0, "met": "0/4", "timeliness": "0/1", "improvement": "", "link": False},
    ]  # fmt: skip

    def body(cls, query):
        table = cls([dict(r) for r in rows], prefix="counties-")
        RequestConfig(rf.get("/", query), paginate=False).configure(table)
        html = table.as_html(rf.get("/", query))
        return re.sub(r">\s+<", "><", html[html.index("<tbody") : html.index("</tbody>")]).rstrip()

    for query in ({}, {"counties-sort": "-score"}, {"counties-sort": "name"}):
        assert body(RankingTable, query) == body(Generic, query)
    assert "&lt;b&gt;A&amp;B&lt;/b&gt;" in body(RankingTable, {})
    assert body(RankingTable, {}).count('<tr class="odd">') == 2
