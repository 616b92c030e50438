"""The pure rules of 督查督办: an order's state from its stage, due date and an explicit
`today`; how many months a target has been red (or green) running; what the office's
thresholds propose. No Django here."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import Enum


class Stage(str, Enum):
    """Where an order stands in its workflow (stored; set only by a person's act)."""

    OPEN = "open"  # raised, waiting for the unit's answer
    APPROVING = "approving"  # answered, waiting for the unit's own approver
    REVIEWING = "reviewing"  # answered, waiting for the lead department (指标长)
    ANSWERED = "answered"  # answered (and reviewed), waiting for the office
    RETURNED = "returned"  # the answer was returned with a reason
    CLOSED = "closed"  # 销号


class OrderState(str, Enum):
    """What people see: 待答复 / 已答复 / 已退回 / 已销号 / 逾期."""

    PENDING = "pending"
    ANSWERED = "answered"
    RETURNED = "returned"
    CLOSED = "closed"
    OVERDUE = "overdue"

    @property
    def label(self) -> str:
        return STATE_LABELS[self]

    @property
    def tone(self) -> str:
        return {"pending": "yellow", "answered": "green", "returned": "yellow", "closed": "grey", "overdue": "red"}[self.value]


STATE_LABELS = {
    OrderState.PENDING: "待答复",
    OrderState.ANSWERED: "已答复",
    OrderState.RETURNED: "已退回",
    OrderState.CLOSED: "已销号",
    OrderState.OVERDUE: "逾期",
}

# Stages in which the unit owes an answer: past the due date these are 逾期.
AWAITING_UNIT = {Stage.OPEN, Stage.RETURNED}


def order_state(stage: Stage | str, due: date, today: date) -> OrderState:
    """An order the unit still owes an answer to is 逾期 from the day after its due date;
    an answer in the unit's own approval still counts as not given."""
    stage = Stage(stage)
    if stage == Stage.CLOSED:
        return OrderState.CLOSED
    if stage in AWAITING_UNIT | {Stage.APPROVING} and today > due:
        return OrderState.OVERDUE
    if stage == Stage.OPEN or stage == Stage.APPROVING:
        return OrderState.PENDING
    if stage == Stage.RETURNED:
        return OrderState.RETURNED
    return OrderState.ANSWERED


def is_overdue(stage: Stage | str, due: date, today: date) -> bool:
    return order_state(stage, due, today) == OrderState.OVERDUE


def stage_as_of(history: Iterable[tuple[date, str]], day: date) -> Stage | None:
    """The order's stage at the end of `day`, from its history: (the day of each step,
    the stage it moved to — empty for a step that moved nothing), oldest first. None when
    the order had not been raised by then. A document built again years later judges
    each order as it stood on its own date, not as it stands now."""
    stage = None
    for on, to in history:
        if on > day:
            break
        if to:
            stage = Stage(to)
    return stage


def state_as_of(history: Iterable[tuple[date, str]], due: date, day: date) -> OrderState | None:
    """What people saw on `day` (逾期 judged on that day too); None before it was raised."""
    stage = stage_as_of(history, day)
    return None if stage is None else order_state(stage, due, day)


def level_as_of(current: str, changes: Iterable[tuple[date, str, str]], day: date) -> str:
    """The order's level (督办 / 挂牌督办) at the end of `day`: `current`, unless it was
    changed after `day` — then the level the first later change moved it from. `changes`:
    (the day, the old level, the new level) of each change, oldest first."""
    for on, old, _new in changes:
        if on > day:
            return old
    return current


def overdue_between(history: Iterable[tuple[date, str]], due: date, start: date, end: date) -> bool:
    """Whether the order was 逾期 on some day from `start` to `end`: on a day after its
    due date it still owed the unit's answer when the day began (an answer given on a day
    already overdue does not undo that day)."""
    history = list(history)
    first = max(start, due + timedelta(days=1))
    # The stage a day begins with changes only the day after a step: check those days.
    days = {first} | {on + timedelta(days=1) for on, _ in history if first < on + timedelta(days=1) <= end}
    return any(
        (stage := stage_as_of(history, d - timedelta(days=1))) is not None and is_overdue(stage, due, d)
        for d in sorted(days)
        if d <= end
    )


def overdue_deduction(overdue: int, points: Decimal | None, confirmed: bool) -> Decimal:
    """The points a unit loses for its overdue orders: the office's points per order,
    only once it has confirmed them (待核定 costs nothing); never negative."""
    if not confirmed or points is None or points <= 0 or overdue <= 0:
        return Decimal(0)
    return points * overdue


def run_length(statuses: list[str], wanted: str) -> int:
    """How many of the latest months running had status `wanted`: `statuses` newest
    first; a month without a status (None) ends the run."""
    n = 0
    for s in statuses:
        if s != wanted:
            break
        n += 1
    return n


class Proposal(str, Enum):
    SUPERVISE = "supervise"  # 督办
    LISTED = "listed"  # 挂牌督办
    INTERVIEW = "interview"  # 约谈
    CLOSE = "close"  # 建议销号

    @property
    def label(self) -> str:
        return {"supervise": "建议督办", "listed": "建议挂牌督办", "interview": "建议约谈", "close": "建议销号"}[self.value]


@dataclass(frozen=True)
class Thresholds:
    """The office's settings: red N months running → 督办, M → 挂牌督办; an overdue order
    → 约谈 (when on); green K months running → suggest 销号; a deliverable of the task
    ledger past its date and not done → 督办 (when on)."""

    red_supervise: int = 2
    red_listed: int = 3
    overdue_interview: bool = True
    green_close: int = 3
    deliverable_supervise: bool = False


def propose_for_red(red_months: int, t: Thresholds) -> Proposal | None:
    """What a red run proposes: the stronger level once it reaches its threshold."""
    if t.red_listed and red_months >= t.red_listed:
        return Proposal.LISTED
    if t.red_supervise and red_months >= t.red_supervise:
        return Proposal.SUPERVISE
    return None


def propose_for_order(*, stage: Stage | str, due: date, today: date, green_months: int, t: Thresholds) -> Proposal | None:
    """What an open order proposes: 约谈 when overdue; 销号 when its target has been green
    for the office's number of months running."""
    if Stage(stage) == Stage.CLOSED:
        return None
    if t.overdue_interview and is_overdue(stage, due, today):
        return Proposal.INTERVIEW
    if t.green_close and green_months >= t.green_close:
        return Proposal.CLOSE
    return None


def propose_for_deliverable(*, late: bool, has_open_order: bool, t: Thresholds) -> Proposal | None:
    """What a deliverable proposes for one of its units: 督办 once it is 滞后 (past its date
    and not done), unless an order on it is still open."""
    if t.deliverable_supervise and late and not has_open_order:
        return Proposal.SUPERVISE
    return None


def order_number_text(year: int, number: int) -> str:
    return f"衡优化督〔{year}〕{number}号"
