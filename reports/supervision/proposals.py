"""The rules' proposals (督办, 挂牌督办, 约谈, 销号) and the plan file's rules behind them:
the product proposes, the office confirms (raising, upgrading or closing the order) or
dismisses with a reason. Nothing is raised without a person."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from actions import access, clock
from actions.models import Plan
from reports.supervision import deliverables, selectors
from reports.supervision.models import OrderProposal, ProposalRule, SupervisionEvent, SupervisionOrder, SupervisionSettings
from reports.supervision.rules import Proposal, propose_for_deliverable, propose_for_order, propose_for_red
from reports.supervision.services import Action, order_close, order_raise, reason_required


# -- proposals -----------------------------------------------------------------------------
def proposals_refresh(*, plan: Plan, period: date, today: date | None = None) -> int:
    """Write the rules' proposals for `period` (pending until the office decides). A
    proposal once decided stays decided: the same one is not made again."""
    today = today or clock.today()
    rules = set(ProposalRule.objects.filter(plan=plan).values_list("when", "propose"))
    t = SupervisionSettings.current().thresholds(rules)
    made = []
    for cell in selectors.red_list(plan=plan, period=period, today=today):
        kind = propose_for_red(cell.red_months, t)
        if kind is None or (
            cell.open_order and (kind != Proposal.LISTED or cell.open_order.level == SupervisionOrder.Level.LISTED)
        ):
            continue
        made.append(
            OrderProposal(
                kind=kind.value,
                unit=cell.row.unit,
                metric=cell.row.metric,
                period=period,
                run=cell.red_months,
                order=cell.open_order,
            )
        )
    greens = selectors.status_runs(plan=plan, period=period, wanted="green")
    for o in SupervisionOrder.objects.filter(stage__in=selectors.OPEN_STAGES).select_related("unit", "metric"):
        g = greens.get((o.metric_id, o.unit_id), 0) if o.metric_id else 0
        kind = propose_for_order(stage=o.stage, due=o.due, today=today, green_months=g, t=t)
        if kind is not None:
            made.append(OrderProposal(kind=kind.value, unit=o.unit, metric=o.metric, period=period, run=g, order=o))
    for item in deliverables.late_items(plan=plan, period=period, today=today) if t.deliverable_supervise else ():
        if propose_for_deliverable(late=True, has_open_order=item.open_order is not None, t=t) is not None:
            made.append(OrderProposal(kind=Proposal.SUPERVISE.value, unit=item.unit, deliverable=item.deliverable, period=period))
    before = OrderProposal.objects.count()
    OrderProposal.objects.bulk_create(made, ignore_conflicts=True)  # one per kind, target and month
    return OrderProposal.objects.count() - before


@transaction.atomic
def proposal_dismiss(*, proposal: OrderProposal, user, reason: str) -> None:
    if not access.can_manage_orders(user):
        raise ValidationError("只有市优化办可以处理督办建议。")
    reason = reason_required(reason, "驳回理由")
    if not OrderProposal.objects.filter(pk=proposal.pk, state=OrderProposal.State.PENDING).update(
        state=OrderProposal.State.DISMISSED, reason=reason, decided_by=user, decided_at=clock.now()
    ):
        raise ValidationError("该建议已被处理,请刷新页面。")


@transaction.atomic
def proposal_confirm(*, proposal: OrderProposal, user, due: date, required: str, note: str = "", today: date | None = None):
    """The office confirms: a 督办/挂牌督办 proposal raises the order (an open 督办 on the
    same target is raised to 挂牌督办); a 约谈 is recorded on the order; a 销号 closes it."""
    if not access.can_manage_orders(user):
        raise ValidationError("只有市优化办可以处理督办建议。")
    if not OrderProposal.objects.filter(pk=proposal.pk, state=OrderProposal.State.PENDING).update(
        state=OrderProposal.State.CONFIRMED, reason=note.strip(), decided_by=user, decided_at=clock.now()
    ):
        raise ValidationError("该建议已被处理,请刷新页面。")
    kind = Proposal(proposal.kind)
    order = proposal.order
    if kind in (Proposal.SUPERVISE, Proposal.LISTED):
        level = SupervisionOrder.Level.LISTED if kind == Proposal.LISTED else SupervisionOrder.Level.SUPERVISE
        if order is not None:  # an open 督办 becomes 挂牌督办: the change is in the history
            SupervisionOrder.objects.filter(pk=order.pk).update(level=level, version=F("version") + 1)
            SupervisionEvent.objects.create(
                order=order,
                action=Action.ESCALATED,
                level_from=order.level,
                level_to=level,
                by=user,
                at=clock.now(),
                note="升级为挂牌督办",
            )
            order.refresh_from_db()
            return order
        if proposal.deliverable_id:  # a deliverable 滞后: the order names it
            d = proposal.deliverable
            raise_kwargs = {"plan": d.plan, "deliverable": d}
            raiser = deliverables.deliverable_order_raise
        else:
            cell = selectors.red_cell(
                plan=proposal.metric.plan, period=proposal.period, metric=proposal.metric, unit=proposal.unit, today=today
            )
            if cell is None:
                raise ValidationError("该目标本月已不是未达标状态。")
            raise_kwargs = {"metric": proposal.metric, "problem": cell.problem}
            raiser = order_raise
        order = raiser(
            unit=proposal.unit,
            period=proposal.period,
            required=required,
            due=due,
            level=level,
            user=user,
            today=today,
            **raise_kwargs,
        )
        OrderProposal.objects.filter(pk=proposal.pk).update(order=order)
        return order
    if kind == Proposal.CLOSE:
        return order_close(order=order, user=user, note=note or f"目标已连续 {proposal.run} 个月达标", version=order.version)
    SupervisionEvent.objects.create(
        order=order,
        action=Action.REMINDED,
        stage_from=order.stage,
        stage_to=order.stage,
        by=user,
        at=clock.now(),
        note=f"确认约谈:{note}".rstrip(":"),
    )
    return order


# -- the plan file's rules ----------------------------------------------------------------
def proposal_rules_sync(*, plan: Plan, spec, counts) -> None:
    """Keep the plan's proposal rules as its file lists them (load_plan's hook, in its
    transaction): missing ones added, ones no longer listed removed, order kept."""
    wanted = [(r["when"], r["propose"]) for r in spec.supervision]
    for stale in ProposalRule.objects.filter(plan=plan):
        if (stale.when, stale.propose) not in wanted:
            stale.delete()
            counts[("督办建议规则", "deleted")] += 1
    for i, (when, propose) in enumerate(wanted):
        rule, created = ProposalRule.objects.get_or_create(plan=plan, when=when, propose=propose, defaults={"sort_order": i})
        if created:
            counts[("督办建议规则", "created")] += 1
        elif rule.sort_order != i:
            ProposalRule.objects.filter(pk=rule.pk).update(sort_order=i)
            counts[("督办建议规则", "updated")] += 1
        else:
            counts[("督办建议规则", "unchanged")] += 1
