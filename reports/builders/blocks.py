"""The plain shape every report is built into before rendering: a list of blocks (title,
headings of three levels, paragraphs, tables) and the sheets of the Excel annex. Stored
as JSON on the Report so that the web page shows exactly what was built."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from indicators.rules.types import format_number
from reports.builders.typography import clean, find_illegal, prose

_CN_DIGITS = "零一二三四五六七八九"


@dataclass
class Block:
    kind: str  # title, meta (under the title), to (addressee), h1, h2, h3, p, table, note, annex
    text: str = ""
    header: list[str] | None = None
    rows: list[list[str]] | None = None
    widths: list[int] | None = None  # relative column widths of a table
    # A run-in heading: the first characters of a paragraph's text set in the heading's
    # face ("（一）县市区。第1名……"), so that a short section costs no line of its own.
    # The text holds it too: a page that knows nothing of it still reads right.
    lead: str = ""
    # An annex's first block (kind "annex": text its title, lead its label 附件1): the
    # period it covers and whether its pages are landscape (reports.builders.annexes).
    period: str = ""
    landscape: bool = False


@dataclass
class Sheet:
    name: str
    header: list[str]
    rows: list[list] = field(default_factory=list)
    # Excel number format per column ("0.00", "0.0%"…) or None for text; numbers stay numbers.
    formats: list[str | None] | None = None
    notes: list[str] = field(default_factory=list)  # 注 under the table (reports.builders.footnotes)
    # The rows the annex page prints (indexes into rows), when it prints fewer than the
    # Excel file holds; None prints them all. The 注 then says what was left out.
    printed: list[int] | None = None
    printed_note: str = ""  # the annex page's 注 on what it leaves to the Excel file


@dataclass
class Head:
    """The elements of a 公文 around its body (GB/T 9704-2012): 版头 (发文机关标志, 发文字号),
    主送机关, 附件说明, 署名 and 成文日期, 版记 (抄送, 印发机关和印发日期). Dates are ISO text
    so that the head is stored as JSON with the version and rendered again at 印发."""

    issuer: str = ""
    number: str = ""  # 发文字号; empty on a draft (numbered at 印发)
    number_prefix: str = ""  # 衡优化办通 (a draft shows 衡优化办通〔2022〕　号)
    year: int = 0
    to: str = ""
    annexes: list[str] = field(default_factory=list)
    signer: str = ""
    date: str = ""  # 成文日期
    sealed: bool = False
    cc: str = ""
    printer: str = ""  # 印发机关
    remark: str = ""  # 附注: 公开属性 and 联系人, printed in （） under the date
    print_date: str = ""  # 印发日期

    @property
    def draft(self) -> bool:
        """Not yet numbered: the office's 送审稿, marked so on its first page."""
        return not self.number

    @property
    def number_text(self) -> str:
        return self.number or f"{self.number_prefix}〔{self.year}〕　号"


@dataclass
class Document:
    kind: str
    key: str
    title: str
    blocks: list[Block] = field(default_factory=list)
    sheets: list[Sheet] = field(default_factory=list)
    head: Head = field(default_factory=Head)

    @classmethod
    def from_stored(cls, *, kind: str, key: str, title: str, content: list[dict], head: dict) -> Document:
        """A version's stored blocks and head, to render its files again (at 印发)."""
        blocks = [Block(**b) for b in content]
        return cls(kind, key, title, blocks, [], Head(**head) if head else Head())

    def add(self, kind: str, text: str = "", **extra) -> None:
        """Every generated text passes the one typography helper: full-width punctuation,
        “” quotes, control characters dropped."""
        if extra.get("header"):
            extra["header"] = [prose(str(h)) for h in extra["header"]]
        if extra.get("rows"):
            extra["rows"] = [[prose(str(c)) for c in row] for row in extra["rows"]]
        if extra.get("lead"):
            extra["lead"] = prose(extra["lead"])
        self.blocks.append(Block(kind, prose(text), **extra))

    def content(self) -> list[dict]:
        return [asdict(b) for b in self.blocks]

    def text_problem(self) -> str | None:
        """Where the first character that no file may hold sits, in the office's words
        (the table, the row's first cells, the column), or None. Renderers drop such
        characters; this names the source when a renderer fails on text all the same."""
        for b in self.blocks:
            bad = find_illegal(b.text)
            if bad:
                return f"段落“{clean(b.text)[:20]}”含无法打印的字符 {bad}"
            for row in b.rows or []:
                for i, cell in enumerate(row):
                    bad = find_illegal(str(cell))
                    if bad:
                        column = (b.header or [])[i] if i < len(b.header or []) else f"第{i + 1}列"
                        who = "、".join(clean(c) for c in row[:2])
                        return f"表格中“{who}”一行的“{column}”含无法打印的字符 {bad}"
        return None

    def text(self, *, annexes: bool = True) -> str:
        """Everything a reader sees, as one string (tests and searches); the body's only
        without `annexes` (the annex pages start at the first "annex" block)."""
        parts = []
        for b in self.blocks:
            if b.kind == "annex" and not annexes:
                break
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


def cn_date(d: date | str) -> str:
    if isinstance(d, str):
        d = date.fromisoformat(d)
    return f"{d.year}年{d.month}月{d.day}日"


def num(value, places: int = 2) -> str:
    """A number for print: at most `places` decimals, no trailing zeros."""
    if value is None:
        return "—"
    q = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return format_number(q)


def names(items: list[str]) -> str:
    return "、".join(items) if items else "无"


def annex_title(sheet_name: str) -> str:
    """排名-县市区 → 排名（县市区）: an annex sheet as 附件说明 names it."""
    name, _, group = sheet_name.partition("-")
    title = f"{name}（{group}）" if group else name
    return title if title.endswith(("表", "清单", "说明")) else f"{title}表"


def annex_titles(sheets) -> list[str]:
    """One annex per table of the Excel file; the sheets of one table by group (排名-县市区,
    排名-园区 …) are one annex: 排名表（县市区、园区、市直部门）."""
    out: list[str] = []
    groups: dict[str, list[str]] = {}
    for sheet in sheets:
        name, _, group = sheet.name.partition("-")
        if group:
            if name not in groups:
                groups[name] = []
                out.append(name)
            groups[name].append(group)
        else:
            out.append(annex_title(sheet.name))
    return [f"{annex_title(t)}（{'、'.join(groups[t])}）" if t in groups else t for t in out]


_CITE = re.compile(r"附件《([^》]+)》")


def cite_annexes(doc: Document) -> None:
    """The body cites each annex by its number (附件1), as the 附件说明 lists them: a
    builder writes 附件《状态汇总表》 and this turns it into 附件1 once the sheets are known."""
    titles = annex_titles(doc.sheets)

    def number(m: re.Match) -> str:
        name = m.group(1)
        for i, title in enumerate(titles, start=1):
            if title == name or title.startswith(name.removesuffix("表")):
                return f"附件{i}"
        return m.group(0)

    for b in doc.blocks:
        b.text = _CITE.sub(number, b.text)


def annex_numbers(sheets) -> dict[str, tuple[int, str]]:
    """Each sheet's annex number and title as the 附件说明 lists them (annex_titles: the
    sheets of one table by group share one number and title, 排名-县市区 and 排名-园区
    both 附件1 排名表（县市区、园区）)."""
    numbers: dict[str, int] = {}
    out: dict[str, tuple[int, str]] = {}
    titles = annex_titles(sheets)
    for sheet in sheets:
        name, _, group = sheet.name.partition("-")
        key = name if group else sheet.name
        numbers.setdefault(key, len(numbers) + 1)
        out[sheet.name] = (numbers[key], titles[numbers[key] - 1])
    return out


def period_text(kind: str, key: str) -> str:
    """The period a report covers, in words: 2022年6月, 2022年第二季度."""
    year, _, rest = key.partition("-" if kind == "dispatch" else "Q")
    if kind == "dispatch":
        return f"{int(year)}年{int(rest)}月"
    return f"{int(year)}年第{cn_number(int(rest))}季度" + ("暨全年" if rest == "4" else "")
