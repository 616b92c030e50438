"""Writes of 督查督办: raise an order (one or a batch), answer it with evidence, the
unit's approval, the lead department's review, 销号 or return, findings, proposals and
overdue reminders. Every step is a conditional update of the order's stage and version
plus one history row with who, when and why; a step someone else took first changes
nothing and says so."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from actions import access, clock
from actions.evidence import MAX_FILES_PER_ANSWER, CheckedFile
from actions.models import Membership, Plan, Unit
from actions.services import notify, office_users, users_with_role
from indicators.models import Deliverable, Metric
from reports.supervision import selectors
from reports.supervision.models import (
    Evidence,
    Finding,
    OrderNumber,
    SupervisionAnswer,
    SupervisionEvent,
    SupervisionOrder,
    _evidence_path,
    quoted,
)
from reports.supervision.rules import AWAITING_UNIT, Stage, is_overdue

Role = Membership.Role
Action = SupervisionEvent.Action
RACED = "该督办单已被他人处理,请刷新页面后再试。"
REMINDER_NOTE = "逾期"  # the history note of an overdue reminder ("逾期 3 天")


def _url(order: SupervisionOrder) -> str:
    return reverse("reports:supervision-detail", args=[order.pk])


def answerers(unit: Unit) -> list:
    """Who can act on an unanswered order: the unit's reporters (and its lead users)."""
    return users_with_role(Role.REPORTER, unit) + users_with_role(Role.LEAD, unit)


def _next_number(year: int) -> int:
    """The year's next number with the sequence row locked until the order commits."""
    OrderNumber.objects.get_or_create(year=year)
    seq = OrderNumber.objects.select_for_update().get(year=year)
    seq.last += 1
    seq.save(update_fields=["last"])
    return seq.last


@transaction.atomic
def order_raise(
    *,
    unit: Unit,
    problem: str,
    required: str,
    due: date,
    user,
    level: str = SupervisionOrder.Level.SUPERVISE,
    metric: Metric | None = None,
    period: date | None = None,
    finding: Finding | None = None,
    deliverable: Deliverable | None = None,
    today: date | None = None,
) -> SupervisionOrder:
    """Raise one order (the office); numbered in the year it is raised. One open order at a
    time on a unit's target or deliverable."""
    if not access.can_manage_orders(user):
        raise ValidationError("只有市优化办可以交办督办单。")
    today = today or clock.today()
    if due < today:
        raise ValidationError("答复期限不能早于今天。")
    open_orders = SupervisionOrder.objects.filter(unit=unit, stage__in=selectors.OPEN_STAGES)
    if metric is not None and open_orders.filter(metric=metric).exists():
        raise ValidationError(f"{unit.name}“{metric.name}”已有未销号的督办单,不重复交办。")
    if deliverable is not None and open_orders.filter(deliverable=deliverable).exists():
        raise ValidationError(f"{unit.name}成果事项{quoted(deliverable.name)}已有未销号的督办单,不重复交办。")
    now = clock.now()
    order = SupervisionOrder(
        year=today.year,
        number=0,
        unit=unit,
        metric=metric,
        period=period,
        finding=finding,
        deliverable=deliverable,
        problem=problem.strip(),
        required=required.strip(),
        due=due,
        level=level,
        raised_by=user,
        raised_at=now,
    )
    order.full_clean(exclude=["number"])
    order.number = _next_number(today.year)
    order.save()
    SupervisionEvent.objects.create(
        order=order, action=Action.RAISED, stage_to=Stage.OPEN.value, level_to=level, by=user, at=now, note=order.problem
    )
    if finding is not None:
        Finding.objects.filter(pk=finding.pk).update(state=Finding.State.ORDERED)
    notify(
        users=answerers(unit),
        text=f"{order.number_text}:{order.get_level_display()}“{order.problem[:60]}”,请于{due:%Y年%-m月%-d日}前答复。",
        url=_url(order),
    )
    return order


def orders_raise_batch(
    *, plan: Plan, period: date, keys: list[str], required: str, due: date, level: str, user, today: date | None = None
) -> list[SupervisionOrder]:
    """Raise orders for the chosen cells of the month's red list ("metric:unit" keys), all
    or none; the problem of each is prefilled from the stored facts."""
    cells = {c.key: c for c in selectors.red_list(plan=plan, period=period, today=today)}
    unknown = [k for k in keys if k not in cells]
    if unknown or not keys:
        raise ValidationError(
            "请从本月未达标清单中选择要督办的目标。" if not keys else "所选目标已不在本月未达标清单中,请刷新后重试。"
        )
    with transaction.atomic():
        return [
            order_raise(
                unit=cells[k].row.unit,
                metric=cells[k].row.metric,
                period=period,
                problem=cells[k].problem,
                required=required,
                due=due,
                level=level,
                user=user,
                today=today,
            )
            for k in keys
        ]


def _step(
    order: SupervisionOrder, *, user, action: str, frm: set[Stage], to: Stage, note: str = "", version: int | None = None, **extra
):
    """Move `order` from one of `frm` to `to` if nobody moved it first; record the step."""
    now = clock.now()
    qs = SupervisionOrder.objects.filter(pk=order.pk, stage__in=[s.value for s in frm])
    if version is not None:
        qs = qs.filter(version=version)
    if not qs.update(stage=to.value, version=F("version") + 1, **extra):
        raise ValidationError(RACED)
    SupervisionEvent.objects.create(
        order=order, action=action, stage_from=order.stage, stage_to=to.value, note=note, by=user, at=now
    )
    order.refresh_from_db()
    return order


@transaction.atomic
def order_answer(
    *, order: SupervisionOrder, user, measures: str, progress: str, expected_done: date, files: list[CheckedFile], version: int
) -> SupervisionAnswer:
    """The unit's answer with its evidence; then to the unit's approver (when the unit has
    approval steps), else to the lead department (orders on a target or a deliverable),
    else the office."""
    if not access.can_answer_order(user, order):
        raise ValidationError("您无权答复此督办单。")
    if len(files) > MAX_FILES_PER_ANSWER:
        raise ValidationError(f"每次答复最多上传 {MAX_FILES_PER_ANSWER} 个佐证材料。")
    if order.unit.needs_approval:
        to = Stage.APPROVING
    elif order.lead_unit_pk:
        to = Stage.REVIEWING
    else:
        to = Stage.ANSWERED
    _step(order, user=user, action=Action.ANSWERED, frm=AWAITING_UNIT, to=to, note=measures[:200], version=version)
    answer = SupervisionAnswer(
        order=order,
        measures=measures.strip(),
        progress=progress.strip(),
        expected_done=expected_done,
        submitted_by=user,
        submitted_at=clock.now(),
    )
    answer.full_clean()
    answer.save()
    for f in files:
        evidence_store(f, user=user, answer=answer)
    _notify_stage(order)
    return answer


def evidence_store(f: CheckedFile, *, user, answer=None, finding=None) -> Evidence:
    """One evidence row; the bytes are written once per content (the path is the hash),
    so the same file uploaded twice is stored once."""
    ev = Evidence(
        answer=answer, finding=finding, name=f.name, extension=f.extension, size=f.size, sha256=f.sha256, uploaded_by=user
    )
    path = _evidence_path(ev, "")
    if default_storage.exists(path):
        ev.file.name = path
    else:
        ev.file.save(path.rsplit("/", 1)[-1], ContentFile(f.data), save=False)
    ev.save()
    return ev


def _notify_stage(order: SupervisionOrder) -> None:
    """Tell those who can act on the order's new stage (and only them)."""
    text = {
        Stage.APPROVING: f"{order.number_text}已答复,请单位审核人审核。",
        Stage.REVIEWING: f"{order.number_text}({order.unit.name})已答复,请指标长审核。",
        Stage.ANSWERED: f"{order.number_text}({order.unit.name})已答复,请市优化办审核销号。",
        Stage.RETURNED: f"{order.number_text}的答复被退回,请修改后重新答复。",
        Stage.CLOSED: f"{order.number_text}已销号。",
    }[Stage(order.stage)]
    if order.stage == Stage.APPROVING:
        users = users_with_role(Role.APPROVER, order.unit)
    elif order.stage == Stage.REVIEWING:
        users = users_with_role(Role.LEAD, Unit.objects.get(pk=order.lead_unit_pk))
    elif order.stage == Stage.ANSWERED:
        users = office_users()
    else:
        users = answerers(order.unit)
    notify(users=users, text=text, url=_url(order))


def reason_required(reason: str, what: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(f"请填写{what}。")
    return reason


@transaction.atomic
def order_approve(*, order: SupervisionOrder, user, approve: bool, note: str = "", version: int) -> SupervisionOrder:
    """The unit's approver signs the answer off, or sends it back to the reporter."""
    if not access.can_approve_order_answer(user, order):
        raise ValidationError("您无权审核此答复。")
    if approve:
        to = Stage.REVIEWING if order.lead_unit_pk else Stage.ANSWERED
        _step(order, user=user, action=Action.APPROVED, frm={Stage.APPROVING}, to=to, note=note, version=version)
    else:
        _step(
            order,
            user=user,
            action=Action.UNIT_RETURNED,
            frm={Stage.APPROVING},
            to=Stage.RETURNED,
            note=reason_required(note, "退回原因"),
            version=version,
        )
    _notify_stage(order)
    return order


@transaction.atomic
def order_review(*, order: SupervisionOrder, user, agree: bool, note: str = "", version: int) -> SupervisionOrder:
    """The lead department (指标长) agrees with the answer (on to the office) or returns it."""
    if not access.can_review_order(user, order):
        raise ValidationError("只有该指标的指标长(牵头单位)可以审核此答复。")
    if agree:
        _step(order, user=user, action=Action.REVIEWED, frm={Stage.REVIEWING}, to=Stage.ANSWERED, note=note, version=version)
    else:
        _step(
            order,
            user=user,
            action=Action.LEAD_RETURNED,
            frm={Stage.REVIEWING},
            to=Stage.RETURNED,
            note=reason_required(note, "退回原因"),
            version=version,
        )
    _notify_stage(order)
    return order


@transaction.atomic
def order_close(*, order: SupervisionOrder, user, note: str = "", version: int) -> SupervisionOrder:
    """销号: an answered order, or (with a reason) any open one — a target green again."""
    if not access.can_manage_orders(user):
        raise ValidationError("只有市优化办可以销号。")
    frm = {Stage.ANSWERED} if not (note or "").strip() else {s for s in Stage if s != Stage.CLOSED}
    if order.stage != Stage.ANSWERED and not (note or "").strip():
        raise ValidationError("该督办单尚未答复完毕;直接销号须填写理由。")
    _step(
        order,
        user=user,
        action=Action.CLOSED,
        frm=frm,
        to=Stage.CLOSED,
        note=note.strip(),
        version=version,
        closed_at=clock.now(),
    )
    _notify_stage(order)
    return order


@transaction.atomic
def order_return(*, order: SupervisionOrder, user, reason: str, version: int) -> SupervisionOrder:
    """The office returns an answer with a reason; the unit answers again."""
    if not access.can_manage_orders(user):
        raise ValidationError("只有市优化办可以退回答复。")
    reason = reason_required(reason, "退回原因")
    _step(
        order,
        user=user,
        action=Action.RETURNED,
        frm={Stage.ANSWERED, Stage.REVIEWING},
        to=Stage.RETURNED,
        note=reason,
        version=version,
    )
    _notify_stage(order)
    return order


# -- findings ----------------------------------------------------------------------------
def finding_record(*, source: str, received: date, unit: Unit, description: str, user, files: list[CheckedFile] = ()) -> Finding:
    if not access.can_manage_orders(user):
        raise ValidationError("只有市优化办可以录入问题线索。")
    with transaction.atomic():
        finding = Finding(source=source, received=received, unit=unit, description=description.strip(), recorded_by=user)
        finding.full_clean()
        finding.save()
        for f in files:
            evidence_store(f, user=user, finding=finding)
    return finding


def finding_close(*, finding: Finding, user, reason: str) -> Finding:
    if not access.can_manage_orders(user):
        raise ValidationError("只有市优化办可以办结问题线索。")
    reason = reason_required(reason, "办结理由")
    if not Finding.objects.filter(pk=finding.pk, state=Finding.State.OPEN).update(
        state=Finding.State.CLOSED, close_reason=reason, closed_by=user, closed_at=clock.now()
    ):
        raise ValidationError("该线索已被处理,请刷新页面。")
    finding.refresh_from_db()
    return finding


# -- reminders ---------------------------------------------------------------------------
def overdue_remind(*, today: date | None = None, user=None) -> int:
    """Remind those who can act on each overdue order (the unit's answerers, or its
    approver when the answer waits there), at most once a day per order."""
    today = today or clock.today()
    # The reminder is dated on the day it is judged for (the product's day).
    at = timezone.localtime(clock.now()).replace(year=today.year, month=today.month, day=today.day)
    stages = [s.value for s in AWAITING_UNIT | {Stage.APPROVING}]
    sent = 0
    for order in SupervisionOrder.objects.filter(stage__in=stages, due__lt=today).select_related("unit"):
        if not is_overdue(order.stage, order.due, today):
            continue
        days = (today - order.due).days
        # One reminder per order and day, whoever asked (the schedule or the office's button).
        if order.events.filter(action=Action.REMINDED, note__startswith=REMINDER_NOTE, at__date=today).exists():
            continue
        users = users_with_role(Role.APPROVER, order.unit) if order.stage == Stage.APPROVING else answerers(order.unit)
        sent += notify(users=users, text=f"{order.number_text}已逾期 {days} 天未答复,请尽快办理。", url=_url(order))
        SupervisionEvent.objects.create(
            order=order,
            action=Action.REMINDED,
            stage_from=order.stage,
            stage_to=order.stage,
            by=user,
            at=at,
            note=f"{REMINDER_NOTE} {days} 天",
        )
    return sent
