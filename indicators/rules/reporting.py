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


def report_state(state: str | None, *, is_late: bool, deadline: date, today: date, expected_month: bool = True) -> ReportState:
    """A unit's state for a month from its submission's workflow state (None: no
    submission) and whether it came late; nothing or a draft after the deadline is
    逾期未报 (the deadline day itself is still on time). A month before the plan's first
    reported month (`expected_month` False, the plan's calendar) is never 逾期."""
    if state is None or state == "draft":
        missing = timeliness(submitted=False, is_late=False, deadline=deadline, today=today, expected_month=expected_month)
        if missing == Timeliness.MISSING:
            return ReportState.MISSING
        return ReportState.DRAFT if state else ReportState.NOT_STARTED
    if state == "returned":
        return ReportState.RETURNED
    if state == "accepted":
        return ReportState.ACCEPTED
    if is_late and expected_month:
        return ReportState.LATE
    return ReportState.APPROVED if state == "approved" else ReportState.SUBMITTED


# -- on-time reporting: one rule for the stored rows, the scores, the dispatch, the
# bulletin, the unit page and the home pages --------------------------------------------
class Timeliness(StrEnum):
    """Whether a unit reported a month on time, as ReportingStatus.timeliness stores it."""

    ON_TIME = "on_time"
    LATE = "late"
    MISSING = "missing"
    NOT_DUE_YET = "not_due_yet"

    @property
    def label(self) -> str:
        return TIMELINESS_LABELS[self]


TIMELINESS_LABELS = {
    Timeliness.ON_TIME: "按时报送",
    Timeliness.LATE: "逾期报送",
    Timeliness.MISSING: "逾期未报",
    Timeliness.NOT_DUE_YET: "未到截止日",
}


def timeliness(*, submitted: bool, is_late: bool, deadline: date, today: date, expected_month: bool = True) -> Timeliness:
    """A unit's timeliness for a month: a submission that counts (submitted, approved,
    accepted) is on time or late as the workflow stamped it when it was submitted;
    without one (nothing, a draft, returned) the month is missing once its deadline has
    passed (the deadline day itself is still on time) and not yet due before. A month
    before the plan's first reported month (`expected_month` False) may be back-filled
    and is never late nor missing."""
    if submitted:
        return Timeliness.LATE if is_late and expected_month else Timeliness.ON_TIME
    return Timeliness.MISSING if today > deadline and expected_month else Timeliness.NOT_DUE_YET


def is_due(*, deadline: date, today: date) -> bool:
    """Whether a month counts for timeliness: only once its deadline has passed. Before
    it nobody is late, and an early submission earns nothing its peers cannot still earn."""
    return today > deadline


def on_time_counts(value: str, *, deadline: date, today: date) -> tuple[int, int]:
    """What one expected unit-month adds to 按时报送率 (on time, expected): nothing while
    the month is open, else (1, 1) on time and (0, 1) late or missing. A unit returned by
    the office before the deadline loses nothing for a month it may still submit."""
    if not is_due(deadline=deadline, today=today):
        return 0, 0
    return int(value == Timeliness.ON_TIME), 1


def submission_timeliness(submission, *, deadline: date, today: date, expected_month: bool = True) -> Timeliness:
    """`timeliness` of a Submission (or None): duck-typed, so this module stays free of the ORM."""
    return timeliness(
        submitted=bool(submission is not None and submission.counts_as_submitted),
        is_late=bool(submission is not None and submission.is_late),
        deadline=deadline,
        today=today,
        expected_month=expected_month,
    )


def is_asked(*, year_end_only: bool, period: date) -> bool:
    """Whether a unit is asked for a target's figure in month `period`: a year-end-only
    target (an annual rank or index published once a year) only in December, the month
    it is judged in. Left empty in another month it does not make the month unreported
    or incomplete (entry sheet, file import, completeness, reminders, status)."""
    return not year_end_only or period.month == 12
