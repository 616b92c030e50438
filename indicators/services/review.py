"""The review of a unit-month's submission: the unit approver's approval, the office's
acceptance or return, one by one or in bulk (all or nothing)."""

from __future__ import annotations

from django.db import transaction

from actions.models import Membership, Unit
from actions.services import notifications_clear, notify, office_users, users_with_role
from actions.text import clean_text
from indicators.models import Submission
from indicators.services.workflow import WorkflowError, _entry_url, _reporters_of, _step_save, corrections_announce, now_and_today


def _requests_done(sub):
    """The request to review this submission is answered: it leaves the unread list of
    everyone it was sent to (the unit's approvers and the office). Called before the
    step notifies the next reviewer, whose new notice stays."""
    reviewers = [*office_users(), *users_with_role(Membership.Role.APPROVER, sub.unit)]
    notifications_clear(users=reviewers, url=_entry_url(sub))


def _locked_submission(unit: Unit, period):
    sub = Submission.objects.select_for_update(of=("self",)).filter(unit=unit, period=period).first()
    if sub is None:
        raise WorkflowError("该单位本月尚未填报。")
    return sub


@transaction.atomic
def submission_approve(*, unit: Unit, period, user):
    """The unit approver confirms a submission; it goes on to the office."""
    sub = _locked_submission(unit, period)
    if not unit.needs_approval or sub.state != Submission.State.SUBMITTED:
        raise WorkflowError(f"当前状态为“{sub.get_state_display()}”,不能审核。")
    now, _ = now_and_today()
    sub.state, sub.approved_at, sub.approved_by = Submission.State.APPROVED, now, user
    _step_save(sub, user, "单位审核通过")
    _requests_done(sub)
    notify(users=office_users(), text=f"{unit.name}{period:%Y年%-m月}数据已经单位审核,请市优化办审核。", url=_entry_url(sub))
    return sub


@transaction.atomic
def submission_accept(*, unit: Unit, period, user):
    """The office accepts a submission (after the unit's approval where it needs one)."""
    sub = _locked_submission(unit, period)
    ready = Submission.State.APPROVED if unit.needs_approval else Submission.State.SUBMITTED
    if sub.state != ready:
        raise WorkflowError(f"当前状态为“{sub.get_state_display()}”,不能采纳。")
    now, _ = now_and_today()
    corrected = sub.reopened
    sub.state, sub.accepted_at, sub.accepted_by, sub.reopened = Submission.State.ACCEPTED, now, user, False
    _step_save(sub, user, "市优化办采纳")
    _requests_done(sub)
    notify(users=_reporters_of(sub), text=f"{unit.name}{period:%Y年%-m月}数据已被市优化办采纳。", url=_entry_url(sub))
    if corrected:  # issued documents that printed the month get a draft 更正通知 (on commit)
        corrections_announce(unit_months=[(unit, period)], user=user)
    return sub


@transaction.atomic
def submission_return(*, unit: Unit, period, user, reason: str, by_office: bool):
    """Send a submission back to the reporters with a reason: the office from submitted
    or approved, the unit approver from submitted."""
    reason = clean_text(reason).strip()  # whatever form it came from (bulk steps too)
    if not reason:
        raise WorkflowError("请填写退回原因。")
    sub = _locked_submission(unit, period)
    allowed = {Submission.State.SUBMITTED, Submission.State.APPROVED} if by_office else {Submission.State.SUBMITTED}
    if sub.state not in allowed:
        raise WorkflowError(f"当前状态为“{sub.get_state_display()}”,不能退回。")
    now, _ = now_and_today()
    sub.state, sub.returned_at, sub.returned_by, sub.returned_reason = Submission.State.RETURNED, now, user, reason
    _step_save(sub, user, f"退回:{reason}")
    _requests_done(sub)
    who = "市优化办" if by_office else "单位审核人"
    notify(users=_reporters_of(sub), text=f"{unit.name}{period:%Y年%-m月}数据被{who}退回,原因:{reason}", url=_entry_url(sub))
    return sub


def _units_for_bulk(unit_ids) -> list[Unit]:
    ids = list(dict.fromkeys(unit_ids))
    if not ids:
        raise WorkflowError("请先勾选要处理的单位。")
    units = list(Unit.objects.filter(pk__in=ids).order_by("sort_order", "code"))
    if len(units) != len(ids):
        raise WorkflowError(f"所选单位中有 {len(ids) - len(units)} 个不存在,未做任何处理。请刷新页面后重新勾选。")
    return units


def _each_or_nothing(units: list[Unit], step) -> list:
    """Take one workflow step for every unit, or for none: every unit that cannot take
    it is named in one message, and the steps already taken are rolled back."""
    done, refused = [], []
    for unit in units:
        try:
            with transaction.atomic():
                done.append(step(unit))
        except WorkflowError as exc:
            refused.append(f"{unit.name}:{exc}")
    if refused:
        raise WorkflowError(f"有 {len(refused)} 个单位不能处理,全部未做改动:" + ";".join(refused))
    return done


@transaction.atomic
def submissions_accept_bulk(*, unit_ids, period, user) -> list:
    """The office accepts several unit-months at once, each with the checks of
    `submission_accept`; all or nothing."""
    units = _units_for_bulk(unit_ids)
    return _each_or_nothing(units, lambda unit: submission_accept(unit=unit, period=period, user=user))


@transaction.atomic
def submissions_return_bulk(*, unit_ids, period, user, reason: str) -> list:
    """The office returns several unit-months with one reason, each with the checks of
    `submission_return`; all or nothing."""
    if not (reason or "").strip():
        raise WorkflowError("请填写退回原因。")
    units = _units_for_bulk(unit_ids)
    return _each_or_nothing(
        units, lambda unit: submission_return(unit=unit, period=period, user=user, reason=reason, by_office=True)
    )
