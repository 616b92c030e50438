"""督查督办 on the task ledger: the deliverables 滞后 in a month for each unit that has not
done them (from indicators.ledger's states, the same the ledger pages show), the problem
sentence prefilled from those facts, raising an order on one (the office), and the links
the ledger pages show beside a late item (registered as indicators.ledger.links' hook:
indicators never imports reports)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.urls import reverse

from actions import access, clock
from actions.models import Plan, Unit
from indicators.ledger.models import Deliverable, DeliverableReport
from indicators.ledger.selectors import ledger_summary
from indicators.rules.ledger import REPORTED_LABELS, LedgerState, Reported, effective_due
from indicators.rules.periods import format_month
from reports.supervision import selectors
from reports.supervision.models import SupervisionOrder, quoted
from reports.supervision.services import order_raise


@dataclass
class LateItem:
    """One unit's deliverable 滞后 in a month, with the order still open on it, if any."""

    deliverable: Deliverable
    unit: Unit
    period: date
    latest: DeliverableReport | None
    problem: str
    open_order: SupervisionOrder | None = None

    @property
    def key(self) -> tuple[int, int]:
        return (self.deliverable.pk, self.unit.pk)


def _cn(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def deliverable_problem(deliverable: Deliverable, unit: Unit, latest: DeliverableReport | None, as_of: date, year: int) -> str:
    """The problem in one sentence from the ledger's facts: the deliverable and its task,
    the unit's part, the due date, the unit's latest reported state and the date."""
    task = deliverable.task
    role = "责任单位" if deliverable.lead_unit_id == unit.pk else "配合单位"
    if deliverable.due:
        due = f"完成时限为{_cn(deliverable.due)}"
    else:
        due = f"方案未明确完成时限,按{_cn(effective_due(None, year))}评判"
    if latest is None:
        state = "未报送进展"
    elif latest.state == Reported.IN_PROGRESS:
        state = f"仍为“{REPORTED_LABELS[Reported.IN_PROGRESS]}”,尚未完成"
    else:
        state = f"仍为“{REPORTED_LABELS[Reported(latest.state)]}”"
    return (
        f"{unit.name}作为{role}承担的任务{task.area.number}.{task.number}成果事项{quoted(deliverable.name)}{due},"
        f"截至{_cn(as_of)}{state},已滞后。"
    )


def late_items(*, plan: Plan, period: date, today: date | None = None, unit: Unit | None = None) -> list[LateItem]:
    """Every (deliverable, unit) 滞后 in `period` (a unit's only, when given), in the
    plan's order, with the prefilled problem and the order still open on it."""
    today = today or clock.today()
    summary = ledger_summary(plan=plan, period=period, today=today)
    open_orders = {
        (o.deliverable_id, o.unit_id): o
        for o in SupervisionOrder.objects.filter(deliverable__plan=plan, stage__in=selectors.OPEN_STAGES).order_by("number")
    }
    items = []
    for row in summary.overdue:
        for u, state, last in row.units:
            if state != LedgerState.OVERDUE or (unit is not None and u.pk != unit.pk):
                continue
            problem = deliverable_problem(row.deliverable, u, last, summary.as_of, plan.year)
            items.append(LateItem(row.deliverable, u, period, last, problem, open_orders.get((row.deliverable.pk, u.pk))))
    return items


def late_item(*, plan: Plan, period: date, deliverable: Deliverable, unit: Unit, today: date | None = None) -> LateItem | None:
    return next(
        (i for i in late_items(plan=plan, period=period, today=today, unit=unit) if i.deliverable.pk == deliverable.pk), None
    )


def deliverable_order_raise(
    *,
    plan: Plan,
    period: date,
    deliverable: Deliverable,
    unit: Unit,
    required: str,
    due: date,
    level: str,
    user,
    problem: str = "",
    today: date | None = None,
) -> SupervisionOrder:
    """Raise an order on a deliverable 滞后 for `unit` in `period` (the office); the
    problem is the prefilled sentence unless the office rewrote it."""
    if not access.can_manage_orders(user):
        raise ValidationError("只有市优化办可以交办督办单。")
    item = late_item(plan=plan, period=period, deliverable=deliverable, unit=unit, today=today)
    if item is None:
        raise ValidationError(
            f"{unit.name}的成果事项{quoted(deliverable.name)}{format_month(period)}不是滞后状态,不能交办督办单。"
        )
    return order_raise(
        unit=unit,
        deliverable=deliverable,
        period=period,
        problem=(problem or "").strip() or item.problem,
        required=required,
        due=due,
        level=level,
        user=user,
        today=today,
    )


def late_item_links(*, user, period: date, items: list[tuple]) -> dict[tuple[int, int], list[tuple[str, str]]]:
    """What the ledger pages show beside each late (deliverable, unit): the open order on
    it to those who may see it, else 督办 (raise one) to the office."""
    if not items:
        return {}
    manage = access.can_manage_orders(user)
    orders = (
        selectors.orders_visible(user)
        .filter(deliverable__in={d.pk for d, _ in items}, stage__in=selectors.OPEN_STAGES)
        .order_by("number")
    )
    open_orders = {(o.deliverable_id, o.unit_id): o for o in orders}
    out = {}
    for d, u in items:
        o = open_orders.get((d.pk, u.pk))
        if o is not None:
            out[(d.pk, u.pk)] = [(o.number_text, reverse("reports:supervision-detail", args=[o.pk]))]
        elif manage:
            url = reverse("reports:supervision-raise-deliverable", args=[d.pk, u.code])
            out[(d.pk, u.pk)] = [("督办", f"{url}?period={format_month(period)}")]
    return out
