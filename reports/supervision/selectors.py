"""Reads of 督查督办: the month's red list with each target's red run (from the stored
status rows), the problem sentence, the orders a user may see, overdue orders for the
homes, and the counts the documents print."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch
from django.utils import timezone

from actions import access
from actions.models import Plan, Unit
from indicators.models import Metric, TargetStatus
from indicators.rules.periods import add_months, months_of_year
from indicators.rules.types import Status
from indicators.selectors import StatusRow, status_board
from reports.selectors.common import row_value_text
from reports.supervision.models import (
    STAGE_CHOICES,
    Finding,
    OrderProposal,
    ProposalRule,
    SupervisionAnswer,
    SupervisionEvent,
    SupervisionOrder,
)
from reports.supervision.rules import (
    AWAITING_UNIT,
    OrderState,
    Stage,
    level_as_of,
    run_length,
    stage_as_of,
    state_as_of,
)

OPEN_STAGES = [s.value for s in Stage if s != Stage.CLOSED]


def status_runs(*, plan: Plan, period: date, wanted: str) -> dict[tuple[int, int], int]:
    """(metric id, unit id) → months running up to `period` whose stored status was
    `wanted`, over the year's months (one query)."""
    months = months_of_year(period.year, through=period)
    by_key: dict[tuple[int, int], dict[date, str]] = defaultdict(dict)
    rows = TargetStatus.objects.filter(metric__plan=plan, unit__isnull=False, period__in=months)
    for metric_id, unit_id, p, status in rows.values_list("metric_id", "unit_id", "period", "status"):
        by_key[(metric_id, unit_id)][p] = status
    newest_first = list(reversed(months))
    return {key: run_length([seen.get(p) for p in newest_first], wanted) for key, seen in by_key.items()}


def problem_sentence(row: StatusRow, period: date, red_months: int) -> str:
    """The problem in one sentence, from the stored facts: the value, the target and the
    months red running."""
    run = f"已连续 {red_months} 个月未达标" if red_months > 1 else "未达标"
    name = row.metric.name if "“" in row.metric.name else f"“{row.metric.name}”"
    return f"{row.unit.name}{name}{period.year}年{period.month}月为 {row_value_text(row)},目标{row.metric.target_text()},{run}。"


@dataclass
class RedCell:
    row: StatusRow
    red_months: int
    problem: str
    open_order: SupervisionOrder | None = None

    @property
    def key(self) -> str:
        return f"{self.row.metric.pk}:{self.row.unit.pk}"


def red_list(*, plan: Plan, period: date, today: date | None = None, unit: Unit | None = None) -> list[RedCell]:
    """The month's red unit cells (a unit's only, when given), each with its red run, the
    prefilled problem and the order still open on it, if any."""
    board = status_board(plan=plan, period=period, today=today, unit=unit)
    runs = status_runs(plan=plan, period=period, wanted=Status.RED.value)
    open_orders = {
        (o.metric_id, o.unit_id): o
        for o in SupervisionOrder.objects.filter(metric__plan=plan, stage__in=OPEN_STAGES).order_by("number")
    }
    cells = []
    for row in board.unit_rows:
        if row.status != Status.RED or (unit is not None and row.unit.pk != unit.pk):
            continue
        n = max(runs.get((row.metric.pk, row.unit.pk), 0), 1)
        cells.append(RedCell(row, n, problem_sentence(row, period, n), open_orders.get((row.metric.pk, row.unit.pk))))
    cells.sort(key=lambda c: (-c.red_months, c.row.unit.sort_order, c.row.metric.sort_order))
    return cells


def red_cell(*, plan: Plan, period: date, metric: Metric, unit: Unit, today: date | None = None) -> RedCell | None:
    return next((c for c in red_list(plan=plan, period=period, today=today, unit=unit) if c.row.metric.pk == metric.pk), None)


def orders_visible(user):
    """The orders `user` may see, with what their rows show (none when they may see none)."""
    q = access.orders_filter(user)
    qs = SupervisionOrder.objects.select_related(
        "unit", "metric__indicator__lead_unit", "deliverable__task__lead_indicator", "raised_by"
    )
    return qs.none() if q is None else qs.filter(q)


def order_detail(pk: int):
    return (
        SupervisionOrder.objects.select_related(
            "unit",
            "metric__indicator__lead_unit",
            "deliverable__task__area",
            "deliverable__task__lead_indicator",
            "raised_by",
            "finding",
        )
        .prefetch_related(
            Prefetch(
                "answers",
                SupervisionAnswer.objects.select_related("submitted_by").prefetch_related("evidence").order_by("submitted_at"),
            ),
            "events__by",
        )
        .get(pk=pk)
    )


RETURN_ACTIONS = {"returned", "lead_returned", "unit_returned"}


def last_return(order: SupervisionOrder):
    """The step that returned the answer (who, when, why), from the prefetched history."""
    return next((e for e in reversed(list(order.events.all())) if e.action in RETURN_ACTIONS), None)


def overdue_orders(*, user, today: date, limit: int | None = None) -> list[SupervisionOrder]:
    """The orders `user` may see that are 逾期 today, longest overdue first. Which ones
    is asked first without the rows' joins: planning the seven joins costs PostgreSQL
    some 6 ms, even with no order at all (the leader's home asks on every visit)."""
    stages = [s.value for s in AWAITING_UNIT | {Stage.APPROVING}]
    overdue = orders_visible(user).filter(stage__in=stages, due__lt=today).order_by("due", "number")
    ids = list((overdue[:limit] if limit else overdue).values_list("pk", flat=True))  # values: no select_related joins
    return list(orders_visible(user).filter(pk__in=ids).order_by("due", "number")) if ids else []


def open_order_count(*, user) -> int:
    return orders_visible(user).filter(stage__in=OPEN_STAGES).count()


def rule_lines(plan: Plan | None, settings) -> list[str]:
    """The plan file's rules with the office's thresholds, as the proposals page says them."""
    if plan is None:
        return []
    words = {
        ("red_months", "supervise"): f"连续 {settings.red_supervise} 个月未达标 → 建议督办",
        ("red_months", "listed"): f"连续 {settings.red_listed} 个月未达标 → 建议挂牌督办",
        ("order_overdue", "interview"): "督办逾期未答复 → 建议约谈" + ("" if settings.overdue_interview else "(已停用)"),
        ("green_months", "close"): f"督办事项目标连续 {settings.green_close} 个月达标 → 建议销号",
        ("deliverable_overdue", "supervise"): "任务台账成果事项滞后 → 建议督办"
        + ("" if settings.deliverable_supervise else "(已停用)"),
    }
    rules = ProposalRule.objects.filter(plan=plan).values_list("when", "propose")
    return [words[r] for r in rules if r in words]


def pending_proposals():
    return OrderProposal.objects.filter(state=OrderProposal.State.PENDING).select_related(
        "unit", "metric", "deliverable", "order"
    )


def findings_open():
    return Finding.objects.filter(state=Finding.State.OPEN).select_related("unit")


def order_history(order: SupervisionOrder) -> list[tuple[date, str]]:
    """(day, stage moved to) of each step of `order`, oldest first, from its prefetched
    events (`history_prefetch`). An order without recorded steps (made outside the
    services) stands at its stored stage from the day it was raised."""
    steps = [(timezone.localdate(e.at), e.stage_to) for e in order.events.all()]
    return steps or [(timezone.localdate(order.raised_at), order.stage)]


def level_changes(order: SupervisionOrder) -> list[tuple[date, str, str]]:
    """(day, old level, new level) of each change of `order`'s level, oldest first, from
    its prefetched events (`history_prefetch`)."""
    return [(timezone.localdate(e.at), e.level_from, e.level_to) for e in order.events.all() if e.level_from and e.level_to]


def history_prefetch() -> Prefetch:
    fields = ("order", "at", "stage_to", "level_from", "level_to")
    return Prefetch("events", SupervisionEvent.objects.only(*fields).order_by("at", "pk"))


STAGE_LABELS = dict(STAGE_CHOICES)
LEVEL_LABELS = dict(SupervisionOrder.Level.choices)


@dataclass
class Tally:
    """Open / overdue / 销号 counts of one unit or indicator."""

    name: str
    open: int = 0
    overdue: int = 0
    closed: int = 0


@dataclass
class SupervisionSummary:
    """What the documents print: the orders raised on the period's months (from their
    red lists, or on findings received in them), the answers still awaited and the
    overdue ones as of the build day; open / overdue / 销号 by unit and by indicator;
    the findings of the period by source."""

    months: list[date]
    as_of: date
    new: list[SupervisionOrder] = field(default_factory=list)
    awaited: list[SupervisionOrder] = field(default_factory=list)
    overdue: list[SupervisionOrder] = field(default_factory=list)
    by_unit: list[Tally] = field(default_factory=list)
    by_indicator: list[Tally] = field(default_factory=list)
    findings_by_source: list[tuple[str, int]] = field(default_factory=list)

    @property
    def overdue_listed(self) -> list[SupervisionOrder]:
        return [o for o in self.overdue if o.level_then == SupervisionOrder.Level.LISTED]


def supervision_summary(*, months: list[date], as_of: date) -> SupervisionSummary:
    """The documents' numbers, from the same stored orders and the same state rule as the
    pages, each order judged as it stood on `as_of` (the document's date) from its
    history: an order raised later is not there, one closed later is still open, and a
    document built again later says the same. Each listed order carries `stage_then`
    (its stage's label on that day), `level_then` and `level_then_label` (its level on
    that day: an order raised to 挂牌督办 later is still 督办 there)."""
    end = add_months(months[-1], 1)
    orders = (
        SupervisionOrder.objects.select_related("unit", "metric__indicator", "finding", "deliverable")
        .prefetch_related(history_prefetch())
        .order_by("unit__sort_order", "unit__code", "number")
    )
    out = SupervisionSummary(months, as_of)
    units: dict[int, Tally] = {}
    indicators: dict[int, Tally] = {}
    for o in orders:
        history = order_history(o)
        state = state_as_of(history, o.due, as_of)
        if state is None:  # raised after the document's date
            continue
        o.stage_then = STAGE_LABELS[stage_as_of(history, as_of).value]
        o.level_then = level_as_of(o.level, level_changes(o), as_of)
        o.level_then_label = LEVEL_LABELS[o.level_then]
        about = o.period if o.period else (o.finding.received if o.finding_id else o.raised_at.date())
        if months[0] <= about < end:
            out.new.append(o)
        if state in (OrderState.PENDING, OrderState.RETURNED):
            out.awaited.append(o)
        if state == OrderState.OVERDUE:
            out.overdue.append(o)
        tallies = [units.setdefault(o.unit_id, Tally(o.unit.name))]
        if o.metric_id:
            tallies.append(indicators.setdefault(o.metric.indicator_id, Tally(o.metric.indicator.name)))
        for t in tallies:
            t.closed += state == OrderState.CLOSED
            t.open += state != OrderState.CLOSED
            t.overdue += state == OrderState.OVERDUE
    out.overdue.sort(key=lambda o: (o.due, o.number))
    out.by_unit, out.by_indicator = list(units.values()), list(indicators.values())
    counts: dict[str, int] = defaultdict(int)
    for f in Finding.objects.filter(received__gte=months[0], received__lt=end):
        counts[f.get_source_display()] += 1
    out.findings_by_source = sorted(counts.items(), key=lambda kv: -kv[1])
    return out
