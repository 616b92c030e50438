"""The monthly reporting workflow of a unit-month: the month's row, the entry sheet's
save and submission, notes copied from last month, and correction requests. The unit's
and the office's review of a submission is in `services.review`."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from actions import clock
from actions.models import Membership, TaskReport, Unit
from actions.services import notifications_clear, notify, office_users, users_with_role
from actions.text import clean_text
from indicators.models import CorrectionRequest, Figure, Metric, ReportingMonth, Submission
from indicators.months import reporting_month_get
from indicators.rules.inputs import entry_text
from indicators.rules.periods import add_months
from indicators.rules.workdays import default_deadline, default_lock_date
from indicators.rules.workflow import can_request_correction, edit_block, is_late
from indicators.status.board import plan_month_expected
from indicators.status.refresh import reporting_refresh_on_commit, status_refresh_on_commit
from indicators.timefmt import local_text


class WorkflowError(Exception):
    """A workflow step that cannot be taken now; the message is for the user."""


class StaleVersion(WorkflowError):
    """Someone saved the unit-month since this form was opened; `changes` says what."""

    def __init__(self, message: str, changes: list[str]):
        self.changes = changes
        super().__init__(message)


def reporting_month_ensure(period) -> ReportingMonth:
    """The month's row, created with the calendar's defaults on the month's first write
    (reads use selectors.reporting_month_get, which never creates it)."""
    month, _ = ReportingMonth.objects.get_or_create(
        period=period, defaults={"deadline": default_deadline(period), "lock_date": default_lock_date(period)}
    )
    return month


def now_and_today():
    now = clock.now()
    return now, timezone.localdate(now)


# Called with (unit_months=[(unit, period)], user=…) when the office accepts corrected
# unit-months, on the web (submission_accept) or by file (services.figures): registered by
# the apps above this one in their AppConfig.ready() (reports drafts a 更正通知 of every
# issued document that printed one). A hook: indicators never imports reports.
CORRECTIONS_ACCEPTED_HOOKS: list = []


def corrections_announce(*, unit_months, user) -> None:
    """Tell the apps above that the office accepted these corrected unit-months."""
    unit_months = list(unit_months)
    if unit_months:
        for hook in CORRECTIONS_ACCEPTED_HOOKS:
            hook(unit_months=unit_months, user=user)


def submission_for_update(unit: Unit, period):
    sub, _ = Submission.objects.get_or_create(unit=unit, period=period, defaults={"version": 0})
    return Submission.objects.select_for_update(of=("self",)).get(pk=sub.pk)


def _bump(sub: Submission, user, reason: str) -> None:
    """Save a changed unit-month under a new version (a form opened before is stale),
    with who and why in its history."""
    sub.version += 1
    sub._change_reason = reason
    sub._history_user = user
    sub.save()


def _step_save(sub: Submission, user, reason: str) -> None:
    """A workflow step (approve, accept, return, a reopening correction): saved as
    `_bump`, and the month's reporting rows follow on commit (no figure changed)."""
    _bump(sub, user, reason)
    reporting_refresh_on_commit([sub.period])


def _open_for_edit(unit: Unit, period, month, today):
    """The unit-month's submission, locked for this transaction, if its form is open
    (rules.workflow.edit_block); else WorkflowError saying why."""
    sub = submission_for_update(unit, period)
    block = edit_block(
        state=sub.state, reopened=sub.reopened, needs_approval=unit.needs_approval, today=today, lock_date=month.lock_date
    )
    if block:
        raise WorkflowError(block)
    return sub


def changes_since(*, unit: Unit, period, version: int) -> list[str]:
    """What was saved to a unit-month after the version the user had loaded: one line
    per changed figure or task report, with who and when."""
    MOMENT = "%m-%d %H:%M"  # local month-day and time: saves of the same month
    since = (
        Submission.history.filter(unit_id=unit.pk, period=period, version=version)
        .order_by("-history_date")
        .values_list("history_date", flat=True)
        .first()
    )
    lines = []
    figures = Figure.history.filter(unit_id=unit.pk, period=period).select_related("metric", "history_user")
    tasks = TaskReport.history.filter(unit_id=unit.pk, period=period).select_related("task", "history_user")
    if since is not None:
        figures, tasks = figures.filter(history_date__gt=since), tasks.filter(history_date__gt=since)
    for h in figures.order_by("history_date"):
        who = (h.history_user.first_name or h.history_user.username) if h.history_user else "系统"
        lines.append(f"{local_text(h.history_date, MOMENT)} {who} 修改了“{h.metric.name}”:{entry_text(h) or '(空)'}")
    for h in tasks.order_by("history_date"):
        who = (h.history_user.first_name or h.history_user.username) if h.history_user else "系统"
        lines.append(f"{local_text(h.history_date, MOMENT)} {who} 修改了任务“{h.task.title}”的进展:{h.get_state_display()}")
    return lines


ENTRY_FIELDS = (
    "value", "numerator", "denominator", "cases", "state", "no_business", "last_year_value", "explanation", "measures",
    "checkpoints_reached",
)  # fmt: skip
NOTES = ("explanation", "measures")


@transaction.atomic
def entry_save(
    *,
    unit: Unit,
    period,
    user,
    version: int,
    figures: dict[int, dict],
    tasks: dict[int, dict],
    submit: bool = False,
    source: str = Figure.Source.FORM,
    reason: str = "网页填报",
):
    """Save a unit-month's figures and task progress, optionally submitting it.

    Refused when the form is closed (rules.workflow.edit_block) or when someone saved
    the unit-month since `version` was loaded (optimistic locking: the second save is
    refused with what changed, never silently overwrites)."""
    now, today = now_and_today()
    month = reporting_month_ensure(period)
    sub = _open_for_edit(unit, period, month, today)
    if sub.version != version:
        raise StaleVersion(
            "保存失败:您打开此表后,其他人已保存过本单位本月的数据。为避免互相覆盖,本次修改未保存。"
            "请核对以下变化后,在最新数据上重新填写:",
            changes_since(unit=unit, period=period, version=version),
        )
    existing = {
        f.metric_id: f for f in Figure.objects.select_for_update(of=("self",)).filter(unit=unit, period=period).order_by("pk")
    }
    for metric_id, values in figures.items():
        f = existing.get(metric_id)
        # Notes typed on a row without figures yet are kept too (a draft loses nothing).
        empty = (
            not values.get("no_business")
            and not values.get("checkpoints_reached")
            and all(values.get(k) in (None, "") for k in ("value", "numerator", "denominator", "cases", "state", *NOTES))
        )
        if f is None:
            if empty:
                continue
            f = Figure(unit=unit, metric_id=metric_id, period=period)
        elif all(getattr(f, k) == values.get(k, getattr(f, k)) for k in ENTRY_FIELDS):
            continue
        for k in ENTRY_FIELDS:
            if k in values:
                v = values[k]
                if v is None and k == "checkpoints_reached":
                    v = {}
                setattr(f, k, "" if v is None and k in ("state", "explanation", "measures") else v)
        f.source, f.entered_by = source, user
        f._change_reason = reason
        f._history_user = user
        f.save()
    reports = {
        r.task_id: r for r in TaskReport.objects.select_for_update(of=("self",)).filter(unit=unit, period=period).order_by("pk")
    }
    for task_id, values in tasks.items():
        r = reports.get(task_id)
        if r is None:
            if values["state"] == TaskReport.State.NOT_STARTED and not values["narrative"]:
                continue
            r = TaskReport(unit=unit, task_id=task_id, period=period)
        elif r.state == values["state"] and r.narrative == values["narrative"]:
            continue
        r.state, r.narrative, r.entered_by = values["state"], values["narrative"], user
        r._change_reason = reason
        r._history_user = user
        r.save()
    sub.version += 1
    if submit:
        first = sub.submitted_at is None
        sub.state = Submission.State.SUBMITTED
        sub.submitted_at = sub.submitted_at or now
        sub.last_submitted_at, sub.submitted_by = now, user
        if first:
            sub.is_late = is_late(submitted_on=today, deadline=month.deadline, expected_month=plan_month_expected(period))
        sub._change_reason = "重新提交" if not first else "提交"
    else:
        sub._change_reason = "保存草稿" if sub.state == Submission.State.DRAFT else "保存修改"
    sub._history_user = user
    sub.save()
    status_refresh_on_commit([period])
    if submit:
        notifications_clear(users=_reporters_of(sub), url=_entry_url(sub))  # a return notice is answered
        _notify_submitted(sub, user)
    return sub


@dataclass
class NotesCopied:
    submission: object
    count: int  # note fields filled

    def message(self) -> str:
        if not self.count:
            return "没有可复制的内容:上月没有情况说明或整改措施,或本月相应栏目都已填写。"
        return f"已把上月的情况说明/整改措施复制到本月 {self.count} 个空白栏目,请逐项核对修改。"


@transaction.atomic
def notes_copy_last_month(*, unit: Unit, period, user) -> NotesCopied:
    """Fill this month's empty 情况说明 and 整改措施 with last month's, metric by metric
    (matched by code); what is already typed is never overwritten. Each filled figure is
    a history record, and the unit-month's version moves, so that a form opened before
    is stale rather than silently overwriting the copy."""
    _, today = now_and_today()
    sub = _open_for_edit(unit, period, reporting_month_get(period), today)
    last = {
        f.metric.code: f
        for f in Figure.objects.filter(unit=unit, period=add_months(period, -1)).select_related("metric")
        if f.explanation.strip() or f.measures.strip()
    }
    existing = {
        f.metric_id: f for f in Figure.objects.select_for_update(of=("self",)).filter(unit=unit, period=period).order_by("pk")
    }
    count = 0
    for metric in Metric.objects.filter(plan__year=period.year, assignments__unit=unit, code__in=list(last)):
        source = last[metric.code]
        f = existing.get(metric.pk) or Figure(unit=unit, metric=metric, period=period)
        filled = [n for n in NOTES if not getattr(f, n).strip() and getattr(source, n).strip()]
        if not filled:
            continue
        for name in filled:
            setattr(f, name, getattr(source, name))
        count += len(filled)
        f.entered_by = user
        f._change_reason = "复制上月情况说明/整改措施"
        f._history_user = user
        f.save()
    if count:
        _bump(sub, user, "复制上月情况说明/整改措施")
    return NotesCopied(sub, count)


def _entry_url(sub) -> str:
    return reverse("indicators:entry", args=[sub.unit.code, f"{sub.period:%Y-%m}"])


def _notify_submitted(sub, user):
    who = user.first_name or user.username
    if sub.unit.needs_approval:
        notify(
            users=users_with_role(Membership.Role.APPROVER, sub.unit),
            text=f"{sub.unit.name}{sub.period:%Y年%-m月}数据已由{who}提交,请审核。",
            url=_entry_url(sub),
        )
    else:
        notify(users=office_users(), text=f"{sub.unit.name}{sub.period:%Y年%-m月}数据已由{who}提交,请审核。", url=_entry_url(sub))


def _reporters_of(sub):
    return [*users_with_role(Membership.Role.REPORTER, sub.unit), sub.submitted_by]


@transaction.atomic
def correction_request(*, unit: Unit, period, user, reason: str):
    """A unit asks to change a month it can no longer edit (accepted, or past lock date)."""

    reason = clean_text(reason).strip()  # whatever form it came from (bulk steps too)
    if not reason:
        raise WorkflowError("请填写更正理由。")
    _, today = now_and_today()
    month = reporting_month_get(period)
    sub = Submission.objects.filter(unit=unit, period=period).first()
    state, reopened = (sub.state, sub.reopened) if sub else (Submission.State.DRAFT, False)
    if not can_request_correction(state=state, reopened=reopened, today=today, lock_date=month.lock_date):
        raise WorkflowError("本月数据仍可直接修改或正在审核中,无需申请更正。")
    if CorrectionRequest.objects.filter(unit=unit, period=period, state=CorrectionRequest.State.PENDING).exists():
        raise WorkflowError("本单位本月已有一份待审批的更正申请,请等待市优化办审批。")
    req = CorrectionRequest(unit=unit, period=period, reason=reason, requested_by=user)
    req.full_clean()
    req.save()
    notify(
        users=office_users(),
        text=f"{unit.name}申请更正{period:%Y年%-m月}数据,理由:{reason}",
        url=reverse("indicators:corrections"),
    )
    return req


@transaction.atomic
def correction_decide(*, request_id: int, user, approve: bool, note: str = ""):
    """The office approves (the unit-month reopens for the unit's reporters, recorded in
    the submission's history) or refuses a pending correction request."""
    req = CorrectionRequest.objects.select_for_update(of=("self",)).select_related("unit").filter(pk=request_id).first()
    if req is None or req.state != CorrectionRequest.State.PENDING:
        raise WorkflowError("该更正申请不存在或已审批。")
    now, _ = now_and_today()
    req.state = CorrectionRequest.State.APPROVED if approve else CorrectionRequest.State.REFUSED
    req.decided_by, req.decided_at, req.decision_note = user, now, clean_text(note).strip()
    req._history_user = user
    req.save()
    sub = submission_for_update(req.unit, req.period)
    if approve:
        sub.reopened = True
        sub.state = Submission.State.RETURNED
        sub.returned_at, sub.returned_by = now, user
        sub.returned_reason = f"更正申请已批准(理由:{req.reason}),请修改后重新提交。"
        _step_save(sub, user, f"批准更正:{req.reason}")
    verdict = "已批准,表单已重新开放,请修改后重新提交" if approve else "未获批准"
    text = f"{req.unit.name}{req.period:%Y年%-m月}的更正申请{verdict}。"
    if req.decision_note:
        text += f"意见:{req.decision_note}"
    notify(users=[req.requested_by], text=text, url=_entry_url(sub))
    return req
