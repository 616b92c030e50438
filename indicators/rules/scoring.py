"""The quarterly bulletin's score and ranking of units (县市区, 园区, 牵头部门), and the
红黑榜 drawn from it. The formula is stated in the bulletin, so it lives here as text too."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from types import MappingProxyType

# Read-only, because FORMULA below is generated from it once at import.
WEIGHTS: Mapping[str, int] = MappingProxyType({"met": 60, "timeliness": 25, "improvement": 15})

_TERMS = {"met": "达标率", "timeliness": "按时报送率", "improvement": "改善率"}

FORMULA = (
    "综合得分 = "
    + " + ".join(f"{_TERMS[key]} × {weight}" for key, weight in WEIGHTS.items())
    + f"（满分{sum(WEIGHTS.values())}）"
)

FORMULA_TERMS = (
    "达标率 = 达标指标数 ÷ 参评指标数；"
    "按时报送率 = 按时报送次数 ÷ 应报送次数；"
    "改善率 = 较上月状态好转或保持达标的指标数 ÷ 可比指标数(两个月均有数据的指标)；"
    "某项分母为 0 时该项得 0 分。"
)

_TENTH = Decimal("0.1")


@dataclass(frozen=True)
class ScoreInput:
    unit: str
    name: str
    judged: int
    met: int
    on_time: int
    expected: int
    improved: int
    comparable: int


@dataclass(frozen=True)
class Ranked:
    unit: str
    name: str
    score: Decimal
    rank: int
    previous_rank: int | None
    movement: int | None  # positive: moved up (3rd → 1st is +2)


def _weighted_share(part: int, whole: int, weight: int) -> Decimal:
    # An empty denominator scores 0, not full marks: a unit with nothing judged or nothing
    # expected has shown nothing, and must not outrank units that did the work.
    if whole <= 0:
        return Decimal(0)
    # Multiply before dividing so exact scores stay exact (and round as printed).
    return Decimal(min(max(part, 0), whole)) * weight / whole


def score(inp: ScoreInput) -> Decimal:
    """The unit's score, 0–100, to one decimal (half up, as people round)."""
    total = (
        _weighted_share(inp.met, inp.judged, WEIGHTS["met"])
        + _weighted_share(inp.on_time, inp.expected, WEIGHTS["timeliness"])
        + _weighted_share(inp.improved, inp.comparable, WEIGHTS["improvement"])
    )
    return total.quantize(_TENTH, rounding=ROUND_HALF_UP)


def completeness(submitted: int, expected: int) -> Decimal:
    """报送率 in percent to one decimal: never above 100, and 0 when nothing is expected."""
    if expected <= 0:
        return Decimal(0)
    share = Decimal(min(max(submitted, 0), expected)) * 100 / expected
    return share.quantize(_TENTH, rounding=ROUND_HALF_UP)


def rank_units(inputs: Sequence[ScoreInput], previous: Mapping[str, int] | None = None) -> list[Ranked]:
    """Units by score, best first; equal scores share a rank and the next rank is skipped
    (1, 2, 2, 4). Within a tie the unit code orders the list, so it is stable."""
    scored = sorted(((score(inp), inp) for inp in inputs), key=lambda p: (-p[0], p[1].unit))
    previous = previous or {}
    ranked: list[Ranked] = []
    rank = 0
    for position, (value, inp) in enumerate(scored, start=1):
        if not ranked or value != ranked[-1].score:
            rank = position
        before = previous.get(inp.unit)
        movement = None if before is None else before - rank
        ranked.append(Ranked(inp.unit, inp.name, value, rank, before, movement))
    return ranked


def red_black_list(ranked: Sequence[Ranked], n: int = 3) -> tuple[list[Ranked], list[Ranked]]:
    """The 红榜 (top n) and 黑榜 (bottom n), both in rank order.

    A unit tied with the n-th is listed too: two units with the same score cannot be
    named differently in an official bulletin. A unit on the 红榜 is never also on the
    黑榜, so with fewer than 2n units the 黑榜 is shorter."""
    if n <= 0 or not ranked:
        return [], []
    ordered = sorted(ranked, key=lambda r: (r.rank, r.unit))
    cut = min(n, len(ordered))
    top_rank = ordered[cut - 1].rank
    bottom_rank = ordered[-cut].rank
    top = [r for r in ordered if r.rank <= top_rank]
    named = {r.unit for r in top}
    bottom = [r for r in ordered if r.rank >= bottom_rank and r.unit not in named]
    return top, bottom


_ORDER = {"red": 0, "yellow": 1, "green": 2}


def improved(previous, current) -> bool | None:
    """Whether a target's status got better since the previous month, or stayed green
    (a green target cannot get better, and must not count against its unit). None when
    either month has no figure: not comparable."""
    if str(previous) not in _ORDER or str(current) not in _ORDER:
        return None
    return _ORDER[str(current)] > _ORDER[str(previous)] or str(current) == "green"
