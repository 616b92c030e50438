"""The visible history of last year's values (上年基数) on the office's page: who changed
which value, when, from what to what, and why (django-simple-history's rows)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from indicators.models import Baseline

KIND = {"+": "添加", "~": "修改", "-": "删除"}


@dataclass
class BaselineChange:
    at: datetime
    who: str
    kind: str
    what: str
    old: Decimal | None
    new: Decimal | None
    unit_of_measure: str
    reason: str


def baseline_history(*, limit: int = 30) -> list[BaselineChange]:
    """The latest changes, newest first, each with the value before it. Two queries."""
    History = Baseline.history.model
    latest = list(
        History.objects.select_related("history_user", "metric__plan", "unit").order_by("-history_date", "-history_id")[:limit]
    )
    earlier: dict[int, list] = {}
    for row in (
        History.objects.filter(id__in={r.id for r in latest})
        .order_by("history_date", "history_id")
        .values("id", "history_id", "value")
    ):
        earlier.setdefault(row["id"], []).append(row)
    out = []
    for r in latest:
        chain = earlier.get(r.id, [])
        place = next((i for i, x in enumerate(chain) if x["history_id"] == r.history_id), 0)
        before = chain[place - 1]["value"] if place > 0 else None
        user = r.history_user
        month = f"{r.period:%Y-%m}" if r.period else "全年"
        out.append(
            BaselineChange(
                at=r.history_date,
                who=(user.get_full_name() or user.get_username()) if user else "系统(文件载入)",
                kind=KIND.get(r.history_type, r.history_type),
                what=f"{r.metric.plan.year} · {r.metric.name} · {r.unit.name if r.unit else '全市'} · {month}",
                old=None if r.history_type == "+" else before,
                new=None if r.history_type == "-" else r.value,
                unit_of_measure=r.metric.unit_of_measure,
                reason=r.history_change_reason or "",
            )
        )
    return out
