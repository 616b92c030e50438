"""The plan file's `deliverables:` section (fixtures/PLAN_FORMAT.md, "任务台账"): each
task's concrete deliverables with their lead and co-operating units, the due date where
the plan gives one, and the plan's sentence. Read by indicators.planfile.parse_plan."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from indicators.rules.ledger import PENDING_FIELDS

DELIVERABLE_FIELDS = {"code", "task", "name", "lead", "co", "due", "source", "reading", "pending"}
# Groups a `co:` list may name, as in a metric's `reporters`.
UNIT_GROUPS = {"counties": "county", "parks": "park", "departments": "department"}
DELIVERABLE_CODE_LENGTH = 60


@dataclass
class DeliverableSpec:
    code: str
    task: str
    name: str
    lead: str
    co: list[str] = field(default_factory=list)
    due: date | None = None
    source: str = ""
    reading: str = ""
    sort_order: int = 0
    pending: list[str] = field(default_factory=list)  # rules.ledger.PENDING_FIELDS: due, content


def read_deliverables(r, data, *, units: dict[str, str], tasks: set[str], year: int | None) -> list[DeliverableSpec]:
    """Every deliverable, its problems recorded on `r` (indicators.planfile._Reader)."""
    out: list[DeliverableSpec] = []
    seen: set[str] = set()
    for i, (path, item) in enumerate(r.items(data, "deliverables", "方案", required=False), start=1):
        r.fields(item, path, DELIVERABLE_FIELDS)
        code = r.code(item, path, max_length=DELIVERABLE_CODE_LENGTH)
        if code in seen:
            r.problem(item, "code", path, f"成果事项编码“{code}”重复")
        seen.add(code)
        task = r.get(item, "task", path)
        if task and task not in tasks:
            r.problem(item, "task", path, f"未定义的任务编码“{task}”")
        lead = r.get(item, "lead", path)
        if lead and lead not in units:
            r.problem(item, "lead", path, f"未定义的单位编码“{lead}”")
        co: list[str] = []
        for entry in r.get(item, "co", path, required=False, kind=list, default=[]) or []:
            entry = str(entry)
            if entry in UNIT_GROUPS:
                co += [c for c, k in units.items() if k == UNIT_GROUPS[entry]]
            elif entry in units:
                co.append(entry)
            else:
                r.problem(item, "co", path, f"未定义的单位编码或分组“{entry}”")
        pending: list[str] = []
        for entry in r.get(item, "pending", path, required=False, kind=list, default=[]) or []:
            if str(entry) not in PENDING_FIELDS:
                r.problem(item, "pending", path, f"“{entry}”不是成果事项可标记待核定的内容之一(due / content)")
            elif str(entry) not in pending:
                pending.append(str(entry))
        due = r.get(item, "due", path, required=False, kind=date)
        if due is not None and year is not None and due.year > year + 1:
            r.problem(item, "due", path, f"完成时限 {due} 超出方案年度")
        out.append(
            DeliverableSpec(
                code=code,
                task=task,
                name=r.get(item, "name", path, max_length=100),
                lead=lead,
                co=[c for c in dict.fromkeys(co) if c != lead],
                due=due,
                source=r.get(item, "source", path),
                reading=r.get(item, "reading", path, required=False, default=""),
                sort_order=i,
                pending=pending,
            )
        )
    return out
