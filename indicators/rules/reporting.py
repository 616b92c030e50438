"""The words for where a unit's month stands, one set for every page (报送进度, 报送审核,
the home pages, the API): a submission's state, read against the on-time deadline. Pure."""

from datetime import date
from enum import StrEnum


class ReportState(StrEnum):
    NOT_STARTED = "not_started"
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    ACCEPTED = "accepted"
    RETURNED = "returned"
    LATE = "late"
    MISSING = "missing"

    @property
    def label(self) -> str:
        return LABELS[self]

    @property
    def needs_reminder(self) -> bool:
        return self in (ReportState.NOT_STARTED, ReportState.DRAFT, ReportState.RETURNED, ReportState.MISSING)

    @property
    def tone(self) -> str:
        """The status colour a page shows the state in."""
        return TONES[self]


# The workflow's own words (Submission.State) plus the two the deadline adds.
LABELS = {
    ReportState.NOT_STARTED: "未报送",
    ReportState.DRAFT: "草稿",
    ReportState.SUBMITTED: "已提交",
    ReportState.APPROVED: "单位已审核",
    ReportState.ACCEPTED: "已采纳",
    ReportState.RETURNED: "已退回",
    ReportState.LATE: "逾期报送",
    ReportState.MISSING: "逾期未报",
}
TONES = {
    ReportState.NOT_STARTED: "grey",
    ReportState.DRAFT: "grey",
    ReportState.SUBMITTED: "green",
    ReportState.APPROVED: "green",
    ReportState.ACCEPTED: "green",
    ReportState.RETURNED: "yellow",
    ReportState.LATE: "yellow",
    ReportState.MISSING: "red",
}


def report_state(state: str | None, *, is_late: bool, deadline: date, today: date) -> ReportState:
    """A unit's state for a month from its submission's workflow state (None: no
    submission) and whether it came late; nothing or a draft after the deadline is
    逾期未报 (the deadline day itself is still on time)."""
    if state is None or state == "draft":
        if today > deadline:
            return ReportState.MISSING
        return ReportState.DRAFT if state else ReportState.NOT_STARTED
    if state == "returned":
        return ReportState.RETURNED
    if state == "accepted":
        return ReportState.ACCEPTED
    if is_late:
        return ReportState.LATE
    return ReportState.APPROVED if state == "approved" else ReportState.SUBMITTED
