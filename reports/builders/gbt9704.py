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

    Sealed (7.3.5.1): the date is set 右空四字 and the signer centred on the date; a
    signer longer than the date is set 右空二字 and the date moves left to stay centred
    under it (centring on a date 右空四字 would push a long signer past the margin).
    Unsealed (7.3.5.2): the signer is set 右空二字 and the date starts two characters to
    the right of the signer's first character; when the date is the longer, the date is
    set 右空二字 and the signer moves left to keep that offset."""
    s, d = char_width(signer), char_width(date_text)
    if sealed:
        date_right = max(4.0, 2.0 + (s - d) / 2)
        return date_right + (d - s) / 2, date_right
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


ISSUER_LEADING = 1.3  # the 发文机关标志's line, in its size: the Word file's exact line height
LINE_PT = 28.95  # 225 mm / 22 lines


def issuer_top_pt(head) -> float:
    """Space (pt) above the 发文机关标志's line so that the mark's top edge is 35 mm under
    the top of the text block (GB/T 9704 7.2.4): less the half leading over the glyphs,
    less the 送审稿 line a draft carries above it."""
    size = issuer_mark_size(head.issuer)
    top = 35 * 72 / 25.4 - size * (ISSUER_LEADING - 1) / 2
    return top - (LINE_PT if head.draft else 0)
