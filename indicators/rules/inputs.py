"""Checks one figure as a user typed it (web form, Excel cell, CSV field) against how
its metric is measured. Pure: strings in, Decimals or Chinese messages out."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from indicators.rules.milestones import reached_text
from indicators.rules.types import MilestoneState, format_number

MAX_ABS = Decimal(10) ** 14  # fits the database's NUMERIC(20, 6)
STATE_WORDS = {
    "not_started": "not_started",
    "未启动": "not_started",
    "in_progress": "in_progress",
    "推进中": "in_progress",
    "进行中": "in_progress",
    "done": "done",
    "已完成": "done",
    "完成": "done",
}
# Units of measure that count whole things: a count metric in one of these takes whole
# numbers only (an index in 分 or an amount in 万元 may have decimals).
WHOLE_UNITS = frozenset({"家", "次", "个", "件", "名", "项", "户", "人", "笔", "宗", "台", "座", "条"})
# A comma is a thousands separator only with one to three digits before the first comma
# and exactly three after each: "1,234" and "12,345.6" are clear, "3,2" and "12,5" are not.
THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?")
FIELD_LABELS = {"value": "数值", "numerator": "分子", "denominator": "分母", "cases": "件数", "state": "完成状态"}


@dataclass
class CleanFigure:
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    cases: int | None = None
    state: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return all(v in (None, "") for v in (self.value, self.numerator, self.denominator, self.cases, self.state))


def counts_whole(measure: str, unit_of_measure: str) -> bool:
    """Whether a metric's value counts whole things (家, 次, 个 …)."""
    return measure == "count" and (unit_of_measure or "").strip() in WHOLE_UNITS


def parse_number(raw) -> Decimal | None:
    """A number as users write it: '1,234.5', ' 90% ', '０.５'; None when blank.
    Raises ValueError with a message for anything else (text, NaN, infinity, huge, a
    comma that may be a decimal comma)."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise ValueError("应为数字")
    if isinstance(raw, (int, Decimal)):
        text = str(raw)
    elif isinstance(raw, float):
        text = repr(raw)
    else:
        text = str(raw).strip()
        # Full-width digits and punctuation come from Chinese input methods.
        text = text.translate(str.maketrans("０１２３４５６７８９．，－％", "0123456789.,-%")).rstrip("%").strip()
        if "," in text:
            if not THOUSANDS.fullmatch(text):
                raise ValueError(
                    f"“{raw}”中的逗号含义不明确:小数请用小数点(如 3.2);逗号只能作千位分隔符,且每个逗号后须恰好 3 位数字(如 1,234)"
                )
            text = text.replace(",", "")
    if text == "":
        return None
    # Decimal() also takes "1_000" and other scripts' digits ("١٢٣"): no input path does.
    if not text.isascii() or "_" in text:
        raise ValueError(f"“{raw}”不是数字")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"“{raw}”不是数字") from None
    if not number.is_finite():
        raise ValueError(f"“{raw}”不是有效数字")
    if abs(number) >= MAX_ABS:
        raise ValueError("数值过大")
    if number.as_tuple().exponent < -6:
        number = number.quantize(Decimal("0.000001"))
        if abs(number) >= MAX_ABS:  # 99999999999999.9999999 rounds up to 15 whole digits
            raise ValueError("数值过大")
    return number


def plausible_value(
    measure: str, number: Decimal | None, *, unit_of_measure: str = "", allow_negative: bool = False, percent: bool = False
) -> str | None:
    """Why one value (a figure's value, or a baseline: last year's value of a metric)
    cannot be what `measure` measures, or None. `percent`: the value is a percentage
    (a ratio metric's value as a number of per cent, e.g. a baseline of 52.72)."""
    if number is None:
        return None
    if percent:
        if allow_negative:
            return None  # a growth rate may be below 0 or above 100
        if not 0 <= number <= 100:
            return f"百分比应在 0 到 100 之间(填写的是 {format_number(number)})"
        if 0 < number < 1 and number.as_tuple().exponent < -2:
            suggestion = format_number(number * 100)
            return f"“{format_number(number)}”像是小数形式的比率;请按百分数填写,如 {suggestion}(即 {suggestion}%)"
        return None
    if number < 0 and not allow_negative:
        return "数值不能为负数"
    if counts_whole(measure, unit_of_measure) and number != number.to_integral_value():
        return f"应填写整数(计量单位“{unit_of_measure}”不可有小数)"
    if measure == "rank" and (number < 1 or number != number.to_integral_value()):
        return "排名应为不小于 1 的整数"
    return None


def clean_figure(
    measure: str,
    *,
    value=None,
    numerator=None,
    denominator=None,
    cases=None,
    state=None,
    allow_negative: bool = False,
    unit_of_measure: str = "",
    share: bool | None = None,
    require_complete: bool = True,
) -> CleanFigure:
    """Validate one figure for a metric measured as `measure`.

    A count of whole things (`counts_whole`) takes whole numbers. A ratio is a share
    (numerator ≤ denominator) unless `share` is False; by default every ratio that
    cannot be negative is a share (a growth rate since 1 January can be either).

    `require_complete` False accepts a partly filled figure (a draft) but still rejects
    malformed input; a wholly blank figure is always accepted (nothing reported)."""
    out = CleanFigure()

    def number(name, raw):
        try:
            return parse_number(raw)
        except ValueError as exc:
            out.errors[name] = str(exc)
            return None

    if measure == "milestone":
        text = "" if state in (None, "") else str(state).strip()
        if text == "" and value not in (None, ""):
            text = str(value).strip()
        if text:
            if text not in STATE_WORDS:
                out.errors["state"] = f"“{text}”不是有效的完成状态(未启动 / 推进中 / 已完成)"
            else:
                out.state = STATE_WORDS[text]
        return out

    if measure == "ratio":
        out.numerator = number("numerator", numerator)
        out.denominator = number("denominator", denominator)
        if out.denominator is not None and out.denominator <= 0:
            out.errors["denominator"] = "分母必须大于 0"
        if out.numerator is not None and out.numerator < 0 and not allow_negative:
            out.errors["numerator"] = "分子不能为负数"
        if share is None:
            share = not allow_negative
        if share and not out.errors and None not in (out.numerator, out.denominator) and out.numerator > out.denominator:
            out.errors["numerator"] = "分子不能大于分母(比率不能超过 100%)"
        if out.errors or out.is_empty:
            return out
        if require_complete or (out.numerator is None) != (out.denominator is None):
            for name in ("numerator", "denominator"):
                if getattr(out, name) is None:
                    out.errors[name] = f"请填写{FIELD_LABELS[name]}"
        return out

    out.value = number("value", value)
    problem = plausible_value(measure, out.value, unit_of_measure=unit_of_measure, allow_negative=allow_negative)
    if problem:
        out.errors["value"] = problem
    if measure == "average":
        c = number("cases", cases)
        if c is not None:
            if c < 0 or c != c.to_integral_value():
                out.errors["cases"] = "件数应为不小于 0 的整数"
            else:
                out.cases = int(c)
        if not out.errors and not out.is_empty and require_complete:
            if out.value is None:
                out.errors["value"] = "请填写数值"
            if out.cases is None:
                out.errors["cases"] = "请填写件数(用于全市加权平均)"
            elif out.cases == 0 and out.value not in (None, Decimal(0)):
                out.errors["cases"] = "件数为 0 时没有平均值,请核对"
    return out


def entry_text(entry) -> str:
    """What was entered for one figure, as its history, the stale-save notice and the
    Excel sheet show it: 已完成, 45/50, 1.5(12 件), 本月无此项业务; "" when nothing was.
    `entry` is anything with a figure's fields (a Figure, one of its history records, a
    form's values in a namespace); the metric's unit of measure is not added."""
    if entry is None:
        return ""
    if getattr(entry, "no_business", False):
        return "本月无此项业务"
    if entry.state or getattr(entry, "checkpoints_reached", None):
        state = MilestoneState(entry.state).label if entry.state else ""
        reached = reached_text(getattr(entry, "checkpoints_reached", None))
        return ";节点:".join(t for t in (state, reached) if t) if state else (f"节点:{reached}" if reached else "")
    if entry.numerator is not None or entry.denominator is not None:
        n = "—" if entry.numerator is None else format_number(entry.numerator)
        d = "—" if entry.denominator is None else format_number(entry.denominator)
        return f"{n}/{d}"
    if entry.value is None:
        return ""
    return format_number(entry.value) + (f"({entry.cases} 件)" if entry.cases is not None else "")
