"""Chinese typography of every generated text, in one place: text made safe for Word,
PDF and Excel (control characters a unit typed or pasted are dropped), numbers with
their units as GB/T 15835 writes them, targets in words (不超过0.5个工作日, not ≤ 0.5),
full-width punctuation and “” quotes in Chinese prose. Plain functions, no Django."""

from __future__ import annotations

import re

# XML 1.0 forbids these (Word and Excel files are XML; WeasyPrint drops or chokes on
# them): C0 controls other than tab/newline/CR, lone surrogates, U+FFFE/U+FFFF.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
# A vertical tab or form feed is a line break in the program it was pasted from.
_BREAKS = str.maketrans({"\x0b": " ", "\x0c": " "})

_CJK = r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”‘’]"
_PUNCT = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？"}


def clean(value) -> str:
    """Text safe for every renderer: control characters removed (a vertical tab becomes a
    space), never an exception. Non-text values become their str()."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    return _ILLEGAL.sub("", text.translate(_BREAKS))


def find_illegal(text: str) -> str | None:
    """The first character clean() would drop, as U+XXXX (for an error message), or None."""
    m = _ILLEGAL.search(text or "")
    return f"U+{ord(m.group()):04X}" if m else None


def quantity(number: str, unit: str) -> str:
    """A number with its unit of measure, GB/T 15835 style: "0.5个工作日", "90%", "1000家",
    "8.38个月", "250美元". A time in months is written 个月 after a number."""
    unit = (unit or "").strip()
    if unit == "月":
        unit = "个月"
    return f"{number}{unit}"


_TARGET_RULES = [
    (re.compile(r"^≤\s*"), "不超过"),
    (re.compile(r"^≥\s*"), "不低于"),
    (re.compile(r"^>\s*"), "超过"),
    (re.compile(r"^=\s*"), "达到"),
    (re.compile(r"\s*≥\s*"), "不低于"),
    (re.compile(r"\s*≤\s*"), "不超过"),
]
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_NUM_UNIT = re.compile(r"(\d)\s+(?=[\u3400-\u9fff%‰])")  # "0.5 个工作日" → "0.5个工作日"
_MONTHS = re.compile(r"(\d)\s+月")  # "8.38 月" (number, space, unit) → "8.38个月"; "6月" stays


def words(text: str) -> str:
    """A target or a figure in the words of a report: symbols to words, numbers hugging
    their units, ISO dates as Chinese dates, 「」 as “”."""
    text = clean(text).strip()
    for pattern, repl in _TARGET_RULES:
        text = pattern.sub(repl, text)
    text = _DATE.sub(lambda m: f"{int(m[1])}年{int(m[2])}月{int(m[3])}日", text)
    text = _MONTHS.sub(r"\1个月", text)
    text = _NUM_UNIT.sub(r"\1", text)
    # No space between Chinese and a number or a number and Chinese in prose.
    text = re.sub(r"(?<=[\u3400-\u9fff])\s+(?=[\d\u3400-\u9fff])", "", text)
    text = re.sub(r"(?<=\d)\s+(?=[\u3400-\u9fff])", "", text)
    return prose(text)


def prose(text: str) -> str:
    """Chinese prose: half-width , ; : ! ? beside Chinese become full-width, () around
    Chinese become （）, quotes 「」 and "…" become “”. Decimals, times and codes stay."""
    text = clean(text)
    text = text.replace("「", "“").replace("」", "”").replace("『", "‘").replace("』", "’")
    text = re.sub(r'"([^"\n]*)"', r"“\1”", text)
    for half, full in _PUNCT.items():
        h = re.escape(half)
        text = re.sub(rf"(?<={_CJK}){h}|{h}(?={_CJK})", full, text)
    text = re.sub(rf"\(([^()]*{_CJK}[^()]*)\)", r"（\1）", text)
    # "8.38 月" in running text (a unit of measure put after a number by code)
    text = _MONTHS.sub(r"\1个月", text)
    return text


def quoted(name: str) -> str:
    """A name in quotes; quotes inside it become the inner ‘’ (“‘双随机、一公开’监管覆盖率”)."""
    return "“" + clean(name).replace("“", "‘").replace("”", "’") + "”"
