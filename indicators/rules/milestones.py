"""A milestone's checkpoints (节点) as a unit reports them: the date it reached each one
and a note on what shows it. Plain values only: the stored form is a dict keyed by the
checkpoint's name, {"方案印发": {"date": "2022-06-20", "note": "衡政办发〔2022〕12号"}}."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from .types import Checkpoint

NOTE_MAX = 500


def reached_dates(stored: Mapping | None) -> dict[str, date]:
    """The stored dict as {checkpoint name: date reached}; entries without a valid date are
    left out (reached_problems keeps such entries from being stored)."""
    out = {}
    for name, entry in (stored or {}).items():
        try:
            out[name] = date.fromisoformat(entry["date"])
        except (KeyError, TypeError, ValueError):
            continue
    return out


def checkpoints_reached(checkpoints: Iterable[Checkpoint], reached: Mapping[str, date]) -> int:
    """How many of the checkpoints, in the order of their due dates, were each reached by
    its own due date: the run stops at the first one missed (not reached, or reached
    late), so `rules.status` can compare it with the number of checkpoints already due."""
    n = 0
    for c in sorted(checkpoints, key=lambda c: c.due):
        on = reached.get(c.name)
        if on is None or on > c.due:
            break
        n += 1
    return n


def reached_problems(stored, names: Iterable[str], *, today: date) -> dict[str, str]:
    """What is wrong with a unit's checkpoint entries, by checkpoint name ("" for the whole
    value): a name the plan does not have, a date missing, malformed or after `today`, a
    missing or too long note. Empty when the entries can be stored."""
    if stored in (None, ""):
        return {}
    if not isinstance(stored, dict):
        return {"": "节点完成情况格式有误"}
    names = set(names)
    problems = {}
    for name, entry in stored.items():
        if name not in names:
            problems[name] = f"方案中没有“{name}”这一节点"
            continue
        if not isinstance(entry, dict) or set(entry) - {"date", "note"}:
            problems[name] = "节点完成情况格式有误"
            continue
        try:
            on = date.fromisoformat(str(entry.get("date") or ""))
        except ValueError:
            problems[name] = "请填写达到该节点的日期(如 2022-06-20)"
            continue
        note = str(entry.get("note") or "").strip()
        if on > today:
            problems[name] = "达到节点的日期不能晚于今天"
        elif not note:
            problems[name] = "请说明达到该节点的依据(文件、系统上线通知等)"
        elif len(note) > NOTE_MAX:
            problems[name] = f"说明不超过 {NOTE_MAX} 字"
    return problems


def reached_text(stored: Mapping | None) -> str:
    """The entries in words, for the figure's history: "方案印发 2022-06-20(衡政办发〔2022〕12号)"."""
    parts = []
    for name, entry in sorted((stored or {}).items(), key=lambda item: str(item[1].get("date", ""))):
        note = entry.get("note") or ""
        parts.append(f"{name} {entry.get('date', '')}" + (f"({note})" if note else ""))
    return ";".join(parts)
