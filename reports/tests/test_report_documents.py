"""The three documents the office reads most — dispatch 2022-06, bulletin 2022Q2 and the
year-end bulletin 2022Q4 — built on a demo year and issued: each is a 公文 (字号, 附件说明,
版记), dated inside its period's schedule, names every city red target with its lead
department, renders to as many pages in LibreOffice as in the PDF, and has an annex of
numbers."""

import re
import subprocess

import pytest

from reports.builders.annexes import LANDSCAPE_MARGINS_TWIPS
from reports.builders.blocks import cn_date
from reports.builders.soffice import page_count, soffice
from reports.tests.conftest import BUILDS
from reports.tests.reportdata import docx_tables, docx_text, pdf_text, xlsx_rows

# One process builds the documents once for this module and test_document_format.py
# (`make test` runs several): the fixture is in reports/tests/conftest.py.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("report_documents")]


def test_the_number_follows_its_series_and_year(built):
    (kind, _), doc = built
    prefix = "衡优化办通" if kind == "bulletin" else "衡优化办调度"
    assert re.fullmatch(rf"{prefix}〔{doc['doc_date'].year}〕\d+号", doc["number"])
    lines = docx_text(doc["docx"]).splitlines()
    assert lines[0] == "衡阳市优化营商环境领导小组办公室" and doc["number"] in lines
    assert doc["number"] in pdf_text(doc["pdf"])


def test_numbers_are_not_reused_within_a_series(documents):
    bulletins = [d["number"] for (kind, _), d in documents.items() if kind == "bulletin"]
    assert len(set(bulletins)) == len(bulletins)


def test_annexes_and_colophon_are_there(built):
    _, doc = built
    text = docx_text(doc["docx"])
    assert re.search(r"^附件：1．\S+", text, re.M)
    assert "抄送：" in text
    assert f"衡阳市优化营商环境领导小组办公室 | {cn_date(doc['doc_date'])}印发" in text
    pdf = pdf_text(doc["pdf"])
    assert "附件：" in pdf and "印发" in pdf.splitlines()[-2] + pdf.splitlines()[-1] + pdf


def test_dates_belong_to_the_period_schedule(built):
    (_, _), doc = built
    spec = BUILDS[built[0]]
    low, high = spec["draft_dates"]
    assert low <= doc["draft_date"] <= high  # a draft is dated by its schedule, not the build day
    text = docx_text(doc["docx"])
    assert cn_date(doc["doc_date"]) in text.splitlines()
    assert "2026年" not in text and "截至报告生成时" not in text


def test_every_city_red_target_is_named_with_its_lead_department(built):
    (kind, _), doc = built
    if kind != "bulletin":
        pytest.skip("the dispatch names new reds; the bulletin names every city red")
    assert doc["city_reds"], "the demo year has city reds"
    table = next(t for t in docx_tables(doc["docx"]) if t[0][:2] == ["序号", "指标"])
    rows = {row[1]: row for row in table[1:]}
    assert len(rows) == len(doc["city_reds"])
    for name, lead in doc["city_reds"]:
        assert rows[name][5] == lead  # 牵头单位
        assert rows[name][2] and rows[name][3] and rows[name][6]  # figure, target, red units


def test_libreoffice_renders_as_many_pages_as_the_pdf(built):
    if not soffice():
        pytest.skip("soffice is not installed (Debian package libreoffice-writer-nogui; make sysdeps installs it)")
    _, doc = built
    lo = doc["lo"]
    assert abs(page_count(lo) - page_count(doc["pdf"])) <= 1


def _signed_page(pdf, doc_date) -> int:
    """The page (from 1) holding the 成文日期 (not the 版记's 印发日期, nor a 截至 date in
    the text): the first after the 附件说明's that holds it."""
    listed = False
    for n in range(1, page_count(pdf) + 1):
        text = subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"], capture_output=True, text=True).stdout
        text = re.sub(r"\s+", "", text)
        listed = listed or "附件：1．" in text
        if listed and re.search(rf"{cn_date(doc_date)}(?!印发)", text.split("附件：1．")[-1]):
            return n
    raise AssertionError(f"no 成文日期 in {pdf}")


# The body's pages, 版头 to 署名: the dispatch four; the bulletin five since it also
# ranks the 驻衡单位 group, counts the task ledger and states what is still 待核定 (issue 21).
BODY_PAGES = {"dispatch": 4, "bulletin": 5}


def test_the_body_fits_four_pages(built):
    """Issue 13: a short body, 版头 to 署名, at most four pages (five for the bulletin) in the
    PDF and in the Word file as LibreOffice sets it; the annexes follow on their own pages
    (issue 20). The GB/T 9704 版头 took six lines of the first page."""
    (kind, _key), doc = built
    assert _signed_page(doc["pdf"], doc["doc_date"]) <= BODY_PAGES[kind]
    if soffice():
        assert _signed_page(doc["lo"], doc["doc_date"]) <= BODY_PAGES[kind]


def _last_page_text(pdf) -> str:
    last = page_count(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", "-f", str(last), "-l", str(last), str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def _body_lines(page: str) -> list[str]:
    """The lines of a page that are neither the 版记 (抄送, 印发, the wrapped 抄送 line) nor
    its page number."""
    lines = [re.sub(r"\s+", "", x) for x in page.splitlines() if x.strip()]  # pdftotext spaces 2022 年
    cut = next(i for i, x in enumerate(lines) if x.startswith("抄送："))
    return [x for x in lines[:cut] if not re.fullmatch(r"—\s*\d+\s*—", x)]


def test_the_colophon_never_stands_alone_on_its_page(built):
    """A page holding nothing but the 版记 is not a 公文's last page: the 版记 shares its
    page with the text (the last annex's last rows, GB/T 9704 8: 附件 before the 版记), in
    the PDF and in LibreOffice."""
    _, doc = built
    pdfs = [doc["pdf"], *([doc["lo"]] if soffice() else [])]
    for pdf in pdfs:
        body = _body_lines(_last_page_text(pdf))
        assert len(body) >= 2, (pdf.name, body)


def _colophon_bottom(pdf) -> tuple[float, float]:
    """Bottom (pt from the page's top) of the 印发 line on the last page, and the foot of
    that page's text block (a landscape annex page's is higher)."""
    last = page_count(pdf)
    out = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(last), "-l", str(last), str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    width, height = (float(x) for x in re.search(r'<page width="([\d.]+)" height="([\d.]+)"', out).groups())
    foot = height - LANDSCAPE_MARGINS_TWIPS[2] / 20 if width > height else (297 - 35) / 25.4 * 72
    return max(float(m[1]) for m in re.finditer(r'yMax="([\d.]+)">[^<]*印发</word>', out)), foot


def test_the_colophon_sits_on_the_foot_of_the_last_page(built):
    """GB/T 9704 7.4: the 版记's last line is the last line of the text block (297 − 35 mm
    from the top, 742.7 pt, on a portrait page), in the PDF and in the Word file as
    LibreOffice places it."""
    _, doc = built
    bottom, foot = _colophon_bottom(doc["pdf"])
    assert foot - 14 < bottom <= foot + 1
    if soffice():
        bottom, foot = _colophon_bottom(doc["lo"])
        assert foot - 14 < bottom <= foot + 1


def test_the_annex_holds_numbers(built):
    (kind, _), doc = built
    if kind == "dispatch":
        rows = xlsx_rows(doc["xlsx"], "未达标和预警")
        header = rows[0]
        values = [dict(zip(header, r, strict=True)) for r in rows[1:]]
        assert values and all(isinstance(v["差距"], int | float) for v in values if v["差距单位"])
    else:
        rows = xlsx_rows(doc["xlsx"], "排名-县市区")
        assert all(isinstance(v, int | float) for r in rows[1:] for v in r[2:6])
        reds = xlsx_rows(doc["xlsx"], "未达标清单")
        assert any(isinstance(r[3], int | float) for r in reds[1:])


def test_the_year_end_bulletin_says_so(documents):
    text = docx_text(documents["bulletin", "2022Q4"]["docx"])
    assert "关于2022年第四季度暨全年全市优化营商环境攻坚行动推进情况的通报" in text
    assert "全年综合排名" in text and "全年目标完成情况" in text


def test_the_year_end_ranking_moves_against_the_third_quarter(documents):
    """The annex's 较上期升降位次 of the year-end bulletin: the year's rank against the
    third quarter's, as its bulletin ranked it (a unit not ranked then: 首次排名); the
    second quarter's moves against the first, and nothing is left empty."""
    q3_rank = documents["bulletin", "2022Q4"]["q3_ranks"]
    rows = xlsx_rows(documents["bulletin", "2022Q4"]["xlsx"], "排名-县市区")
    assert rows[0][6] == "较上期升降位次"
    moves = {r[1]: r[6] for r in rows[1:]}
    assert moves == {name: q3_rank[name] - rank for rank, name, *_ in rows[1:]}
    assert any(moves.values())
    for key in (("bulletin", "2022Q2"), ("bulletin", "2022Q4")):
        for sheet in ("排名-县市区", "排名-园区", "排名-市直部门"):
            assert all(r[6] not in (None, "") for r in xlsx_rows(documents[key]["xlsx"], sheet)[1:]), (key, sheet)
