"""The quarterly bulletin on a quarter of demo data: rankings, 红黑榜 and red list as the
rules compute them, and a Word file in the GB/T 9704-2012 official-document format."""

import itertools
import os
import subprocess
from datetime import date

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from actions.models import Plan
from conftest import ARTIFACTS, ROOT
from indicators.demo import seed_year
from indicators.rules.periods import quarter_months
from indicators.rules.scoring import red_black_list, score
from indicators.rules.types import Status
from indicators.selectors import status_board
from reports.builders.annexes import body_blocks
from reports.models import BulletinNote, ReportSettings
from reports.rankings import rankings, scoring_formula
from reports.services.build import report_build
from reports.tests.reportdata import docx_text, pdf_text, xlsx_rows
from tests.snapshots import demo_seed

TODAY = date(2022, 7, 12)
# Marks the module as using the database, so that pytest-django sets the test database up.
# One process builds the module's documents once (`make test` runs several).
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("bulletin_build")]


@pytest.fixture(scope="module")
def bulletin(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for the module (seeding a quarter takes seconds); the tests only read
    the files and what the rules computed, and the data is rolled back afterwards."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        call_command("load_plan", str(ROOT / "fixtures" / "plan_2022.yaml"), stdout=open(os.devnull, "w"))
        plan = Plan.objects.get(year=2022)
        seed_year(plan, today=TODAY)
        BulletinNote.objects.create(key="2022Q2", kind="good", text="衡南县推行企业开办“一件事一次办”,全程网办。")
        BulletinNote.objects.create(key="2022Q2", kind="negative", text="某窗口多次要求企业重复提交材料。")
        BulletinNote.objects.create(key="2022Q1", kind="good", text="上季度的案例不应出现")
        ReportSettings.objects.create(red_black_list=True)  # the office asks for the 红黑榜
        report = report_build(kind="bulletin", key="2022Q2", today=TODAY)
        expected = rankings(plan=plan, periods=quarter_months(2022, 2), today=TODAY)
        global expected_scoring  # the plan's scoring section, read before the rollback
        expected_scoring = plan.scoring
        board = status_board(plan=plan, period=date(2022, 6, 1), today=TODAY)
        reds = sorted((r.unit.name, r.metric.name) for r in board.unit_rows if r.status == Status.RED)
        files = {fmt: media / getattr(report, fmt).name for fmt in ("docx", "pdf", "xlsx")}
        transaction.set_rollback(True)
    return files, expected, reds


def test_rankings_follow_the_published_score_by_group_with_ties_shared(bulletin):
    """Counties, parks and city departments are ranked separately (annex, one sheet each),
    by the published score; equal scores share a rank."""
    files, expected, _ = bulletin
    assert list(expected) == ["counties", "parks", "departments", "stationed"]  # the plan file's groups, ranked separately
    formula = scoring_formula(Plan(scoring=expected_scoring))
    for group, r in expected.items():
        rows = xlsx_rows(files["xlsx"], f"排名-{r.label}")
        assert rows[0][:3] == ["排名", "单位", "综合得分"]
        assert [row[1] for row in rows[1:]] == [x.name for x in r.rows]
        want = {inp.name: float(score(inp, formula)) for inp in r.inputs.values() if score(inp, formula) is not None}
        got = {row[1]: row[2] for row in rows[1:]}
        assert got == pytest.approx(want)
        for before, after in itertools.pairwise(rows[1:]):
            assert after[2] <= before[2]
            assert (after[0] == before[0]) == (after[2] == before[2])  # 并列 exactly on equal scores
    assert formula.text() in docx_text(files["docx"])  # the formula is stated in the bulletin itself


def test_it_names_the_top_and_bottom_units_with_a_deadline(bulletin):
    files, expected, _ = bulletin
    text = docx_text(files["docx"])
    red_lines = [line.split("黑榜：")[0] for line in text.splitlines() if "红榜：" in line]
    black_lines = [line.split("黑榜：")[1] for line in text.splitlines() if "黑榜：" in line]
    top, bottom = red_black_list(expected["counties"].rows, scoring_formula(Plan(scoring=expected_scoring)).red_black)
    assert all(r.name in red_lines[0] for r in top) and all(r.name not in red_lines[0] for r in bottom)
    assert all(r.name in black_lines[0] for r in bottom)
    assert "请于2022年7月31日前将整改措施和整改情况书面报送市优化办" in black_lines[0]
    assert "位列前三" not in text  # ties can put more than three names there


def test_the_red_list_is_every_red_target_at_quarter_end_in_the_annex(bulletin):
    files, _, reds = bulletin
    table = xlsx_rows(files["xlsx"], "未达标清单")
    assert table[0][:3] == ["序号", "单位", "指标"]
    assert sorted((row[1], row[2]) for row in table[1:]) == reds
    assert reds  # the demo quarter has reds


def test_good_practices_and_negative_cases_of_the_quarter_only(bulletin):
    files, _, _ = bulletin
    text = docx_text(files["docx"])
    assert "衡南县推行企业开办“一件事一次办”" in text
    assert "某窗口多次要求企业重复提交材料。" in text
    assert "上季度的案例不应出现" not in text


def test_the_word_file_has_the_official_page_setup(bulletin):
    files, _, _ = bulletin
    doc = Document(str(files["docx"]))
    s = doc.sections[0]
    assert (mm(s.page_width), mm(s.page_height)) == (210, 297)  # A4
    assert [mm(s.top_margin), mm(s.bottom_margin), mm(s.left_margin), mm(s.right_margin)] == [37, 35, 28, 26]
    assert mm(s.page_width - s.left_margin - s.right_margin) == 156  # the text block
    assert mm(s.page_height - s.top_margin - s.bottom_margin) == 225
    grid = s._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "lines" and grid.get(qn("w:linePitch")) == "579"  # 22 lines a page


def mm(length) -> float:
    return round(length / 36000, 1)  # EMU; Word stores twips, so 210 mm reads back as 210.01


def _fonts(element):
    rfonts = element.find(qn("w:rPr")).find(qn("w:rFonts"))
    return rfonts


@pytest.mark.parametrize(
    "style, east_asia, size",
    [
        ("公文标题", "方正小标宋简体", 22),
        ("公文正文", "仿宋_GB2312", 16),
        ("一级标题", "黑体", 16),
        ("二级标题", "楷体_GB2312", 16),
        ("三级标题", "仿宋_GB2312", 16),
        ("公文页码", "宋体", 14),
    ],
)
def test_styles_set_the_east_asian_font_and_no_theme_font(bulletin, style, east_asia, size):
    files, _, _ = bulletin
    doc = Document(str(files["docx"]))
    st = doc.styles[style]
    rfonts = _fonts(st.element)
    assert rfonts.get(qn("w:eastAsia")) == east_asia
    assert not [a for a in rfonts.attrib if a.endswith("Theme") or a.endswith("theme")]
    assert st.font.size == Pt(size)
    defaults = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:rFonts"))
    assert defaults.get(qn("w:eastAsia")) == "仿宋_GB2312" and defaults.get(qn("w:eastAsiaTheme")) is None


def test_runs_carry_the_fonts_of_their_heading_level(bulletin):
    files, _, _ = bulletin
    doc = Document(str(files["docx"]))
    by_text = {p.text: p for p in doc.paragraphs}
    mark, title = doc.paragraphs[1], next(p for p in doc.paragraphs if p.text.startswith("关于2022年第二季度"))
    assert mark.text == "衡阳市优化营商环境领导小组办公室" and mark.runs[0].font.color.rgb == RGBColor(0xE6, 0, 0x12)
    assert title.style.name == "公文标题"
    h1 = by_text["一、总体情况"]
    h2 = next(p for t, p in by_text.items() if t.startswith("（一）"))
    h3 = next(p for p in doc.paragraphs if p.style.name == "三级标题")
    for p, font in ((title, "方正小标宋简体"), (h1, "黑体"), (h2, "楷体_GB2312"), (h3, "仿宋_GB2312")):
        assert _fonts(p.runs[0]._r).get(qn("w:eastAsia")) == font


def test_page_numbers_are_fields_odd_right_even_left(bulletin):
    files, _, _ = bulletin
    doc = Document(str(files["docx"]))
    assert doc.settings.odd_and_even_pages_header_footer
    assert doc.settings.element.find(qn("w:evenAndOddHeaders")) is not None
    s = doc.sections[0]
    for footer, align in ((s.footer, "right"), (s.even_page_footer, "left")):
        p = footer.paragraphs[0]
        xml = p._p.xml
        assert "PAGE" in "".join(t.text for t in p._p.iter(qn("w:instrText")))
        assert f'w:jc w:val="{align}"' in xml
        assert p.text.startswith("— ") and p.text.endswith(" —")
        assert _fonts(p.runs[0]._r).get(qn("w:eastAsia")) == "宋体"
        assert p.runs[0].font.size == Pt(14)


def test_the_pdf_says_the_same_and_renders_glyphs(bulletin, tmp_path):
    files, expected, _ = bulletin
    path = files["pdf"]
    text = pdf_text(path)
    assert "第二季度" in text and "红榜" in text
    assert expected["counties"].rows[0].name in text
    assert "— 1 —" in text.replace("\n", " ") or "— 1 —" in text
    # A page to look at (and proof that poppler can rasterise it: fonts embedded).
    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(path), str(ARTIFACTS / "bulletin-page")], check=True
    )
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "CJK" in fonts


def test_the_excel_annex_holds_the_rankings_as_numbers(bulletin):
    files, expected, _ = bulletin
    rows = xlsx_rows(files["xlsx"], "排名-县市区")
    assert rows[0] == ["排名", "单位", "综合得分", "达标率(%)", "按时报送率(%)", "改善率(%)", "较上期升降位次"]
    assert [r[1] for r in rows[1:]] == [r.name for r in expected["counties"].rows]
    assert all(isinstance(v, int | float) for r in rows[1:] for v in r[2:6])
    assert xlsx_rows(files["xlsx"], "排名-园区")[1:]


def test_the_body_names_each_city_red_with_its_lead_department(plan_2022):
    """At province size thousands of unit targets are red: the body names the city's red
    targets, each with its lead department and its red units; the annex lists every one."""
    from reports.builders import bulletin as b
    from reports.builders.common import lead_name

    demo_seed(plan_2022, today=TODAY)
    board = status_board(plan=plan_2022, period=date(2022, 6, 1), today=TODAY)
    city_reds = [board.city_rows[m.pk] for m in board.metrics if board.city_rows[m.pk].status == Status.RED]
    unit_reds = [r for r in board.unit_rows if r.status == Status.RED]
    assert city_reds and unit_reds

    doc = b.bulletin_document(year=2022, quarter=2, today=TODAY)

    text = doc.text()
    tables = [x for x in body_blocks(doc) if x.kind == "table"]
    assert len(tables) == 1 and len(tables[0].rows) == len(city_reds)  # full tables go to the annex
    by_name = {row[1]: row for row in tables[0].rows}
    for r in city_reds:
        assert by_name[r.metric.name][5] == lead_name(r.metric)
    annex = next(s for s in doc.sheets if s.name == "未达标清单")
    assert len(annex.rows) == len(unit_reds)
    assert "≤" not in text and "「" not in text


def test_the_body_footnotes_the_plan_s_assumptions_until_the_office_confirms_them(plan_2022):
    from indicators.assumptions import assumption_confirm
    from indicators.pending import pending_confirmations
    from reports.builders import bulletin as b

    demo_seed(plan_2022, today=TODAY)
    assert pending_confirmations(plan_2022)  # the 2022 file marks its assumed values 待核定

    doc = b.bulletin_document(year=2022, quarter=2, today=TODAY)
    ranking = next(x.text for x in doc.blocks if x.kind == "p" and "分别排名" in x.text)
    assert "项数值及计分办法为暂定值（待核定），待市优化办核定，据此的目标暂不评判" in ranking
    listed = next(s for s in doc.sheets if s.name == "计分说明").rows
    assert "暂定值：完成期限" in [row[0] for row in listed]  # the detail, metric by metric, in the annex
    # the scoring formula is the office's own assumption too, until it confirms it
    assert ["计分办法", "待核定"] in listed

    plan_2022.metrics.update(pending=[])  # the office has confirmed every value
    assumption_confirm(plan=plan_2022, field="scoring", user=None)  # and the formula, on its page
    doc = b.bulletin_document(year=2022, quarter=2, today=TODAY)
    texts = [x.text for x in doc.blocks]
    assert not any("暂定值" in t or "待核定" in t for t in texts)
    assert ["计分办法", "已核定"] in next(s for s in doc.sheets if s.name == "计分说明").rows


def test_the_first_quarter_is_ranked_for_the_first_time(plan_2022):
    """The annex's 较上期升降位次 is never left empty: with no quarter before (the first of
    the plan's year) each unit is 首次排名."""
    from reports.builders import bulletin as b

    demo_seed(plan_2022, today=TODAY)
    doc = b.bulletin_document(year=2022, quarter=1, today=TODAY)
    sheet = next(s for s in doc.sheets if s.name == "排名-县市区")
    assert sheet.rows and {row[6] for row in sheet.rows} == {"首次排名"}
