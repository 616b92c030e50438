"""The Excel annex renderer on a plain Document (no database): numbers stay numbers,
statuses are filled words, formula-like text stays text without a visible apostrophe,
and the sheet prints and filters as people expect."""

from decimal import Decimal

from openpyxl import load_workbook

from reports.builders.blocks import Document, Sheet
from reports.builders.xlsx import STATUS_FILLS, render_xlsx


def _annex(tmp_path):
    doc = Document("dispatch", "2022-06", "测试")
    doc.sheets = [
        Sheet(
            "未达标和预警",
            ["单位", "完成值", "计量单位", "目标", "状态", "情况说明"],
            [
                ["祁东县", Decimal("3.25"), "个工作日", "= 100%", "未达标", "窗口\x0b人员不足"],
                ["衡东县", 0.8, "个工作日", "+5%", "预警", "-"],
                ["衡南县", 12, "家", "@home", "达标", ""],
            ],
            [None, "0.00", None, None, None, None],
        )
    ]
    path = tmp_path / "annex.xlsx"
    render_xlsx(doc, path)
    return load_workbook(str(path))["未达标和预警"]


def test_numbers_are_numbers_with_their_format(tmp_path):
    ws = _annex(tmp_path)
    assert ws["B5"].value == 3.25 and ws["B5"].data_type == "n" and ws["B5"].number_format == "0.00"
    assert ws["B7"].value == 12 and ws["C7"].value == "家"


def test_formula_like_text_is_text_without_an_apostrophe(tmp_path):
    ws = _annex(tmp_path)
    for ref, text in (("D5", "= 100%"), ("D6", "+5%"), ("D7", "@home"), ("F6", "-")):
        cell = ws[ref]
        assert cell.value == text and cell.data_type == "s" and cell.quotePrefix


def test_statuses_are_words_on_fills_and_control_characters_are_dropped(tmp_path):
    ws = _annex(tmp_path)
    for ref, word in (("E5", "未达标"), ("E6", "预警"), ("E7", "达标")):
        assert ws[ref].value == word and ws[ref].fill.fgColor.rgb.endswith(STATUS_FILLS[word].fgColor.rgb[-6:])
    assert ws["F5"].value == "窗口 人员不足"


def test_the_sheet_filters_freezes_and_prints_landscape(tmp_path):
    ws = _annex(tmp_path)
    assert ws.auto_filter.ref == "A4:F7" and ws.freeze_panes == "A5"
    assert ws.page_setup.orientation == "landscape"
    assert ws.print_title_rows == "$4:$4"  # the header on every printed page


def test_the_sheet_is_cited_as_the_document_cites_it(tmp_path):
    """Issue 20: each sheet opens with its 附件N label, title and period."""
    ws = _annex(tmp_path)
    assert [ws["A1"].value, ws["A2"].value, ws["A3"].value] == ["附件1", "未达标和预警表", "（2022年6月）"]


def _printed_pt(ws) -> float:
    """The smallest cell text on paper: font size × print scale (fit-to-page shrinks to
    whatever the width needs, so it counts as unknown: 0)."""
    if ws.sheet_properties.pageSetUpPr.fitToPage:
        return 0.0
    sizes = [c.font.sz for row in ws.iter_rows(min_row=4) for c in row if c.value is not None]
    return min(sizes) * (ws.page_setup.scale or 100) / 100


def test_a_wide_sheet_prints_legibly(tmp_path):
    """Issue 20: the 13-column sheet printed at about 4 pt. No cell below 9 pt on paper;
    a wider table continues on the next page with its first columns repeated."""
    doc = Document("dispatch", "2022-06", "测试")
    header = [f"第{i}列很长的标题" for i in range(13)]
    doc.sheets = [Sheet("未达标和预警", header, [["很长的情况说明" * 6] * 13 for _ in range(40)])]
    render_xlsx(doc, tmp_path / "wide.xlsx")
    ws = load_workbook(str(tmp_path / "wide.xlsx"))["未达标和预警"]
    assert _printed_pt(ws) >= 9
    assert ws.print_title_cols == "$A:$C"
