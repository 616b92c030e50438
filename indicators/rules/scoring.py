"""The quarterly bulletin's score and ranking of units in the groups the office sets
(县市区, 园区, 市直部门), and the 红黑榜 drawn from it. The formula (parts, weights, groups)
is data of the plan file; it is stated in the bulletin, so it renders itself as text."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from types import MappingProxyType

# The parts a formula may use: code → (name, how it is counted). A part whose
# denominator is 0 for a unit is a duty the unit does not have (a lead department that
# reports no figures has no 按时报送率): it is left out of that unit's score, and the
# unit's other parts are scaled up to full marks. A unit with no part at all is not ranked.
PARTS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "met": ("达标率", "达标指标数 ÷ 参评指标数"),
        "timeliness": ("按时报送率", "按时报送次数 ÷ 应报送次数"),
        "improvement": ("改善率", "较上月状态好转或保持达标的指标数 ÷ 可比指标数(两个月均有数据的指标)"),
    }
)


@dataclass(frozen=True)
class Part:
    code: str
    weight: int

    @property
    def name(self) -> str:
        return PARTS[self.code][0]


@dataclass(frozen=True)
class Group:
    """Units ranked together: by kind (county / park / department) and/or listed codes."""

    code: str
    name: str
    kinds: tuple[str, ...] = ()
    units: tuple[str, ...] = ()


@dataclass(frozen=True)
class Formula:
    """The published scoring method of a plan (its file's `scoring:` section)."""

    parts: tuple[Part, ...]
    groups: tuple[Group, ...]
    red_black: int = 3  # how many units the 红榜 and 黑榜 name
    # Whether a lead department (指标长) is also scored on the city value of each indicator
    # it leads without reporting it: an office setting, off unless the plan file says so.
    # Off, a department that only leads is shown the city-wide status, not scored on it.
    leads_scored: bool = False

    @property
    def full_marks(self) -> int:
        return sum(p.weight for p in self.parts)

    @property
    def weights(self) -> dict[str, int]:
        return {p.code: p.weight for p in self.parts}

    def text(self) -> str:
        terms = " + ".join(f"{p.name} × {p.weight}" for p in self.parts)
        return f"综合得分 = {terms}（满分{self.full_marks}）"

    def terms(self) -> str:
        parts = "；".join(f"{p.name} = {PARTS[p.code][1]}" for p in self.parts)
        return (
            f"{parts}；单位无某项职责(该项分母为 0)时该项不计，其余各项按权重折算为满分{self.full_marks}；"
            f"{'、'.join(g.name for g in self.groups)}分组排名，得分相同者名次并列"
            + ("；指标牵头单位另按其牵头指标的全市值计分。" if self.leads_scored else "。")
        )

    def group_of(self, code: str, kind: str) -> Group | None:
        """The group a unit is ranked in: the one listing it by code, else by its kind."""
        for g in self.groups:
            if code in g.units:
                return g
        for g in self.groups:
            if kind in g.kinds:
                return g
        return None

    def to_dict(self) -> dict:
        return {
            "parts": [{"code": p.code, "weight": p.weight} for p in self.parts],
            "groups": [{"code": g.code, "name": g.name, "kinds": list(g.kinds), "units": list(g.units)} for g in self.groups],
            "red_black": self.red_black,
            **({"leads_scored": True} if self.leads_scored else {}),
        }

    @classmethod
    def from_dict(cls, data: Mapping | None) -> Formula:
        if not data:
            return DEFAULT_FORMULA
        return cls(
            parts=tuple(Part(p["code"], int(p["weight"])) for p in data["parts"]),
            groups=tuple(
                Group(g["code"], g["name"], tuple(g.get("kinds", ())), tuple(g.get("units", ()))) for g in data["groups"]
            ),
            red_black=int(data.get("red_black", 3)),
            leads_scored=bool(data.get("leads_scored", False)),
        )


DEFAULT_FORMULA = Formula(
    parts=(Part("met", 60), Part("timeliness", 25), Part("improvement", 15)),
    groups=(
        Group("counties", "县市区", kinds=("county",)),
        Group("parks", "园区", kinds=("park",)),
        Group("departments", "市直部门", kinds=("department",)),
    ),
)

# The default formula, for callers that have no plan at hand. Read-only.
WEIGHTS: Mapping[str, int] = MappingProxyType(DEFAULT_FORMULA.weights)
FORMULA = DEFAULT_FORMULA.text()
FORMULA_TERMS = DEFAULT_FORMULA.terms()

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
    submitted: int = 0  # expected months due and submitted (on time or late): reported at all
    # Tenths of a point taken off the formula's score (overdue 督办单, once the office
    # confirms); an int, as the printed record keeps the inputs as JSON.
    deducted_tenths: int = 0

    def share(self, part: str) -> tuple[int, int]:
        return {
            "met": (self.met, self.judged),
            "timeliness": (self.on_time, self.expected),
            "improvement": (self.improved, self.comparable),
        }[part]


@dataclass(frozen=True)
class Ranked:
    unit: str
    name: str
    score: Decimal
    rank: int
    previous_rank: int | None
    movement: int | None  # positive: moved up (3rd → 1st is +2)
    tied: bool = field(default=False)  # another unit has the same rank (并列)

    @property
    def rank_text(self) -> str:
        return f"并列{self.rank}" if self.tied else str(self.rank)


def score(inp: ScoreInput, formula: Formula = DEFAULT_FORMULA) -> Decimal | None:
    """The unit's score, 0 to full marks, to one decimal (half up, as people round);
    None when the unit has none of the formula's duties (it is not ranked)."""
    total, weight = Decimal(0), 0
    for part in formula.parts:
        got, whole = inp.share(part.code)
        if whole <= 0:
            continue  # a duty the unit does not have: neither 0 nor full marks
        # Multiply before dividing so exact scores stay exact (and round as printed).
        total += Decimal(min(max(got, 0), whole)) * part.weight / whole
        weight += part.weight
    if not weight:
        return None
    scored = (total * formula.full_marks / weight).quantize(_TENTH, rounding=ROUND_HALF_UP)
    return max(scored - Decimal(inp.deducted_tenths) / 10, Decimal(0))


def completeness(submitted: int, expected: int) -> Decimal:
    """报送率 in percent to one decimal: never above 100, and 0 when nothing is expected."""
    if expected <= 0:
        return Decimal(0)
    share = Decimal(min(max(submitted, 0), expected)) * 100 / expected
    return share.quantize(_TENTH, rounding=ROUND_HALF_UP)


def rank_units(
    inputs: Sequence[ScoreInput], previous: Mapping[str, int] | None = None, formula: Formula = DEFAULT_FORMULA
) -> list[Ranked]:
    """Units by score, best first; equal scores share a rank (并列) and the next rank is
    skipped (1, 1, 3). Within a tie the unit code orders the list, so it is stable.
    A unit with no duty in the formula is left out, never ranked last."""
    scored = [(score(inp, formula), inp) for inp in inputs]
    scored = sorted(((v, inp) for v, inp in scored if v is not None), key=lambda p: (-p[0], p[1].unit))
    counts: dict[Decimal, int] = {}
    for value, _inp in scored:
        counts[value] = counts.get(value, 0) + 1
    previous = previous or {}
    ranked: list[Ranked] = []
    rank = 0
    for position, (value, inp) in enumerate(scored, start=1):
        if not ranked or value != ranked[-1].score:
            rank = position
        before = previous.get(inp.unit)
        movement = None if before is None else before - rank
        ranked.append(Ranked(inp.unit, inp.name, value, rank, before, movement, counts[value] > 1))
    return ranked


def has_reports(inputs: Sequence[ScoreInput]) -> bool:
    """Whether anyone in a group reported anything the score counts: a judged target, or
    a submission of a month that is due. A group without is not ranked (暂无排名), rather
    than every unit 并列1 with 0 points."""
    return any(i.judged > 0 or i.submitted > 0 or i.on_time > 0 for i in inputs)


def rank_group(
    inputs: Sequence[ScoreInput], previous: Mapping[str, int] | None = None, formula: Formula = DEFAULT_FORMULA
) -> list[Ranked]:
    """rank_units for a group, empty (暂无排名) when nobody in it has reported."""
    return rank_units(inputs, previous, formula) if has_reports(inputs) else []


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


# -- the score's inputs: one definition for the stored rows and the rankings ------------
@dataclass
class Tally:
    """What the score counts of a unit's targets: judged (the 达标率's denominator), met,
    comparable with the month before and improved."""

    judged: int = 0
    met: int = 0
    comparable: int = 0
    improved: int = 0

    def add(self, status, previous=None) -> None:
        """One scored target's status this month (and the month before's, for 改善率). A
        grey target of any reason (未报送, 本月无此项业务, 未到考核期, 无基数 …) is shown
        but counts in no rate: it leaves the denominator instead of counting as a miss."""
        if not counts_in_score(status):
            return
        self.judged += 1
        self.met += str(status) == "green"
        better = improved(previous, status)
        if better is not None:
            self.comparable += 1
            self.improved += better


def counts_in_score(status) -> bool:
    """Whether a target's status counts in a rate or a score: judged red, yellow or green."""
    return str(status) in _ORDER


def scored_targets(metrics, unit_rows, city_rows, *, judged, leads_scored: bool):
    """The targets the score counts for each unit, as (unit, metric, row, city): every
    unit's own rows of the judged metrics, and — when the office counts the 指标长's
    city-wide duty (`leads_scored`) — the city row of each judged metric its lead unit
    leads without reporting it. `judged(metric)` says whether a metric is judged at all.
    Duck-typed rows (.unit, .metric, .status): no ORM here."""
    reporters: dict = {}
    for row in unit_rows:
        reporters.setdefault(row.metric.pk, set()).add(row.unit.pk)
        if judged(row.metric):
            yield row.unit, row.metric, row, False
    if not leads_scored:
        return
    for m in metrics:
        lead = m.indicator.lead_unit
        if judged(m) and lead.pk not in reporters.get(m.pk, ()):
            yield lead, m, city_rows[m.pk], True
