"""What an issued document printed, as plain data (no Django): its figures and statuses
by cell, the totals counted over them and the ranks by group, and the two rules a 更正通知
needs: the printed facts with corrections applied, and what that changes.

A snapshot (`Report.printed`) is a dict:
    cells:  {"2022-06|U01|M05": {"v": value text, "s": status, "t": counted in the totals,
             "p": printed in the text}} (unit code "" is the city; a cell not printed is
             kept because the ranks count its status: the year-end ranking's other months)
    units, metrics: {code: name} (the city is "全市")
    totals_label: what the totals count ("各单位参评目标", "全市参评目标")
    ranks:  {group label: {unit code: {"name", "rank", "score", "previous", "input": {…}}}}
    formula: the scoring formula's dict (the bulletin's), to rank again."""

from __future__ import annotations

import copy
from collections import Counter
from decimal import Decimal

from indicators.rules.scoring import Formula, ScoreInput, rank_units
from indicators.rules.types import Status

STATUS_LABEL = {s.value: s.label for s in Status}
TOTAL_ORDER = [Status.GREEN.value, Status.YELLOW.value, Status.RED.value, Status.GREY.value]


def cell_key(period: str, unit_code: str, metric_code: str) -> str:
    return f"{period}|{unit_code}|{metric_code}"


def totals(printed: dict) -> dict[str, int]:
    """Counts by status over the cells the document counted (every status, 0 included)."""
    counts = Counter(c["s"] for c in printed.get("cells", {}).values() if c.get("t"))
    return {s: counts.get(s, 0) for s in TOTAL_ORDER}


def corrections_apply(printed: dict, corrected: dict[str, tuple[str, str]]) -> dict:
    """The printed facts with corrected cells ({key: (value text, status)}) in place, and
    the ranks again where a unit's count of targets met moved. Cells the document never
    printed are ignored: a correction of them changes nothing printed."""
    after = copy.deepcopy(printed)
    cells = after.setdefault("cells", {})
    moved: dict[str, list[int]] = {}  # unit code → [Δjudged, Δmet]
    for key, (value, status) in corrected.items():
        cell = cells.get(key)
        if cell is None or (cell["v"], cell["s"]) == (value, status):
            continue
        unit_code = key.split("|")[1]
        d = moved.setdefault(unit_code, [0, 0])
        d[0] += (status != Status.GREY) - (cell["s"] != Status.GREY)
        d[1] += (status == Status.GREEN) - (cell["s"] == Status.GREEN)
        cell["v"], cell["s"] = value, status
    if moved and after.get("ranks"):
        formula = Formula.from_dict(after.get("formula"))
        for label, group in after["ranks"].items():
            if not any(code in group for code in moved):
                continue
            inputs = []
            for code, r in group.items():
                inp = dict(r["input"])
                dj, dm = moved.get(code, (0, 0))
                inp["judged"], inp["met"] = inp["judged"] + dj, inp["met"] + dm
                r["input"] = inp
                inputs.append(ScoreInput(unit=code, name=r["name"], **inp))
            previous = {code: r["previous"] for code, r in group.items() if r.get("previous") is not None}
            for ranked in rank_units(inputs, previous, formula):
                group[ranked.unit].update(rank=ranked.rank, score=str(ranked.score))
            after["ranks"][label] = group
    return after


def corrections_diff(before: dict, after: dict) -> dict:
    """What a 更正通知 lists: each corrected figure (unit, metric, 原值 → 更正值, status
    before → after), the totals if they moved, and each rank that moved."""
    figures = []
    units, metrics = before.get("units", {}), before.get("metrics", {})
    for key, old in before.get("cells", {}).items():
        new = after["cells"][key]
        if old.get("p") and (old["v"], old["s"]) != (new["v"], new["s"]):
            period, unit_code, metric_code = key.split("|")
            figures.append(
                {
                    "key": key,
                    "period": period,
                    "unit": units.get(unit_code, "全市") if unit_code else "全市",
                    "metric": metrics.get(metric_code, metric_code),
                    "old": old["v"],
                    "new": new["v"],
                    "old_status": STATUS_LABEL[old["s"]],
                    "new_status": STATUS_LABEL[new["s"]],
                }
            )
    was, now = totals(before), totals(after)
    moved_totals = None
    if was != now:
        moved_totals = {
            "label": before.get("totals_label", ""),
            "before": {STATUS_LABEL[s]: was[s] for s in TOTAL_ORDER},
            "after": {STATUS_LABEL[s]: now[s] for s in TOTAL_ORDER},
        }
    ranks = []
    for label, group in before.get("ranks", {}).items():
        for code, r in group.items():
            new = after["ranks"][label][code]
            if (r["rank"], r["score"]) != (new["rank"], new["score"]):
                ranks.append(
                    {
                        "group": label,
                        "unit": r["name"],
                        "old_rank": r["rank"],
                        "new_rank": new["rank"],
                        "old_score": r["score"],
                        "new_score": new["score"],
                    }
                )
    ranks.sort(key=lambda r: (r["group"], r["new_rank"], r["unit"]))
    if not (figures or moved_totals or ranks):
        return {}
    return {"figures": figures, "totals": moved_totals, "ranks": ranks}


def score_text(score) -> str:
    """A score as the bulletin prints it: 92.5分, 88分."""
    d = Decimal(str(score)).normalize()
    return f"{d:f}分"
