"""The task ledger (任务台账): the state of a plan deliverable on a date, from what its
units reported, and a task's state from its deliverables. Plain values, explicit today.

A unit reports 未启动 / 推进中 / 已完成; 滞后 is never typed: it is a deliverable past its
due date (or, where the plan gives none, past the plan year's end) and not done."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from enum import StrEnum


class Reported(StrEnum):
    """What a unit says of a deliverable in a month."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"


class LedgerState(StrEnum):
    """What the product shows: the reported state, or 滞后 once past due and not done."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    OVERDUE = "overdue"

    @property
    def label(self) -> str:
        return LABELS[self]

    @property
    def tone(self) -> str:
        """The status colour a page shows it in (done green, 滞后 red, the rest neutral)."""
        return {LedgerState.DONE: "green", LedgerState.OVERDUE: "red"}.get(self, "grey")


LABELS = {
    LedgerState.NOT_STARTED: "未启动",
    LedgerState.IN_PROGRESS: "推进中",
    LedgerState.DONE: "已完成",
    LedgerState.OVERDUE: "滞后",
}
REPORTED_LABELS = {Reported.NOT_STARTED: "未启动", Reported.IN_PROGRESS: "推进中", Reported.DONE: "已完成"}
# The order states are listed in (and counted in the bulletin).
ORDER = (LedgerState.DONE, LedgerState.IN_PROGRESS, LedgerState.OVERDUE, LedgerState.NOT_STARTED)


def effective_due(due: date | None, year: int) -> date:
    """The date a deliverable is judged at: the plan's date, else the plan year's end."""
    return due if due is not None else date(year, 12, 31)


# What of a deliverable the plan file may mark `pending:` (待核定): its due date, or what it
# is (its name and reading), when they are our reading rather than the plan's text.
PENDING_FIELDS = {"due": "完成时限", "content": "成果事项内容"}


def assumed_fields(pending, confirmed, value_of) -> frozenset[str]:
    """The `pending` fields the office has not confirmed at the value now in force
    (`value_of(field)`): a changed value in a reloaded file is a new assumption."""
    return frozenset(f for f in pending or () if f in PENDING_FIELDS and (confirmed or {}).get(f) != value_of(f))


def unit_state(*, reported: str | None, due: date | None, year: int, today: date, assumed: bool = False) -> LedgerState:
    """One unit's state of a deliverable on `today` from its latest report (None: never
    reported, i.e. not started). Past the due date and not done is 滞后; due day itself
    still counts as on time. `assumed`: the due date or the content is an unconfirmed
    assumption (待核定), so the deliverable is never 滞后 until the office confirms it."""
    if reported == Reported.DONE:
        return LedgerState.DONE
    if today > effective_due(due, year) and not assumed:
        return LedgerState.OVERDUE
    if reported == Reported.IN_PROGRESS:
        return LedgerState.IN_PROGRESS
    return LedgerState.NOT_STARTED


def deliverable_state(
    *, reported: Iterable[str | None], due: date | None, year: int, today: date, assumed: bool = False
) -> LedgerState:
    """A deliverable's state from each responsible unit's latest report: done when every
    unit is done, 滞后 when past due and any is not (never while `assumed`: 待核定), 推进中
    when any has started."""
    states = [unit_state(reported=r, due=due, year=year, today=today, assumed=assumed) for r in reported]
    if not states:
        return unit_state(reported=None, due=due, year=year, today=today, assumed=assumed)
    if all(s == LedgerState.DONE for s in states):
        return LedgerState.DONE
    if any(s == LedgerState.OVERDUE for s in states):
        return LedgerState.OVERDUE
    if any(s in (LedgerState.DONE, LedgerState.IN_PROGRESS) for s in states):
        return LedgerState.IN_PROGRESS
    return LedgerState.NOT_STARTED


def task_state(states: Iterable[LedgerState]) -> LedgerState | None:
    """A task's state from its deliverables' (None: the task has no deliverable): 完成 when
    all are done, 滞后 when any is, 推进中 when any has started, else 未启动."""
    states = list(states)
    if not states:
        return None
    if all(s == LedgerState.DONE for s in states):
        return LedgerState.DONE
    if LedgerState.OVERDUE in states:
        return LedgerState.OVERDUE
    if any(s in (LedgerState.DONE, LedgerState.IN_PROGRESS) for s in states):
        return LedgerState.IN_PROGRESS
    return LedgerState.NOT_STARTED


def evidence_problem(*, reported: str, has_evidence: bool) -> str | None:
    """Why a report cannot be saved as it is: 已完成 needs an evidence file."""
    if reported == Reported.DONE and not has_evidence:
        return "状态为“已完成”时须上传佐证材料(如印发文件、上线截图、挂牌照片)。"
    return None
