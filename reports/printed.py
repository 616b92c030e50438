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
    rank_periods: the months the ranks score ("2022-04" …), formula: the scoring
    formula's dict (the bulletin's), to rank again."""

from __future__ import annotations

import copy
from collections import Counter
from decimal import Decimal

from indicators.rules.periods import add_months, format_month, parse_month
from indicators.rules.scoring import Formula, ScoreInput, improved, rank_units
from indicators.rules.types import Status

STATUS_LABEL = {s.value: s.label for s in Status}
TOTAL_ORDER = [Status.GREEN.value, Status.YELLOW.value, Status.RED.value, Status.GREY.value]


def cell_key(period: str, unit_code: str, metric_code: str) -> str:
    return f"{period}|{unit_code}|{metric_code}"


def totals(printed: dict) -> dict[str, int]:
    """Counts by status over the cells the document counted (every status, 0 included)."""
    counts = Counter(c["s"] for c in printed.get("cells", {}).values() if c.get("t"))
    return {s: counts.get(s, 0) for s in TOTAL_ORDER}


def _score_moves(before: dict, after: dict, keys: list[str]) -> dict[str, list[int]]:
    """How corrected cells move each unit's score inputs ({unit code: [Δjudged, Δmet,
    Δcomparable, Δimproved]}) over the ranked months, by the rules of the score itself
    (scoring.improved against the month before and for the month after)."""
    months = set(before.get("rank_periods", []))
    moves: dict[str, list[int]] = {}

    def status(cells, period, unit, metric):
        cell = cells.get(cell_key(format_month(period), unit, metric))
        return cell["s"] if cell else None

    pairs = set()
    for key in keys:
        month, unit, metric = key.split("|")
        if not unit:
            continue  # the city's value: counted for lead units, not tracked here
        d = moves.setdefault(unit, [0, 0, 0, 0])
        if month in months:
            old, new = before["cells"][key]["s"], after["cells"][key]["s"]
            d[0] += (new != Status.GREY) - (old != Status.GREY)
            d[1] += (new == Status.GREEN) - (old == Status.GREEN)
        period = parse_month(month)
        pairs.update({(unit, metric, add_months(period, -1), period), (unit, metric, period, add_months(period, 1))})
    for unit, metric, prev, cur in pairs:
        if format_month(cur) not in months:
            continue
        was = improved(status(before["cells"], prev, unit, metric), status(before["cells"], cur, unit, metric))
        now = improved(status(after["cells"], prev, unit, metric), status(after["cells"], cur, unit, metric))
        d = moves[unit]
        d[2] += (now is not None) - (was is not None)
        d[3] += bool(now) - bool(was)
    return moves


def corrections_apply(printed: dict, corrected: dict[str, tuple[str, str]]) -> dict:
    """The printed facts with corrected cells ({key: (value text, status[, reading])}) in place, and
    the ranks again where a unit's score inputs moved. Cells the document never held are
    ignored: a correction of them changes nothing printed."""
    after = copy.deepcopy(printed)
    cells = after.setdefault("cells", {})
    changed = []
    for key, (value, status, *reading) in corrected.items():
        cell = cells.get(key)
        if cell is None:
            continue
        if reading and "r" in cell:  # the unit's reading as corrected: a later correction's city counts it
            cell["r"] = reading[0]
        if (cell["v"], cell["s"]) == (value, status):
            continue
        cell["v"], cell["s"] = value, status
        changed.append(key)
    moves = _score_moves(printed, after, changed) if changed and after.get("ranks") else {}
    if any(any(d) for d in moves.values()):
        formula = Formula.from_dict(after.get("formula"))
        for group in after["ranks"].values():
            if not any(any(moves.get(code, ())) for code in group):
                continue
            inputs = []
            for code, r in group.items():
                inp = dict(r["input"])
                dj, dm, dc, di = moves.get(code, (0, 0, 0, 0))
                inp["judged"] += dj
                inp["met"] += dm
                inp["comparable"] += dc
                inp["improved"] += di
                r["input"] = inp
                inputs.append(ScoreInput(unit=code, name=r["name"], **inp))
            previous = {code: r["previous"] for code, r in group.items() if r.get("previous") is not None}
            for ranked in rank_units(inputs, previous, formula):
                group[ranked.unit].update(rank=ranked.rank, score=str(ranked.score))
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
            if (r["rank"], Decimal(r["score"])) != (new["rank"], Decimal(new["score"])):
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
