"""The typography and placement rules of every generated text, on plain values."""

import pytest

from reports.builders.gbt9704 import char_width, issuer_mark_size, signature_indents
from reports.builders.typography import clean, find_illegal, prose, quantity, words


@pytest.mark.parametrize(
    "raw, want",
    [
        ("窗口\x0b人员\x07不足", "窗口 人员不足"),
        ("a\x00b\x1fc\x7fd", "abcd"),
        ("换行\n和\t制表符保留", "换行\n和\t制表符保留"),
        ("\ufffe坏字符\ud800", "坏字符"),
        (None, ""),
        (3.5, "3.5"),
    ],
)
def test_clean_drops_what_no_file_may_hold(raw, want):
    assert clean(raw) == want


def test_find_illegal_names_the_character():
    assert find_illegal("ok\x0bno") == "U+000B" and find_illegal("全部可打印") is None


@pytest.mark.parametrize(
    "number, unit, want",
    [
        ("0.5", "个工作日", "0.5个工作日"),
        ("90", "%", "90%"),
        ("8.38", "月", "8.38个月"),
        ("1000", "家", "1000家"),
        ("3", "", "3"),
    ],
)
def test_quantity_hugs_its_unit(number, unit, want):
    assert quantity(number, unit) == want


@pytest.mark.parametrize(
    "raw, want",
    [
        ("≤ 0.5 个工作日", "不超过0.5个工作日"),
        ("≥ 90%", "不低于90%"),
        ("> 1000 家", "超过1000家"),
        ("= 100%", "达到100%"),
        ("= 0 万元", "达到0万元"),
        ("较上年同期压缩 ≥ 8%", "较上年同期压缩不低于8%"),
        ("不低于「各项贷款增速」", "不低于“各项贷款增速”"),
        ("220 至 280 美元", "220至280美元"),
        ("全省排名前 10 名", "全省排名前10名"),
        ("2022-12-31 前完成", "2022年12月31日前完成"),
        ("8.38 月", "8.38个月"),
    ],
)
def test_words_turn_targets_into_prose(raw, want):
    assert words(raw) == want


@pytest.mark.parametrize(
    "raw, want",
    [
        ("窗口人员不足,办件积压;已整改:完成", "窗口人员不足，办件积压；已整改：完成"),
        ("时间10:30,比例0.5", "时间10:30，比例0.5"),
        ("见附件(Excel表)", "见附件（Excel表）"),
        ('推行"一件事一次办"', "推行“一件事一次办”"),
        ("2022年6月底", "2022年6月底"),
        ("code:a1,b2", "code:a1,b2"),
    ],
)
def test_prose_uses_full_width_punctuation_beside_chinese_only(raw, want):
    assert prose(raw) == want


@pytest.mark.parametrize("text, width", [("市优化办", 4), ("2022年7月12日", 6.5), ("ab", 1), ("", 0)])
def test_char_width_counts_digits_as_half(text, width):
    assert char_width(text) == width


@pytest.mark.parametrize(
    "signer, date_text, sealed, want",
    [
        # unsealed: signer 右空二字, date starts two characters right of the signer
        ("衡阳市优化营商环境领导小组办公室", "2022年7月12日", False, (2, 9.5)),
        # unsealed, date longer than the signer: date 右空二字, signer moves left
        ("市优化办", "2022年12月12日", False, (7, 2)),
        # sealed: date 右空四字, signer centred on it (never past the margin)
        ("市优化办", "2022年7月12日", True, (5.25, 4)),
        # sealed, signer longer than the date: signer 右空二字, the date centred under it
        ("衡阳市优化营商环境领导小组办公室", "2022年7月12日", True, (2, 6.75)),
    ],
)
def test_signature_follows_gbt9704(signer, date_text, sealed, want):
    assert signature_indents(signer, date_text, sealed=sealed) == want


def test_the_issuer_mark_fits_the_text_block():
    assert issuer_mark_size("衡阳市优化营商环境领导小组办公室") * 16 <= 442
    assert issuer_mark_size("市优化办") == 36


def _raw_document():
    """Blocks made directly (not through Document.add), as a stored version or another
    builder could hold them: the renderers themselves must cope."""
    from reports.builders.blocks import Block, Document, Head, Sheet

    doc = Document("dispatch", "2022-06", "测试\x07标题")
    doc.blocks = [
        Block("title", "测试\x07标题"),
        Block("p", "说明\x0b含有控制字符\x07"),
        Block("table", header=["单位", "情况说明"], rows=[["祁东县", "窗口\x0b人员\x07不足"]], widths=[1, 3]),
    ]
    doc.sheets = [Sheet("明细", ["单位", "情况说明"], [["祁东县", "窗口\x0b人员\x07不足"]])]
    doc.head = Head(
        issuer="衡阳市优化营商环境领导小组办公室",
        number_prefix="衡优化办调度",
        year=2022,
        date="2022-07-07",
        signer="衡阳市优化营商环境领导小组办公室",
        printer="衡阳市优化营商环境领导小组办公室",
        print_date="2022-07-07",
        annexes=["明细表"],
        cc="市委办公室",
    )
    return doc


def test_every_renderer_drops_control_characters(tmp_path):
    from docx import Document as open_docx
    from openpyxl import load_workbook

    from reports.builders.docx import render_docx
    from reports.builders.pdf import render_pdf
    from reports.builders.xlsx import render_xlsx

    doc = _raw_document()
    render_docx(doc, tmp_path / "a.docx")
    render_pdf(doc, tmp_path / "a.pdf")
    render_xlsx(doc, tmp_path / "a.xlsx")
    word = open_docx(str(tmp_path / "a.docx"))
    assert "说明 含有控制字符" in [p.text for p in word.paragraphs]
    assert word.tables[0].rows[1].cells[1].text == "窗口 人员不足"
    assert load_workbook(str(tmp_path / "a.xlsx"))["明细"]["B5"].value == "窗口 人员不足"  # under 附件N, title, period, header
    assert (tmp_path / "a.pdf").read_bytes()[:4] == b"%PDF"


def test_a_renderer_failing_on_text_names_where_the_text_is(tmp_path, monkeypatch):
    from reports.builders.common import BuildError
    from reports.services import documents

    doc = _raw_document()
    assert doc.text_problem() == "段落“测试标题”含无法打印的字符 U+0007"
    doc.blocks = doc.blocks[2:]
    assert doc.text_problem() == "表格中“祁东县、窗口 人员不足”一行的“情况说明”含无法打印的字符 U+000B"

    def broken(document, path):
        raise ValueError("All strings must be XML compatible")

    monkeypatch.setitem(documents.RENDERERS, "docx", broken)
    with pytest.raises(BuildError, match=r"祁东县.*情况说明"):
        documents.file_render(tmp_path / "x.docx", "docx", doc)
