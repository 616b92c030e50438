"""The 注 under a table that a reader would otherwise take for an error, as pure functions
of the figures (facts in, notes out; no Django):

- a city total that is not the sum of the units listed: the 全市 figure of a count
  counts a park's cases once, inside its county's figure (Unit.cases_in_county), so the
  parks' own figures are not added again;
- a park whose figure of a count exceeds its county's, although the county's figure
  holds the park's cases: implausible, and said so for the two units to check.

The documents print them under the table concerned, in the body and in the annex."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from reports.builders.blocks import num
from reports.builders.typography import quantity, quoted

PARKS_NAMED = 2  # parks named in a total's note; the table lists every one


@dataclass(frozen=True)
class UnitFigure:
    """One unit's figure of a count, as the document lists it."""

    name: str
    value: Decimal | None
    counted: bool = True  # in the city total (Unit.counts_in_city)
    county: str = ""  # the county whose figure holds its cases (a park), else ""


@dataclass(frozen=True)
class CountFacts:
    """A count's city total and every unit's figure of it, the month the table shows."""

    metric: str
    unit: str  # unit of measure: 万元, 家 …
    city: Decimal | None
    units: tuple[UnitFigure, ...]


def _amount(value: Decimal, unit: str) -> str:
    return quantity(num(value), unit)


def total_note(facts: CountFacts) -> str:
    """Why the city total differs from the sum of the units' figures, or "" when it does
    not (or either is missing)."""
    reported = [u for u in facts.units if u.value is not None]
    if facts.city is None or not reported:
        return ""
    listed = sum((u.value for u in reported), Decimal(0))
    if listed == facts.city:
        return ""
    counted = [u for u in reported if u.counted]
    within = [u for u in reported if not u.counted and u.county]
    name = quoted(facts.metric)
    city = _amount(facts.city, facts.unit)
    if within and sum((u.value for u in counted), Decimal(0)) == facts.city:
        parks = "、".join(u.name for u in within[:PARKS_NAMED]) + (f"等{len(within)}个单位" if len(within) > PARKS_NAMED else "")
        return (
            f"{name}全市合计{city}为{len(counted)}个单位数据之和，{parks}的数据已含在所属县市区数据中，"
            f"不重复计入，故与所列{len(reported)}个单位数据之和{_amount(listed, facts.unit)}不一致。"
        )
    return f"{name}全市合计{city}，与所列{len(reported)}个单位数据之和{_amount(listed, facts.unit)}不一致，以全市合计为准。"


def park_notes(facts: CountFacts) -> list[str]:
    """A park whose figure exceeds its county's, whose figure holds the park's: one note
    each, naming both for checking."""
    counties = {u.name: u for u in facts.units}
    out = []
    for u in facts.units:
        county = counties.get(u.county) if u.county else None
        if county is None or u.value is None or county.value is None or u.value <= county.value:
            continue
        out.append(
            f"{u.name}报送的{quoted(facts.metric)}为{_amount(u.value, facts.unit)}，高于所属{county.name}的"
            f"{_amount(county.value, facts.unit)}，而园区数据应已含在所属县市区数据中，"
            f"请{u.name}和{county.name}核实。"
        )
    return out


def table_notes(facts: list[CountFacts]) -> list[str]:
    """The 注 of one table, over the counts it lists: totals first, then parks; numbered
    when more than one ("注：1.… 2.…" as one paragraph each)."""
    notes = [n for f in facts for n in ([total_note(f)] if total_note(f) else [])]
    notes += [n for f in facts for n in park_notes(f)]
    if len(notes) == 1:
        return [f"注：{notes[0]}"]
    return [f"{'注：' if i == 1 else ''}{i}.{n}" for i, n in enumerate(notes, start=1)]


def body_note(facts: list[CountFacts], *, see: str) -> str:
    """The body's one-paragraph 注 under a table (the body keeps its pages): what the annex
    `see` explains in full, said in a sentence per count; "" when nothing is to be said."""
    parts = []
    for f in facts:
        said = []
        if total_note(f):
            counted = all(u.counted for u in f.units if u.value is not None)
            said.append("全市合计与所列单位数据之和不一致" if counted else "全市合计未重复计入园区数据")
        parks = park_notes(f)
        if parks:
            said.append(f"{len(parks)}个园区数据高于所属县市区")
        if said:
            parts.append(f"{quoted(f.metric)}{'，'.join(said)}")
    return f"注：{'；'.join(parts)}，详见{see}。" if parts else ""
