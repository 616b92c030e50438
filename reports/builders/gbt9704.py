"""Placement rules of GB/T 9704-2012 shared by the Word and PDF renderers, as plain
functions of text lengths (in characters of the 3号 body font)."""

from __future__ import annotations

import unicodedata


def char_width(text: str) -> float:
    """Width of a line in body characters: Chinese characters and full-width signs count
    1, Arabic digits and Latin letters (set half-width) count ½."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in ("W", "F") else 0.5 for ch in text)


def signature_indents(signer: str, date_text: str, *, sealed: bool) -> tuple[float, float]:
    """Right indents, in characters, of the 署名 line and of the 成文日期 line.

    Sealed (7.3.5.1): the date is set 右空四字 and the signer centred on the date.
    Unsealed (7.3.5.2): the signer is set 右空二字 and the date starts two characters to
    the right of the signer's first character; when the date is the longer, the date is
    set 右空二字 and the signer moves left to keep that offset."""
    s, d = char_width(signer), char_width(date_text)
    if sealed:
        date_right = 4.0
        return max(0.0, date_right + (d - s) / 2), date_right
    signer_right = 2.0
    date_right = signer_right + s - 2 - d
    if date_right < 2:
        date_right = 2.0
        signer_right = date_right + d + 2 - s
    return signer_right, date_right


def issuer_mark_size(issuer: str, *, max_pt: float = 36, block_pt: float = 425) -> float:
    """Font size (pt) of the red 发文机关标志: as large as fits the 156 mm text block
    (442 pt, less a margin for the renderers' rounding) on one line, at most `max_pt`, in whole points."""
    width = max(char_width(issuer), 1)
    return float(min(max_pt, int(block_pt / width)))
