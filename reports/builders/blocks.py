"""The plain shape every report is built into before rendering: a list of blocks (title,
headings of three levels, paragraphs, tables) and the sheets of the Excel annex. Stored
as JSON on the Report so that the web page shows exactly what was built."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from indicators.rules.types import format_number

_CN_DIGITS = "零一二三四五六七八九"


@dataclass
class Block:
    kind: str  # title, meta (under the title), to (addressee), h1, h2, h3, p, table, note, sign
    text: str = ""
    header: list[str] | None = None
    rows: list[list[str]] | None = None
    widths: list[int] | None = None  # relative column widths of a table


@dataclass
class Sheet:
    name: str
    header: list[str]
    rows: list[list] = field(default_factory=list)


@dataclass
class Document:
    kind: str
    key: str
    title: str
    blocks: list[Block] = field(default_factory=list)
    sheets: list[Sheet] = field(default_factory=list)

    def add(self, kind: str, text: str = "", **extra) -> None:
        self.blocks.append(Block(kind, text, **extra))

    def content(self) -> list[dict]:
        return [asdict(b) for b in self.blocks]

    def text(self) -> str:
        """Everything a reader sees, as one string (tests and searches)."""
        parts = []
        for b in self.blocks:
            parts.append(b.text)
            for row in [b.header or [], *(b.rows or [])]:
                parts.append(" ".join(row))
        return "\n".join(parts)


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十 (headings 一、 and (一) of official documents)."""
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")


def cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def num(value, places: int = 2) -> str:
    """A number for print: at most `places` decimals, no trailing zeros."""
    if value is None:
        return "—"
    q = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return format_number(q)


def names(items: list[str]) -> str:
    return "、".join(items) if items else "无"
