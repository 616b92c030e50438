"""Reads of the task ledger: each unit's deliverables with this month's report, a task's
deliverables with every responsible unit's state, the plan's counts per task and the
overdue deliverables (for the bulletin), and the plan file export. States come from
indicators.rules.ledger, judged at the month's end (or today, within the month)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q

from indicators.ledger.models import Deliverable, DeliverableReport
from indicators.rules.ledger import ORDER, PENDING_FIELDS, LedgerState, deliverable_state, task_state, unit_state
from indicators.rules.periods import add_months
from indicators.rules.workdays import month_end


def judged_on(period: date, today: date) -> date:
    """The date a month's states are judged at: once the month is over, the day after it
    (an item due on its last day and not done is then 滞后); within it, today."""
    return min(add_months(period, 1), today)


def as_of_text_date(period: date, today: date) -> date:
    """The date a page or document says its states stand at: the month's last day, or today."""
    return min(month_end(period), today)


def responsible_units(d: Deliverable) -> list:
    """The lead unit first, then the co-operating units in the plan's unit order."""
    co = sorted(d.co_units.all(), key=lambda u: (u.sort_order, u.code))
    return [d.lead_unit, *[u for u in co if u.pk != d.lead_unit_id]]


def _deliverables(plan, **filters):
    return (
        Deliverable.objects.filter(plan=plan, **filters)
        .select_related("task__area", "lead_unit", "plan")
        .prefetch_related("co_units")
        .order_by("sort_order")
    )


def _latest(deliverables, period: date, units=None) -> dict:
    """(deliverable_id, unit_id) → the latest report at or before `period`."""
    qs = DeliverableReport.objects.filter(deliverable__in=deliverables, period__lte=period)
    if units is not None:
        qs = qs.filter(unit__in=units)
    latest = {}
    for r in qs.prefetch_related("evidence").order_by("period"):
        latest[(r.deliverable_id, r.unit_id)] = r
    return latest


@dataclass
class UnitRow:
    deliverable: Deliverable
    role: str  # 责任单位 / 配合单位
    report: DeliverableReport | None  # this month's
    latest: DeliverableReport | None  # the latest up to this month
    state: LedgerState


def unit_ledger(*, plan, unit, period: date, today: date) -> list[UnitRow]:
    """The deliverables `unit` leads or co-operates on, with its state in `period`."""
    ds = list(_deliverables(plan).filter(Q(lead_unit=unit) | Q(co_units=unit)).distinct())
    latest = _latest(ds, period, units=[unit])
    on = judged_on(period, today)
    rows = []
    for d in ds:
        last = latest.get((d.pk, unit.pk))
        rows.append(
            UnitRow(
                deliverable=d,
                role="责任单位" if d.lead_unit_id == unit.pk else "配合单位",
                report=last if last is not None and last.period == period else None,
                latest=last,
                state=unit_state(
                    reported=last.state if last else None, due=d.due, year=plan.year, today=on, assumed=bool(d.assumed)
                ),
            )
        )
    return rows


@dataclass
class DeliverableRow:
    deliverable: Deliverable
    state: LedgerState
    units: list = field(default_factory=list)  # [(unit, LedgerState, latest report or None)]

    @property
    def pending(self) -> list[str]:
        """What of it is still 待核定 (its due date, its content), in words; [] when none."""
        return [PENDING_FIELDS[f] for f in sorted(self.deliverable.assumed)]

    @property
    def late_units(self) -> list:
        return [u for u, s, _ in self.units if s == LedgerState.OVERDUE]


def _rows(plan, ds, period: date, today: date) -> list[DeliverableRow]:
    latest = _latest(ds, period)
    on = judged_on(period, today)
    rows = []
    for d in ds:
        units = []
        assumed = bool(d.assumed)  # 待核定: never 滞后 until the office confirms it
        for u in responsible_units(d):
            last = latest.get((d.pk, u.pk))
            state = unit_state(reported=last.state if last else None, due=d.due, year=plan.year, today=on, assumed=assumed)
            units.append((u, state, last))
        reported = [last.state if last else None for _, _, last in units]
        state = deliverable_state(reported=reported, due=d.due, year=plan.year, today=on, assumed=assumed)
        rows.append(DeliverableRow(d, state, units))
    return rows


def task_ledger(*, task, period: date, today: date) -> tuple[list[DeliverableRow], LedgerState | None]:
    """A task's deliverables, each with every responsible unit's state, and the task's."""
    rows = _rows(task.plan, list(_deliverables(task.plan, task=task)), period, today)
    return rows, task_state(r.state for r in rows)


@dataclass
class TaskCount:
    task: object
    state: LedgerState | None
    counts: Counter  # LedgerState → number of deliverables

    def count(self, state: str) -> int:
        return self.counts.get(LedgerState(state), 0)


@dataclass
class LedgerSummary:
    tasks: list[TaskCount]
    overdue: list[DeliverableRow]  # past due and not done, each naming its late units
    as_of: date
    pending: list[DeliverableRow] = field(default_factory=list)  # due date or content still 待核定

    @property
    def totals(self) -> Counter:
        return sum((t.counts for t in self.tasks), Counter())

    @property
    def total(self) -> int:
        return sum(self.totals.values())


def ledger_summary(*, plan, period: date, today: date) -> LedgerSummary:
    """Per task: its deliverables counted 完成 / 推进中 / 滞后 / 未启动 and its state; and
    every overdue deliverable with the units that have not done it."""
    ds = list(_deliverables(plan))
    rows = _rows(plan, ds, period, today)
    by_task: dict[int, list[DeliverableRow]] = {}
    for r in rows:
        by_task.setdefault(r.deliverable.task_id, []).append(r)
    tasks = []
    for t in plan.tasks.select_related("area", "plan").order_by("area__number", "number"):
        mine = by_task.get(t.pk, [])
        counts = Counter({s: 0 for s in ORDER}) + Counter(r.state for r in mine)
        tasks.append(TaskCount(t, task_state(r.state for r in mine), counts))
    overdue = [r for r in rows if r.state == LedgerState.OVERDUE]
    return LedgerSummary(tasks, overdue, as_of_text_date(period, today), [r for r in rows if r.pending])


def deliverables_export(plan) -> list[dict]:
    """The plan file's `deliverables:` as export_plan prints them."""
    out = []
    for d in _deliverables(plan):
        item = {
            "code": d.code,
            "task": d.task.code,
            "name": d.name,
            "lead": d.lead_unit.code,
            "co": [u.code for u in responsible_units(d)[1:]],
            "due": d.due.isoformat() if d.due else None,
            "source": d.source,
        }
        if d.reading:
            item["reading"] = d.reading
        if d.pending:
            item["pending"] = list(d.pending)
        if d.confirmed:  # the office's confirmations of those (核定暂定值)
            item["confirmed"] = dict(d.confirmed)
        out.append(item)
    return out


def ledger_status_export(*, plan, period: date, today: date) -> dict:
    """The ledger's states in a month, as export_status prints them: each task's state and
    each deliverable's, with every responsible unit's state and its latest report."""
    summary_rows = _rows(plan, list(_deliverables(plan)), period, today)
    tasks = {}
    for r in summary_rows:
        tasks.setdefault(r.deliverable.task.code, []).append(r.state)
    return {
        "as_of": as_of_text_date(period, today).isoformat(),
        "tasks": [{"task": code, "state": task_state(states).value} for code, states in tasks.items()],
        "deliverables": [
            {
                "code": r.deliverable.code,
                "task": r.deliverable.task.code,
                "state": r.state.value,
                "pending_confirmation": sorted(r.deliverable.assumed),
                "units": [
                    {
                        "unit": u.code,
                        "state": s.value,
                        "reported": f"{last.period:%Y-%m}" if last else None,
                        "evidence": [e.sha256 for e in last.evidence.all()] if last else [],
                    }
                    for u, s, last in r.units
                ],
            }
            for r in summary_rows
        ],
    }
