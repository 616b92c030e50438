"""A figure's status against its target (达标 / 预警 / 未达标, or grey with a reason), and
how far it misses. Computed from plain values and an explicit judgement date; never typed
by hand. `judge` is the one rule; every page, export and stored status row comes from it."""

from datetime import date
from decimal import Decimal

from .aggregate import is_empty, reading_value
from .assumptions import rests_on_assumption
from .pace import PACEABLE_KINDS, pace_start, pace_value
from .types import Direction, GreyReason, Judgement, Kind, Measure, MilestoneState, Reading, Status, Target
from .workdays import month_end

# The rule in the office's words: PLAN_FORMAT.md quotes it and every metric page shows it.
STATUS_RULE = (
    "判定规则:数值未达到目标即为“未达标”(红色),不设容差;政策上限、下限(如担保费率不超过1%、"
    "预留份额原则上不低于30%)越线即为未达标。“预警”(黄色)只表示已达标但有风险:累计类指标"
    "落后于时序进度但在容差之内,或本月达标但按趋势预计年底达不到目标;节点任务未按节点日期完成为预警,到完成期限仍未完成为未达标。"
    "灰色表示本月不评判,并注明原因:未报送、本月无此项业务、无基数、未到考核期、不适用、待核定"
    "(目标值、基数、期限或名次要求尚待市优化办核定)。"
)


def is_judged(target: Target) -> bool:
    """False for reference metrics: they are shown, but left out of every count of
    green / yellow / red and out of scores."""
    return target.kind != Kind.REFERENCE


def comparison_value(target: Target, period: date) -> Decimal | None:
    """The number month `period` is judged against: the year's target, or with `pace` the
    expected pace (时序进度) for that month — None before a batch target's first batch.
    A paced target with nowhere to start from (no baseline, no pace_from; the loader
    rejects it) is judged against the year's target."""
    if target.pace and target.kind in PACEABLE_KINDS and pace_start(target) is not None:
        return pace_value(target, period.month)
    return target.value


def is_due(target: Target, period: date) -> bool:
    """False while the month is not yet judged: an annual target (year_end_only: ranks
    and indices published once a year) before December, or a batch-paced target
    (高新技术企业 recognised in Q4) before its first batch month."""
    if not is_judged(target):
        return True
    if target.year_end_only and period.month < 12:
        return False
    if target.pace and target.kind in PACEABLE_KINDS and comparison_value(target, period) is None:
        return False  # a batch pace before its first batch month
    return True


def _need(value: Decimal | None, target: Target, field: str = "value") -> Decimal:
    # The plan loader rejects such targets; failing loudly here beats a silent grey.
    if value is None:
        raise ValueError(f"{target.kind} target needs a {field}")
    return value


def _grey(reason: GreyReason) -> Judgement:
    return Judgement(Status.GREY, reason)


_GREEN, _YELLOW, _RED = Judgement(Status.GREEN), Judgement(Status.YELLOW), Judgement(Status.RED)


def _met(green: bool) -> Judgement:
    # A miss is a miss: no tolerance on the wrong side of a target.
    return _GREEN if green else _RED


def judge(
    target: Target,
    measure: Measure,
    reading: Reading,
    *,
    as_of: date,
    period: date,
    last_year: Decimal | None = None,
    other: Decimal | None = None,
    no_business: bool = False,
    projected_meets: bool | None = None,
) -> Judgement:
    """The status of `reading` for month `period` (its first day), judged on `as_of` (the
    month's last day for a closed month), with the reason when grey.

    Red (未达标) whenever the figure does not meet its target: tolerance never softens a
    miss. Yellow (预警) only for a figure that meets its target but is at risk: a paced
    target behind 时序进度 by no more than its tolerance (never in the month the pace
    reaches the full target), or a green month whose year-end projection misses
    (`projected_meets` False). Grey, in this order: not_applicable (a reference metric),
    no_business (the unit said it had no case, or a ratio/average over zero cases),
    not_due (an annual target before December, a batch target before its first batch),
    not_reported (no figure), pending_confirmation (待核定: the judgement rests on an
    assumption the office has not confirmed, rules.assumptions — a milestone done or on
    schedule is green whatever its assumed dates), no_baseline (the comparison needs last
    year's value or the other metric's figure, and it is missing)."""
    if not is_judged(target):
        return _grey(GreyReason.NOT_APPLICABLE)
    if no_business or reading.no_business:
        return _grey(GreyReason.NO_BUSINESS)
    if not is_due(target, period):
        return _grey(GreyReason.NOT_DUE)
    if is_empty(measure, reading):
        return _grey(GreyReason.NOT_REPORTED)
    if target.kind == Kind.MILESTONE:
        judgement, rests_on = _milestone(target, reading, as_of=as_of, period=period)
        if rests_on and (rests_on in target.assumed or "reading" in target.assumed):
            return _grey(GreyReason.PENDING_CONFIRMATION)
        return judgement
    v = reading_value(measure, reading)
    if v is None:
        return _grey(GreyReason.NO_BUSINESS)  # 0 cases: a ratio or an average of nothing
    if rests_on_assumption(target, last_year=last_year):
        return _grey(GreyReason.PENDING_CONFIRMATION)
    judgement = _judge_value(target, v, period=period, last_year=last_year, other=other)
    if judgement is _YELLOW and "tolerance" in target.assumed:
        return _grey(GreyReason.PENDING_CONFIRMATION)  # 预警 only by the assumed tolerance band
    if judgement.status is Status.GREEN and projected_meets is False:
        return _YELLOW
    return judgement


def _meets(kind: Kind, v: Decimal, t: Decimal) -> bool:
    match kind:
        case Kind.AT_MOST | Kind.RANK:
            return v <= t
        case Kind.AT_LEAST:
            return v >= t
        case Kind.EXCEED:
            return v > t
        case Kind.EXACTLY:
            return v == t
    raise ValueError(f"{kind} has no single number to meet")


def _judge_value(target: Target, v: Decimal, *, period: date, last_year: Decimal | None, other: Decimal | None) -> Judgement:
    better = target.better_direction
    match target.kind:
        case Kind.AT_MOST | Kind.AT_LEAST | Kind.EXCEED | Kind.EXACTLY | Kind.RANK:
            if target.pace and target.kind in PACEABLE_KINDS:
                return _paced(target, v, period)
            return _met(_meets(target.kind, v, _need(target.value, target)))
        case Kind.RANGE:
            low, high = _need(target.low, target, "low"), _need(target.high, target, "high")
            return _met(low <= v <= high)
        case Kind.CHANGE_VS_LAST_YEAR:
            change = _change(v, last_year, better)
            if change is None:
                return _grey(GreyReason.NO_BASELINE)
            return _met(change >= _need(target.value, target))
        case Kind.RELATIVE_TO:
            if other is None:
                return _grey(GreyReason.NO_BASELINE)
            return _met(v <= other if better is Direction.LOWER else v >= other)
        case Kind.IMPROVE:
            if last_year is None:
                return _grey(GreyReason.NO_BASELINE)
            # Equal to last year is not an improvement.
            return _met(v < last_year if better is Direction.LOWER else v > last_year)
        case Kind.KEEP:
            if last_year is None:
                return _grey(GreyReason.NO_BASELINE)
            # 保持: not worse than last year (a rank of 3 after 3 last year is kept).
            return _met(v <= last_year if better is Direction.LOWER else v >= last_year)
    raise ValueError(f"unknown target kind {target.kind!r}")


def _paced(target: Target, v: Decimal, period: date) -> Judgement:
    """A cumulative target month by month: green once on (or ahead of) the expected pace
    or past the year's target; yellow when behind the pace by no more than the tolerance;
    red when further behind, and in the month the pace reaches the full target (December
    for a linear pace) any miss is red."""
    full = _need(target.value, target)
    if _meets(target.kind, v, full):
        return _GREEN
    expected = comparison_value(target, period)
    if _meets(target.kind, v, expected):
        return _GREEN
    if expected == full:
        return _RED
    behind = v - expected if target.kind == Kind.AT_MOST else expected - v
    return _YELLOW if target.tolerance and behind <= target.tolerance else _RED


def _change(v: Decimal, last_year: Decimal | None, better: Direction | None) -> Decimal | None:
    """Percent change against last year, positive in the good direction; None when last
    year is missing or zero (a change from nothing has no percentage)."""
    if not last_year:
        return None
    # Divide by the size of last year's figure, so a negative base (a growth rate that
    # was below zero) does not turn an improvement into a decline.
    delta = v - last_year if better is Direction.HIGHER else last_year - v
    return delta * 100 / abs(last_year)


def milestone_due(target: Target, period: date) -> date:
    """A milestone's due date; a plan that gives none is judged at the plan year's end."""
    return target.due or date(period.year, 12, 31)


def _milestone(target: Target, reading: Reading, *, as_of: date, period: date) -> tuple[Judgement, str | None]:
    """Judged by the checkpoints (节点) the unit reports reaching. Done is green. Before
    the due date a milestone on schedule (every checkpoint already due reached by its own
    date: `reading.reached`, rules.milestones.checkpoints_reached) is green; a missed
    checkpoint makes it yellow (预警); at the due date not done is red. With the judgement,
    the plan field it rests on ("due" or "checkpoints"), so that a judgement resting on an
    unconfirmed one is 待核定."""
    state = MilestoneState(reading.state)
    if state is MilestoneState.DONE:
        return _GREEN, None
    # The month's figure speaks for the whole month: a step due inside the month and not
    # done by its end is late, whatever day the judgement is made.
    end = max(as_of, month_end(period))
    if end >= milestone_due(target, period):
        return _RED, "due"
    passed = sum(1 for c in target.checkpoints if c.due <= end)
    reached = reading.reached or 0  # nothing reported reaches nothing
    if reached < passed:
        return _YELLOW, "checkpoints"
    return _GREEN, None


def apply_projection(status: Status, meets: bool | None) -> Status:
    """A green month whose year-end projection misses the target is a warning (预警)."""
    if status is Status.GREEN and meets is False:
        return Status.YELLOW
    return status


def gap(
    target: Target,
    measure: Measure,
    reading: Reading,
    *,
    last_year: Decimal | None = None,
    other: Decimal | None = None,
    period: date,
) -> Decimal | None:
    """How far the figure is from its (paced) target, in the metric's unit — percentage
    points for ratios and for change_vs_last_year. Positive is a miss by that much; zero
    or negative is met with that much to spare (inside a range: distance to the nearer
    edge, negative). None where a distance means nothing: no figure, a milestone, a
    reference metric, a month not yet judged, or a missing comparison."""
    if not is_judged(target) or target.kind == Kind.MILESTONE or not is_due(target, period):
        return None
    v = reading_value(measure, reading)
    if v is None or reading.no_business:
        return None
    better = target.better_direction
    match target.kind:
        case Kind.AT_MOST | Kind.RANK:
            return v - _need(comparison_value(target, period), target)
        case Kind.AT_LEAST | Kind.EXCEED:
            return _need(comparison_value(target, period), target) - v
        case Kind.EXACTLY:
            return abs(v - _need(comparison_value(target, period), target))
        case Kind.RANGE:
            low, high = (
                _need(target.low, target, "low"),
                _need(target.high, target, "high"),
            )
            return max(low - v, v - high)
        case Kind.CHANGE_VS_LAST_YEAR:
            change = _change(v, last_year, better)
            return None if change is None else _need(target.value, target) - change
        case Kind.RELATIVE_TO | Kind.IMPROVE | Kind.KEEP:
            base = other if target.kind == Kind.RELATIVE_TO else last_year
            if base is None:
                return None
            return v - base if better is Direction.LOWER else base - v
    raise ValueError(f"unknown target kind {target.kind!r}")


def city_judgement(status, grey_reason: str, coverage) -> tuple:
    """A city value's (status, grey reason) given how complete it is (rules.aggregate.coverage):
    judged only once the expected reporters have reported; before that it is grey 未报送
    (shown with its figure and "x/y 单位已报"), not judged from whoever happened to report.
    A value already grey keeps its own reason."""
    if str(status) == Status.GREY or coverage.complete:
        return status, grey_reason
    return Status.GREY, GreyReason.NOT_REPORTED.value
