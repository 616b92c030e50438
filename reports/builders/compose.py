"""Line breaking of every paragraph and table cell, done once here for the Word file
and the PDF alike: each renderer gets the lines with explicit breaks, so that Word,
LibreOffice and WeasyPrint set the same text on each line and break pages at the same
places (their own line breakers differ by a character here and there, and a character
moves a page). Plain functions of text and measures, no Django.

The rules: 28 characters of 3号 a line (GB/T 9704 5.2.2); a number stays whole and with
its unit ("743.12万元", "(72.1分)"); a closing mark never starts a line and an opening
mark never ends one (标点禁则); a quarter em, as Word, WPS and LibreOffice set it, between
a Chinese character and a Latin run."""

from __future__ import annotations

import re
import unicodedata

BODY_PT = 16.0  # 3号
TABLE_PT = 10.5  # 5号
TEXT_WIDTH_PT = 156 * 72 / 25.4  # 442.2
# Each character of the body is set this much closer (Word w:spacing, CSS letter-spacing):
# 156 mm then holds 28 characters of 16 pt with room for each program's rounding.
BODY_SPACING_PT = -0.3
SLACK_PT = 1.5  # a line is filled to this much short of the measure
EPS = 1e-6
AUTOSPACE_EM = 0.23  # LibreOffice sets about 0.22 em, the PDF 0.21 em: the larger, rounded up

# Advance widths (em) of half-width characters, the largest of the Fandol faces' (the
# PDF's 仿宋, 楷体, 黑体) and Times New Roman's (the Word file's Latin face); others 0.6.
_LATIN_EM = {c: 0.555 for c in "0123456789"} | {
    ".": 0.333, ",": 0.333, ":": 0.333, ";": 0.333, "%": 0.889, "‰": 1.0, "-": 0.333, "+": 0.833, "=": 0.833,
    " ": 0.39, "/": 0.5, "(": 0.333, ")": 0.333, "I": 0.333, "i": 0.278, "l": 0.278, "j": 0.278, "t": 0.278,
    "f": 0.333, "r": 0.333,
}  # fmt: skip
UNITS = ("个工作日", "个百分点", "工作日", "百分点", "万元", "亿元", "个月", "小时", "美元", "个位次")
_CLOSING = set("，。、；：！？）》〉」』”’〕】…%‰·,.;:!?)]")
_OPENING = set("（《〈「『“‘〔【([")
_HAN = re.compile(r"[\u3400-\u9fff]")
_LATIN_RUN = re.compile(r"[0-9A-Za-z][0-9A-Za-z.%‰:/+\-]*")


def _wide(ch: str) -> bool:
    """Set a full em: Chinese characters and full-width signs, and the ambiguous ones
    (“ ” ‘ ’ — … ·), which the Chinese faces of these files draw full width."""
    return unicodedata.east_asian_width(ch) in ("W", "F", "A")


def text_width(text: str, *, size: float, spacing: float = 0.0) -> float:
    """Width in points as set: each character's advance plus the letter spacing, and a
    quarter em between a Chinese character and a Latin run."""
    w = 0.0
    for ch in text:
        w += (size if _wide(ch) else _LATIN_EM.get(ch, 0.6) * size) + spacing
    for m in _LATIN_RUN.finditer(text):
        if m.start() > 0 and _HAN.match(text[m.start() - 1]):
            w += AUTOSPACE_EM * size
        if m.end() < len(text) and _HAN.match(text[m.end()]):
            w += AUTOSPACE_EM * size
    return w


def atoms(text: str) -> list[str]:
    """The text cut where a line may break: a Chinese character, or a number with its
    unit, with closing marks kept with what they close and opening marks with what they open."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        m = _LATIN_RUN.match(text, i)
        if m:
            j = m.end()
            unit = next((u for u in UNITS if text.startswith(u, j)), "")
            if unit:
                j += len(unit)
            elif j < n and _HAN.match(text[j]):
                j += 1  # 2022年, 30项, 72.1分
            piece = text[i:j]
        else:
            piece = text[i]
            j = i + 1
        if out and (piece[0] in _CLOSING or out[-1][-1] in _OPENING):
            out[-1] += piece
        else:
            out.append(piece)
        i = j
    return out


def lines(text: str, *, width: float, size: float = BODY_PT, spacing: float = BODY_SPACING_PT, indent: float = 0.0) -> list[str]:
    """`text` broken into lines of at most `width` points (the first `indent` shorter)."""
    if not text:
        return [""]
    out: list[str] = []
    line = ""
    room = width - indent - SLACK_PT
    for piece in atoms(text):
        if not line or text_width(line + piece, size=size, spacing=spacing) <= room + EPS:
            if line or text_width(piece, size=size, spacing=spacing) <= room + EPS:
                line += piece
                continue
        if line:
            out.append(line)
            room = width - SLACK_PT
        line = ""
        while text_width(piece, size=size, spacing=spacing) > room + EPS:  # longer than a line: by character
            k = len(piece)
            while k > 1 and text_width(piece[:k], size=size, spacing=spacing) > room + EPS:
                k -= 1
            out.append(piece[:k])
            piece = piece[k:]
        line = piece
    out.append(line)
    return out


def body_lines(text: str, *, indent_chars: float = 2) -> list[str]:
    """A 3号 paragraph of the text block, its first line indented `indent_chars`."""
    return lines(text, width=TEXT_WIDTH_PT, indent=indent_chars * BODY_PT)


def min_width(text: str, *, size: float = TABLE_PT) -> float:
    """The widest piece of `text` that may not break (a number with its unit), in points."""
    return max((text_width(a, size=size) for a in atoms(text)), default=0.0)


CELL_PAD_PT = 3.0  # left and right padding of a table cell, in Word (tblCellMar) and the PDF
CELL_ROOM_PT = 2 * CELL_PAD_PT + 1.0  # padding and the rules


def table_widths(
    header: list[str], rows: list[list[str]], widths: list[int] | None = None, *, total: float = TEXT_WIDTH_PT
) -> list[float]:
    """Column widths in points that fill `total`: each column at least as wide as its
    widest number-with-unit (and its header's widest word), the rest shared by the
    builder's relative widths, or else by the length of the column's text."""
    n = len(header)
    sample = rows[:300]
    floor = []
    for i in range(n):
        cells = [str(r[i]) for r in sample if i < len(r)] + [str(header[i])]
        floor.append(max(min_width(c) for c in cells) + CELL_ROOM_PT)
    if not widths:
        widths = []
        for i in range(n):
            longest = max([text_width(str(r[i]), size=TABLE_PT) for r in sample if i < len(r)] or [0])
            widths.append(max(min(longest, 14 * TABLE_PT), 2 * TABLE_PT))
    if sum(floor) >= total:  # too many columns for the page: scale the floors
        return [total * f / sum(floor) for f in floor]
    # Water-filling: a column whose share falls below its floor keeps its floor, the
    # others share what is left by weight.
    fixed: set[int] = set()
    while True:
        free = [i for i in range(n) if i not in fixed]
        left = total - sum(floor[i] for i in fixed)
        weight = sum(widths[i] for i in free) or 1
        share = {i: left * widths[i] / weight for i in free}
        short = {i for i in free if share[i] < floor[i]}
        if not short:
            return [floor[i] if i in fixed else share[i] for i in range(n)]
        fixed |= short


def cell_lines(text: str, width: float) -> list[str]:
    """A table cell's text (5号, no letter spacing) broken to its column."""
    return lines(text, width=width - CELL_ROOM_PT + SLACK_PT, size=TABLE_PT, spacing=0.0)


CC_PT = 14.0  # 4号, the 版记
CC_LABEL = "抄送："


def cc_lines(names: str) -> list[str]:
    """The 抄送 line of the 版记: "抄送：" then the names, a second line starting under the
    first name (both renderers indent it by the label's width)."""
    width = TEXT_WIDTH_PT - 2 * CC_PT - 2 * 5.4  # one character in from each side; Word's cell margins
    hang = text_width(CC_LABEL, size=CC_PT, spacing=BODY_SPACING_PT)
    out = lines(names, width=width - hang, size=CC_PT)
    out[0] = CC_LABEL + out[0]
    return out
