"""Assumptions (待核定): values of the plan file that are the office's reading, not the
plan's word (the metric's `pending:`), until the office confirms them. A judgement that
rests on an unconfirmed one is grey 待核定: shown with its figure, never red or green,
counted in no rate or score. Plain values only; the confirmations themselves are
indicators.assumptions."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal

from .pace import PACEABLE_KINDS
from .types import Kind, PaceProfile, Target, format_number

# The `pending:` fields a judgement can rest on. The others (lead_unit, reporters,
# benchmarks) say who reports or what is shown beside the target, not how it is judged.
JUDGED_FIELDS = frozenset({"value", "range", "due", "tolerance", "baseline", "checkpoints", "batch_months", "pace", "reading"})

_VALUE_KINDS = {Kind.AT_MOST, Kind.AT_LEAST, Kind.EXCEED, Kind.EXACTLY, Kind.RANK, Kind.CHANGE_VS_LAST_YEAR}
_LAST_YEAR_KINDS = {Kind.IMPROVE, Kind.KEEP, Kind.CHANGE_VS_LAST_YEAR}


def _n(value: Decimal | None) -> str:
    return "—" if value is None else format_number(value)


def assumption_value(field: str, target: Target, reading: str = "") -> str:
    """The assumed value of a judged field as text: what the office confirms, and what a
    confirmation is compared with later (a changed value is a new assumption)."""
    match field:
        case "value":
            return _n(target.value)
        case "range":
            return f"{_n(target.low)}–{_n(target.high)}"
        case "due":
            return target.due.isoformat() if target.due else "—"
        case "tolerance":
            return _n(target.tolerance)
        case "baseline":
            return _n(target.baseline)
        case "checkpoints":
            return ";".join(f"{c.name} {c.due.isoformat()}" for c in target.checkpoints) or "—"
        case "batch_months":
            return "、".join(f"{m}月" for m in target.batch_months) or "—"
        case "pace":
            start = "上年基数" if target.pace_from is None else _n(target.pace_from)
            return f"{PaceProfile(target.pace_profile).value},起点 {start}" if target.pace else "不按时序进度"
        case "reading":
            return reading
    raise ValueError(f"{field!r} is not a judged field")


def unconfirmed(pending: Iterable[str], confirmed: Mapping[str, str], value_of: Callable[[str], str]) -> frozenset[str]:
    """The judged fields of `pending` the office has not confirmed: a field is confirmed
    when the value it confirmed (`confirmed[field]`) is still the value in force."""
    return frozenset(f for f in pending or () if f in JUDGED_FIELDS and confirmed.get(f) != value_of(f))


def rests_on_assumption(target: Target, *, last_year: Decimal | None = None) -> bool:
    """Whether judging a figure against `target` needs one of its unconfirmed
    assumptions (`target.assumed`). `last_year` is the value an improve / keep / change
    target compares with: the plan's assumed baseline counts only when it is the value in
    use (a unit's own last-year figure is the office's data, not an assumption).
    The tolerance is left to the judgement: it only decides 预警 against 未达标."""
    a = target.assumed
    if not a:
        return False
    if "reading" in a:
        return True  # the whole reading of the plan's words is still an assumption
    if target.kind == Kind.MILESTONE:
        return bool(a & {"due", "checkpoints"})
    if target.kind in _VALUE_KINDS and "value" in a:
        return True
    if target.kind == Kind.RANGE and a & {"range", "value"}:
        return True
    if target.pace and target.kind in PACEABLE_KINDS:
        if "pace" in a or ("batch_months" in a and target.pace_profile == PaceProfile.BATCH):
            return True
        if "baseline" in a and target.pace_from is None:
            return True  # the pace starts from the assumed baseline
    if target.kind in _LAST_YEAR_KINDS and "baseline" in a:
        return last_year is not None and target.baseline is not None and last_year == target.baseline
    return False
