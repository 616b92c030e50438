"""When a unit-month's figures may still be edited, and whether a submission is late.
Pure: plain states and dates in, a Chinese reason (or None) out."""

from datetime import date

DRAFT, SUBMITTED, APPROVED, ACCEPTED, RETURNED = "draft", "submitted", "approved", "accepted", "returned"
# States after which the office or the approver holds the figures, not the reporter.
HELD = {SUBMITTED, APPROVED}


def edit_block(*, state: str, reopened: bool, needs_approval: bool, today: date, lock_date: date) -> str | None:
    """Why the reporter cannot change this unit-month now, or None when they can.

    An approved correction (`reopened`) reopens an accepted or locked month until it is
    submitted again."""
    if state == SUBMITTED:
        if needs_approval:
            return "本月数据已提交,正在等待本单位审核人审核;如需修改,请审核人退回。"
        return "本月数据已提交,正在等待市优化办审核;如需修改,请联系市优化办退回。"
    if state == APPROVED:
        return "本月数据已经本单位审核,正在等待市优化办采纳;如需修改,请联系市优化办退回。"
    if reopened:
        return None
    if state == ACCEPTED:
        return "市优化办已采纳本月数据,表单已关闭;如需修改,请提交更正申请。"
    if today > lock_date:
        return f"已过本月锁定日({lock_date:%Y-%m-%d}),表单已关闭;如需修改,请提交更正申请。"
    return None


def is_late(*, submitted_on: date, deadline: date, expected_month: bool = True) -> bool:
    """Submitted after the on-time deadline day (the deadline day itself is on time). A
    month before the plan's first reported month (rules.periods.is_reporting_month) is
    back-filled, never late."""
    return expected_month and submitted_on > deadline


def can_request_correction(*, state: str, reopened: bool, today: date, lock_date: date) -> bool:
    """A correction is asked for once the unit can no longer edit by itself: the month is
    accepted or past its lock date (and not already reopened)."""
    if reopened or state in HELD:
        return False
    return state == ACCEPTED or today > lock_date


def import_block(*, state: str, reopened: bool, has_figures: bool, today: date, lock_date: date) -> str | None:
    """Why a file import may not change this unit-month without recording a correction,
    or None: it was submitted or accepted, or it is past its lock date with data in it.
    A month nobody reported stays importable (back-filling); a reopened one is open."""
    if state in HELD:
        return "已提交,正在审核"
    if reopened:
        return None
    if state == ACCEPTED:
        return "已被市优化办采纳"
    if today > lock_date and (has_figures or state != DRAFT):
        return f"已过锁定日({lock_date:%Y-%m-%d})且已有数据"
    return None
