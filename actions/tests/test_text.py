"""actions.text.clean_text: control characters pasted from Word or a web page are removed
from every text input; tab and newline stay, other line breaks become newlines. Pure."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from actions.text import clean_text, has_control


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        (None, ""),
        ("", ""),
        ("情况说明", "情况说明"),
        ("a\tb\nc", "a\tb\nc"),  # tab and newline are kept
        ("第一行\x0b第二行", "第一行\n第二行"),  # Word's manual line break
        ("分页\x0c后", "分页\n后"),  # Word's page break
        ("响铃\x07", "响铃"),  # Word's table-cell end mark
        ("a\x00b", "ab"),
        ("a\x1fb\x7fc\x80d\x9fe", "abcde"),  # C0, DEL and C1 controls
        ("a\r\nb\rc", "a\nb\nc"),  # Windows and old Mac line ends
        ("a\u2028b\u2029c\x85d", "a\nb\nc\nd"),  # Unicode line and paragraph separators
        ("a\ufffeb\uffff", "ab"),  # not characters: illegal in XML
        ("a\ud800b", "ab"),  # a lone surrogate cannot be stored
        ("=cmd|' /C calc'!A0", "=cmd|' /C calc'!A0"),  # text stays text; exports escape it
        ("  空格  ", "  空格  "),  # spaces are the caller's business
        (12, "12"),
    ],
)
def test_clean_text(raw, clean):
    assert clean_text(raw) == clean


@pytest.mark.parametrize(("raw", "dirty"), [("a\x07", True), ("a\x0bb", False), ("a\r\nb", False), ("", False), (None, False)])
def test_has_control(raw, dirty):
    assert has_control(raw) is dirty


@given(st.text(alphabet=st.characters(codec=None)))
def test_clean_text_leaves_no_control_character_and_is_stable(raw):
    out = clean_text(raw)
    assert all(c in "\t\n" or not (ord(c) < 32 or 0x7F <= ord(c) <= 0x9F) for c in out)
    assert clean_text(out) == out
    assert not has_control(out)
