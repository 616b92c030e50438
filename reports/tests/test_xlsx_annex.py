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
    assert ws["B2"].value == 3.25 and ws["B2"].data_type == "n" and ws["B2"].number_format == "0.00"
    assert ws["B4"].value == 12 and ws["C4"].value == "家"


def test_formula_like_text_is_text_without_an_apostrophe(tmp_path):
    ws = _annex(tmp_path)
    for ref, text in (("D2", "= 100%"), ("D3", "+5%"), ("D4", "@home"), ("F3", "-")):
        cell = ws[ref]
        assert cell.value == text and cell.data_type == "s" and cell.quotePrefix


def test_statuses_are_words_on_fills_and_control_characters_are_dropped(tmp_path):
    ws = _annex(tmp_path)
    for ref, word in (("E2", "未达标"), ("E3", "预警"), ("E4", "达标")):
        assert ws[ref].value == word and ws[ref].fill.fgColor.rgb.endswith(STATUS_FILLS[word].fgColor.rgb[-6:])
    assert ws["F2"].value == "窗口 人员不足"


def test_the_sheet_filters_freezes_and_prints_landscape_to_the_width(tmp_path):
    ws = _annex(tmp_path)
    assert ws.auto_filter.ref == "A1:F4" and ws.freeze_panes == "A2"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$1:$1"  # the header on every printed page
