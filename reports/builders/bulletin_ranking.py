"""The bulletin's rankings: 进位/退位 in words, duties a unit has none of, the annex's
ranking table: split out of bulletin.py unchanged."""

from __future__ import annotations

from collections import defaultdict

from reports.builders.blocks import Sheet, names
from reports.builders.bulletin_figures import UNITS_NAMED, _share
from reports.builders.common import (
    GroupRanking,
)

PART_LABELS = {"met": "达标率", "timeliness": "按时报送率", "improvement": "改善率"}
MOVE_PLACES = 4  # 进位/退位 named in the body from this many places
RANK_HEADER = ["排名", "单位", "综合得分", "达标率(%)", "按时报送率(%)", "改善率(%)", "较上期升降位次"]
FIRST_RANKED = "首次排名"  # no ranking of the quarter before (the first quarter, a unit new to its group)
RANK_FORMATS = ["0", None, "0.0", "0.0", "0.0", "0.0", "0"]


def _movements(rows) -> str:
    """进位/退位 of MOVE_PLACES places or more (smaller shuffles are noise, not news), the
    largest first, equal moves named together: "耒阳市、石鼓区进6位，南岳区退5位". In a
    large group the largest moves only. The annex has every unit's movement."""
    parts = []
    for sign, word in ((1, "进"), (-1, "退")):
        movers = sorted((r for r in rows if r.movement and sign * r.movement >= MOVE_PLACES), key=lambda r: -sign * r.movement)
        shown = movers[:UNITS_NAMED]
        by_places: dict[int, list[str]] = defaultdict(list)
        for r in shown:
            by_places[sign * r.movement].append(r.name)
        said = "，".join(f"{'、'.join(who)}{word}{n}位" for n, who in by_places.items())
        if len(movers) > len(shown):
            said = f"{len(movers)}个单位{word}位{MOVE_PLACES}位及以上，较多的是{said}"
        if said:
            parts.append(said)
    return f"较上季度{'；'.join(parts)}。" if parts else ""


def _partial_duties(g: GroupRanking, formula) -> str:
    """Units ranked without one of the formula's duties (no reporting duty, no target to
    compare with last year): said, so that a 100分 without a reporting duty is understood."""
    lacking: dict[str, list[str]] = defaultdict(list)
    for row in g.rows:
        missing = [PART_LABELS.get(p.code, p.code) for p in formula.parts if g.inputs[row.unit].share(p.code)[1] <= 0]
        if missing:
            lacking["、".join(missing)].append(row.name)
    return "".join(f"{names(who)}本期无{parts}计分事项，按其余各项折算。" for parts, who in lacking.items())


def _rank_sheet(g: GroupRanking) -> Sheet:
    rows = []
    for row in g.rows:
        inp = g.inputs[row.unit]
        rows.append(
            [
                row.rank,
                row.name,
                row.score,
                _share(inp.met, inp.judged),
                _share(inp.on_time, inp.expected),
                _share(inp.improved, inp.comparable),
                FIRST_RANKED if row.movement is None else row.movement,
            ]
        )
    return Sheet(f"排名-{g.label}", RANK_HEADER, rows, RANK_FORMATS)
