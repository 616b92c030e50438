"""The title of a 公文 set on its lines (GB/T 9704-2012 7.3.3): 回行时要做到词意完整,
排列对称, 长短适宜, 间距恰当, 标题排列应当使用梯形或菱形. Word boundaries come from
jieba's dictionary (shipped inside the package, nothing downloaded) with the terms of this
product added, a number kept with its 年/月, and a particle (的) kept with the word before.
The renderers set the lines this returns with explicit line breaks, so Word, LibreOffice
and the PDF break the title at the same places."""

from __future__ import annotations

import logging
import re
from functools import cache
from itertools import combinations, pairwise

from reports.builders.gbt9704 import char_width

TITLE_CHARS = 19.5  # 2号 (22 pt) characters on a 156 mm line (20.1), less a margin for rounding
# Terms a reader takes as one word: never split across lines.
TERMS = (
    "优化营商环境", "营商环境", "攻坚行动", "推进情况", "调度情况", "全市",
    "第一季度", "第二季度", "第三季度", "第四季度", "暨全年",
)  # fmt: skip
_ATTACH_BEFORE = ("年", "月", "日", "号", "季度")  # after a number: 2022年, 6月
_PARTICLES = ("的", "和", "及")  # never start a line: kept with the word before (情况的/通报)
_CLOSING = "）)〕”》，、。"
_OPENING = "（(〔“《"


_LATIN_BESIDE_HAN = re.compile(r"(?<=[\u3400-\u9fff])[0-9A-Za-z]|[0-9A-Za-z](?=[\u3400-\u9fff])")


def line_width(text: str) -> float:
    """Width in characters as set: a quarter em each side of a Latin run beside a Chinese
    character (the autospace every renderer of these files applies)."""
    return char_width(text) + 0.25 * len(_LATIN_BESIDE_HAN.findall(text))


@cache
def _tokenizer():
    import jieba  # ~1 s to load its dictionary: only where a title is set

    jieba.setLogLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    for term in TERMS:
        tk.add_word(term, freq=10**6)
    return tk


def title_words(title: str) -> list[str]:
    """The title cut where a line may break."""
    words: list[str] = []
    for w in _tokenizer().cut(title, HMM=False):
        if words and (
            (w in _ATTACH_BEFORE and words[-1][-1:].isdigit())
            or w in _PARTICLES
            or w[:1] in _CLOSING  # a closing mark stays with its word
            or words[-1][-1] in _OPENING  # an opening mark with the next word
        ):
            words[-1] += w
        else:
            words.append(w)
    return words


def _shape_ok(widths: list[float]) -> bool:
    """梯形: each line no longer than the one above (正梯形); 菱形: short, long, short."""
    if all(a >= b for a, b in pairwise(widths)):
        return True
    if len(widths) == 3:
        return widths[1] >= widths[0] and widths[1] >= widths[2]
    return False


def title_lines(title: str, *, max_chars: float = TITLE_CHARS) -> list[str]:
    """The title's lines: as few as fit, broken between words only, in a 梯形 or 菱形,
    the most even such shape (the longest line as short as possible)."""
    if line_width(title) <= max_chars:
        return [title]
    words = title_words(title)
    sizes = [line_width(w) for w in words]
    for n in range(2, len(words) + 1):
        best = None
        for cuts in combinations(range(1, len(words)), n - 1):
            bounds = (0, *cuts, len(words))
            widths = [sum(sizes[a:b]) for a, b in pairwise(bounds)]
            if max(widths) > max_chars or not _shape_ok(widths):
                continue
            score = (max(widths) - min(widths), -widths[0])
            if best is None or score < best[0]:
                best = (score, bounds)
        if best:
            bounds = best[1]
            return ["".join(words[a:b]) for a, b in pairwise(bounds)]
    return [title]  # a single word longer than a line: nothing to choose


def dispatch_title(year: int, month: int) -> str:
    """A title names its 文种 (GB/T 9704 7.3.3): the month's 调度 goes out as a 通报."""
    return f"关于{year}年{month}月全市优化营商环境攻坚行动调度情况的通报"


def bulletin_title(year: int, quarter: int) -> str:
    span = f"{year}年第{'一二三四'[quarter - 1]}季度" + ("暨全年" if quarter == 4 else "")
    return f"关于{span}全市优化营商环境攻坚行动推进情况的通报"
