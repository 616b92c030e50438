"""Plain value types the rules work on: what a target asks for, what a unit reported, and
the four statuses. Enum values are the codes used in the plan file (PLAN_FORMAT.md)."""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum


class Status(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"
    GREY = "grey"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]

    @property
    def icon(self) -> str:
        # Each status has its own shape, so it reads without colour (colour-blind users,
        # black-and-white printouts of the dispatch).
        return _STATUS_ICONS[self]


_STATUS_LABELS = {
    Status.GREEN: "达标",
    Status.YELLOW: "预警",
    Status.RED: "未达标",
    Status.GREY: "未报送",
}
_STATUS_ICONS = {
    Status.GREEN: "✔",
    Status.YELLOW: "!",
    Status.RED: "✖",
    Status.GREY: "–",
}


class GreyReason(StrEnum):
    """Why a figure is grey (not judged this month). Codes are stored with the month's
    statuses and written by `export_status` (`grey_reason`)."""

    NOT_REPORTED = "not_reported"
    NO_BUSINESS = "no_business"
    NO_BASELINE = "no_baseline"
    NOT_DUE = "not_due"
    NOT_APPLICABLE = "not_applicable"
    # The value, baseline, due date or cut-off the figure would be judged against is the
    # office's assumption (the plan file's `pending:`), not the plan's word, until the
    # office confirms it (indicators.assumptions).
    PENDING_CONFIRMATION = "pending_confirmation"

    @property
    def label(self) -> str:
        return _GREY_REASON_LABELS[self]

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        """(code, Chinese label) pairs, as a Django field's `choices` takes them."""
        return [(reason.value, reason.label) for reason in cls]


_GREY_REASON_LABELS = {
    GreyReason.NOT_REPORTED: "未报送",
    GreyReason.NO_BUSINESS: "本月无此项业务",
    GreyReason.NO_BASELINE: "无基数",
    GreyReason.NOT_DUE: "未到考核期",
    GreyReason.NOT_APPLICABLE: "不适用",
    GreyReason.PENDING_CONFIRMATION: "待核定",
}


@dataclass(frozen=True)
class Judgement:
    """A status and, when grey, why. `grey_reason` is None exactly when the status is not grey."""

    status: Status
    grey_reason: GreyReason | None = None

    def __post_init__(self):
        if (self.status is Status.GREY) != (self.grey_reason is not None):
            raise ValueError("a grey judgement needs a reason, and only a grey one has one")

    @property
    def label(self) -> str:
        """未达标, 预警, 达标 — or for grey its reason: 未报送, 本月无此项业务, 无基数 …"""
        return self.grey_reason.label if self.grey_reason else self.status.label


class Basis(StrEnum):
    """What a month's figure holds: the month's own value, the year so far, or a modelled
    annual figure (纳税次数 as the tax bureau models it) that is judged as reported."""

    MONTH = "month"
    YTD = "ytd"
    YEAR_END = "year_end"


class PaceProfile(StrEnum):
    """How the expected pace (时序进度) builds up over the year: evenly; faster early
    (two thirds of the gap by May, three quarters by June); or in batches in given months
    (高新技术企业 recognised in Q4), not judged before the first batch month."""

    LINEAR = "linear"
    FRONT_LOADED = "front_loaded"
    BATCH = "batch"


@dataclass(frozen=True)
class Checkpoint:
    """A dated step (节点) of a milestone: 方案印发 by 06-30, 系统上线 by 09-30 …"""

    name: str
    due: date


class Kind(StrEnum):
    AT_MOST = "at_most"
    AT_LEAST = "at_least"
    EXCEED = "exceed"
    EXACTLY = "exactly"
    RANGE = "range"
    CHANGE_VS_LAST_YEAR = "change_vs_last_year"
    RELATIVE_TO = "relative_to"
    IMPROVE = "improve"
    RANK = "rank"
    KEEP = "keep"
    MILESTONE = "milestone"
    REFERENCE = "reference"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    Kind.AT_MOST: "不高于",
    Kind.AT_LEAST: "不低于",
    Kind.EXCEED: "突破",
    Kind.EXACTLY: "等于",
    Kind.RANGE: "区间",
    Kind.CHANGE_VS_LAST_YEAR: "较上年同期变化",
    Kind.RELATIVE_TO: "对比其他指标",
    Kind.IMPROVE: "优于上年",
    Kind.RANK: "排名",
    Kind.KEEP: "保持(不劣于上年)",
    Kind.MILESTONE: "节点任务",
    Kind.REFERENCE: "参考指标",
}


class Measure(StrEnum):
    COUNT = "count"
    RATIO = "ratio"
    AVERAGE = "average"
    RANK = "rank"
    MILESTONE = "milestone"

    @property
    def label(self) -> str:
        return _MEASURE_LABELS[self]


_MEASURE_LABELS = {
    Measure.COUNT: "计数",
    Measure.RATIO: "比率",
    Measure.AVERAGE: "平均值",
    Measure.RANK: "排名",
    Measure.MILESTONE: "节点",
}


class Direction(StrEnum):
    LOWER = "lower"
    HIGHER = "higher"

    @property
    def label(self) -> str:
        return "越低越好" if self is Direction.LOWER else "越高越好"


class MilestoneState(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"

    @property
    def label(self) -> str:
        return _MILESTONE_LABELS[self]


_MILESTONE_LABELS = {
    MilestoneState.NOT_STARTED: "未启动",
    MilestoneState.IN_PROGRESS: "推进中",
    MilestoneState.DONE: "已完成",
}


def format_number(value: Decimal | int) -> str:
    """A number as people write it: no exponent, no trailing zeros (0.50 → 0.5, 1E+3 → 1000)."""
    text = format(Decimal(value).normalize(), "f")
    return "0" if text == "-0" else text


def figure_number(value: Decimal | int, thresholds: tuple = (), places: int = 2, most: int = 6) -> Decimal:
    """A figure rounded for display: `places` decimals, or more when fewer would put it
    onto or across one of its target's thresholds, so that the number agrees with its
    status mark (99.996 against "≥ 100" is 99.996, never 100)."""
    value = Decimal(value)
    limits = [Decimal(t) for t in thresholds if t is not None]
    for p in range(places, most + 1):
        q = value.quantize(Decimal(1).scaleb(-p), rounding=ROUND_HALF_UP)
        if all((q > t) == (value > t) and (q == t) == (value == t) for t in limits):
            return q
    return value


def format_figure(value: Decimal | int, thresholds: tuple = (), places: int = 2) -> str:
    """figure_number as text without trailing zeros: the one way every page, table,
    export and document writes a reported figure."""
    return format_number(figure_number(value, thresholds, places))


def with_unit(value: Decimal | int, unit: str) -> str:
    # "90%" but "1000 家": a percent sign hugs its number, a word does not.
    number = format_number(value)
    if unit in ("", "%", "‰"):
        return number + unit
    return f"{number} {unit}"


@dataclass(frozen=True)
class Target:
    """A metric's target. Percentages are in percent (90 means 90%).

    `tolerance` is how far behind the expected pace (时序进度) a cumulative target may be
    and still be a warning (预警); it never turns a miss of the target itself into a
    warning. `baseline` is last year's end value; with `pace` the pace starts from
    `pace_from` when given (a count that restarts each year starts from 0), else from the
    baseline. `stretch` is a better value the plan also names (进出口合规成本 220 of
    "220至280美元"), shown but not judged. `checkpoints` are a milestone's dated steps.
    `assumed` names the fields that are still the office's unconfirmed assumptions
    (rules.assumptions.JUDGED_FIELDS: value, due, baseline …): a judgement that rests on
    one of them is grey 待核定."""

    kind: Kind
    value: Decimal | None = None
    low: Decimal | None = None
    high: Decimal | None = None
    direction: Direction | None = None
    due: date | None = None
    tolerance: Decimal = Decimal(0)
    pace: bool = False
    baseline: Decimal | None = None
    year_end_only: bool = False
    stretch: Decimal | None = None
    pace_profile: PaceProfile = PaceProfile.LINEAR
    batch_months: tuple[int, ...] = ()
    pace_from: Decimal | None = None
    checkpoints: tuple[Checkpoint, ...] = ()
    assumed: frozenset[str] = frozenset()

    @property
    def thresholds(self) -> tuple[Decimal, ...]:
        """The numbers a figure is compared with directly (not a change or a rank move)."""
        match self.kind:
            case Kind.AT_MOST | Kind.AT_LEAST | Kind.EXCEED | Kind.EXACTLY:
                return (self.value,) if self.value is not None else ()
            case Kind.RANGE:
                return tuple(t for t in (self.low, self.high) if t is not None)
        return ()

    @property
    def better_direction(self) -> Direction | None:
        """Which way a figure gets better, for "worst unit" totals and projections.

        Kinds that imply it answer themselves; the others use `direction`, defaulting to
        the plan's own readings: a change vs last year is a cut (平均停电时间压缩), a
        comparison or an improvement is a rise (增速不低于, 提升指数)."""
        match self.kind:
            case Kind.AT_MOST | Kind.RANK:
                return Direction.LOWER
            case Kind.AT_LEAST | Kind.EXCEED:
                return Direction.HIGHER
            case Kind.CHANGE_VS_LAST_YEAR:
                return self.direction or Direction.LOWER
            case Kind.RELATIVE_TO | Kind.IMPROVE | Kind.KEEP:
                return self.direction or Direction.HIGHER
        return self.direction

    def describe(self, unit: str = "", *, other_name: str | None = None) -> str:
        """The target in the words of a report: "≤ 0.5 个工作日", "220 至 280 美元",
        "≤ 280 美元(力争 220 美元)"."""
        text = self._describe(unit, other_name)
        if self.stretch is not None:
            text += f"(力争 {with_unit(self.stretch, unit)})"
        return text

    def _describe(self, unit: str, other_name: str | None) -> str:
        match self.kind:
            case Kind.AT_MOST:
                return f"≤ {self._amount(self.value, unit)}"
            case Kind.AT_LEAST:
                return f"≥ {self._amount(self.value, unit)}"
            case Kind.EXCEED:
                return f"> {self._amount(self.value, unit)}"
            case Kind.EXACTLY:
                return f"= {self._amount(self.value, unit)}"
            case Kind.RANGE:
                low = "—" if self.low is None else format_number(self.low)
                return f"{low} 至 {self._amount(self.high, unit)}"
            case Kind.CHANGE_VS_LAST_YEAR:
                verb = "提高" if self.better_direction is Direction.HIGHER else "压缩"
                return f"较上年同期{verb} ≥ {self._amount(self.value, '%')}"
            case Kind.RELATIVE_TO:
                verb = "不高于" if self.better_direction is Direction.LOWER else "不低于"
                return f"{verb}「{other_name}」" if other_name else f"{verb}对比指标"
            case Kind.IMPROVE:
                return "优于上年"
            case Kind.RANK:
                return f"全省排名前 {self._amount(self.value, '')} 名"
            case Kind.KEEP:
                return "不劣于上年"
            case Kind.MILESTONE:
                return f"{self.due.isoformat()} 前完成" if self.due else "按期完成"
            case Kind.REFERENCE:
                return "参考指标，不考核"
        raise ValueError(f"unknown target kind {self.kind!r}")

    @staticmethod
    def _amount(value: Decimal | None, unit: str) -> str:
        # A target missing its number is a plan error the loader rejects; show a dash
        # rather than crash a page if one slips through.
        return "—" if value is None else with_unit(value, unit)


@dataclass(frozen=True)
class Reading:
    """One unit's figure for one metric and month, or a combined (city / year) figure.

    Which fields count depends on the measure: count and rank use `value`; ratio uses
    `numerator` and `denominator`; average uses `value` with its `cases`; milestone uses
    `state` and `reached`: how many of its checkpoints, in order, the unit reached each by
    its due date (rules.milestones.checkpoints_reached; None or 0 when it reported none).
    `no_business` is the unit's word that it had no case this month (本月无此项业务):
    reported, not judged, left out of the city figure."""

    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    cases: Decimal | int | None = None
    state: MilestoneState | None = None
    no_business: bool = False
    reached: int | None = None
