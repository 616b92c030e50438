"""Values of the plan file marked `pending:` (待核定): assumed due dates, tolerances,
rank cut-offs, baselines, lead units, reporters. Shown as assumptions (a badge on the
metric page, a footnote in reports) until the office confirms them on its page
(indicators.assumptions; 待核定事项) or removes them from the metric's `pending:` list in
the plan file and loads it again."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from actions.models import Plan
from indicators.models import Metric
from indicators.planfile.schema import PENDING_LABELS
from indicators.rules.assumptions import JUDGED_FIELDS, assumption_value
from indicators.rules.types import format_number


@dataclass
class PendingItem:
    """A value of the plan file marked `pending:` (an assumption, not yet a fact)."""

    metric: Metric
    field: str
    label: str  # what is pending, in words: 完成期限

    @property
    def value(self) -> str:
        """The assumed value as shown: 2022-12-31 (read on demand: it may query)."""
        return pending_value(self.metric, self.field)


def _n(value) -> str:
    return "—" if value is None else format_number(value)


def pending_value(metric: Metric, name: str) -> str:
    """The assumed value as text: the one the office confirms, and the one a confirmation
    is compared with (rules.assumptions.assumption_value for the judged fields)."""
    if name in JUDGED_FIELDS:
        return assumption_value(name, metric._target(), metric.reading)
    n = _n
    return {
        "lead_unit": lambda: metric.indicator.lead_unit.name,
        "reporters": lambda: f"{metric.assignments.count()}个报送单位",
        "benchmarks": lambda: "、".join(f"{b.name} {n(b.value)}" for b in metric.benchmarks.all()) or "—",
    }[name]()


def pending_of(metric: Metric) -> list[PendingItem]:
    """The metric's values awaiting the office's confirmation: marked `pending:` in the
    plan file and not confirmed by the office at the value now in force."""
    out = []
    confirmed = metric.confirmed or {}
    for name in metric.pending or []:
        if name == "tolerance" and not metric.tolerance:
            continue  # no band left to confirm
        if name in PENDING_LABELS:
            item = PendingItem(metric, name, PENDING_LABELS[name])
            if name not in confirmed or confirmed[name] != item.value:
                out.append(item)
    return out


def pending_confirmations(plan: Plan) -> list[PendingItem]:
    """Every value of the plan still marked 待核定, in plan order (for the bulletin's
    footnote and the office's checklist)."""
    metrics = (
        Metric.objects.filter(plan=plan)
        .exclude(pending=[])
        .select_related("indicator__lead_unit")
        .prefetch_related("benchmarks")
        .order_by("area__number", "sort_order")
    )
    return [item for m in metrics for item in pending_of(m)]


def pending_footnote(plan: Plan) -> str:
    """One sentence for a report's footnote: what of the plan is still an assumption."""
    items = pending_confirmations(plan)
    if not items:
        return ""
    by_label: dict[str, int] = defaultdict(int)
    for item in items:
        by_label[item.label] += 1
    parts = "、".join(f"{label}({n}项指标)" for label, n in by_label.items())
    return f"注:方案数据中以下数值为暂定值,待市优化办核定,相关评判结果仅供参考:{parts}。"
