"""Demo task ledger: each responsible unit reports each deliverable month by month from
the month after the plan's issue: 未启动, then 推进中, then 已完成 with an evidence file
(a small PDF per deliverable and unit); about one item in five still has a unit
unfinished at the year's end, so the pages and the bulletin show 滞后 items. Called by
indicators.demo.seed_year."""

from __future__ import annotations

import random
from datetime import date

from actions.evidence import evidence_check
from indicators.ledger.models import Deliverable, DeliverableReport
from indicators.ledger.selectors import responsible_units
from indicators.ledger.services import evidence_store
from indicators.rules.ledger import Reported
from indicators.rules.periods import add_months

NOTES = {
    Reported.NOT_STARTED: "正在研究制定工作方案。",
    Reported.IN_PROGRESS: "已印发工作方案,按计划推进,本月完成阶段性工作。",
    Reported.DONE: "已全面完成,佐证材料已上传。",
}
DEMO_REASON = "演示数据"


def _pdf(deliverable: Deliverable, unit) -> bytes:
    # A minimal PDF whose text names the item: one file per deliverable and unit.
    text = f"{deliverable.code} {unit.code}".encode("ascii")
    return b"%PDF-1.4\n% demo evidence: " + text + b"\n%%EOF\n"


def ledger_demo_seed(plan, *, months: list[date], seed: int = 2022) -> int:
    """Reports for the months given (those already ended); returns how many. Skipped when
    the plan already has reports (a rerun never doubles them)."""
    if DeliverableReport.objects.filter(deliverable__plan=plan).exists():
        return 0
    start = add_months((plan.issued or date(plan.year, 1, 1)).replace(day=1), 1)
    months = [p for p in months if p >= start]
    if not months:
        return 0
    rng = random.Random(seed)
    reports, done = [], []
    for d in Deliverable.objects.filter(plan=plan).select_related("lead_unit").prefetch_related("co_units"):
        units = responsible_units(d)
        # About one item in five lags: one or two of its units have not finished by the year's end.
        stuck = set(rng.sample(units, k=min(len(units), rng.choice([1, 2])))) if rng.random() < 0.2 else set()
        for unit in units:
            begin = rng.choice([6, 6, 7, 7, 8, 9])  # the month work starts
            finish = None if unit in stuck else rng.choice([8, 9, 10, 11, 11, 12, 12, 12])
            for period in months:
                if finish is not None and period.month > finish:
                    break  # done earlier: the latest report stands
                if finish is not None and period.month == finish:
                    state = Reported.DONE
                elif period.month >= begin:
                    state = Reported.IN_PROGRESS
                else:
                    state = Reported.NOT_STARTED
                r = DeliverableReport(deliverable=d, unit=unit, period=period, state=state.value, note=NOTES[state])
                reports.append(r)
                if state == Reported.DONE:
                    done.append((r, d, unit))
    DeliverableReport.objects.bulk_create(reports, batch_size=1000)
    DeliverableReport.history.bulk_history_create(reports, batch_size=1000, default_change_reason=DEMO_REASON)
    for r, d, unit in done:
        evidence_store(evidence_check(data=_pdf(d, unit), name=f"{d.name[:30]}-完成材料.pdf"), report=r, user=None)
    return len(reports)
