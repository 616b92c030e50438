"""What the archive does when the office accepts corrected unit-months: every issued
document that printed one gets a draft 更正通知 (reports.notices). indicators tells it so
through a hook (indicators.services.workflow.CORRECTIONS_ACCEPTED_HOOKS, registered in
ReportsConfig.ready()): indicators never imports reports."""

from __future__ import annotations

from django.db import transaction

from reports.notices import notices_draft


def corrections_accepted(*, unit_months, user=None) -> list:
    """The office accepted corrected unit-months ((unit, period)): every issued document
    that printed one gets a draft 更正通知 for the office to review and issue
    (reports.notices), on commit, once the month's statuses are written. Returns the
    unit-months; nothing is built or issued here."""
    pending = list(unit_months)

    def draft():
        for unit, period in pending:
            notices_draft(unit=unit, period=period, user=user)

    if pending:
        # Robust: the acceptance stands if a notice cannot be drafted (logged; the office
        # is told only of notices drafted).
        transaction.on_commit(draft, robust=True)
    return pending
