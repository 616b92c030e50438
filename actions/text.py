"""Text hygiene: what a user pastes (from Word, WPS, a web page) into a note, a reason or
a name may carry invisible control characters (\\x0b vertical tab, \\x07 bell …) that
break Excel (openpyxl refuses them), XML and PDF renderers. Every input removes them with
this one function; users cannot see them, so removing loses nothing they meant. Pure."""

from __future__ import annotations

import re

# Line breaks written in other ways become "\n" (Word writes its manual line break as a
# vertical tab \x0b and a page break as a form feed \x0c); every other control character goes:
# C0 and C1 controls but tab and newline (the Unicode category Cc), lone surrogates (not
# encodable), and U+FFFE/U+FFFF (not characters; illegal in XML).
_NEWLINES = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean_text(value) -> str:
    """`value` as text without control characters other than tab and newline (CR LF,
    CR, vertical tab, form feed and Unicode line separators become a newline). None
    becomes ""."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    return _CONTROL.sub("", _NEWLINES.sub("\n", text))


def has_control(value) -> bool:
    """Whether clean_text changes `value` other than by writing its line breaks as "\n"."""
    if not value:
        return False
    text = _NEWLINES.sub("\n", value if isinstance(value, str) else str(value))
    return _CONTROL.search(text) is not None
