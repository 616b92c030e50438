"""The city's figure of a metric after one unit's correction, as a 更正通知 prints it: the
issued document's snapshot (every counted unit's reading as printed) with the corrected
unit's reading in its place, combined and judged by the same rules as the board, never
the day's data (another unit's later change is not this notice's business)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from indicators.rules import aggregate as agg
from indicators.rules.types import MilestoneState, Reading
from indicators.status.board import _year_so_far
from indicators.status.compute import _outlook, as_of_for, city_reading, judge_row
from indicators.status.rows import StatusRow
from reports.builders.common import value_text

_FIELDS = ("value", "numerator", "denominator", "cases")


def reading_snapshot(reading: Reading) -> dict:
    """A unit's reading as the snapshot keeps it (JSON: numbers as text)."""
    out = {k: str(getattr(reading, k)) for k in _FIELDS if getattr(reading, k) is not None}
    if reading.state:
        out["state"] = str(reading.state)
    if reading.no_business:
        out["no_business"] = True
    if reading.reached is not None:
        out["reached"] = reading.reached  # a milestone's checkpoints reached on time
    return out


def reading_from_snapshot(d: dict) -> Reading:
    return Reading(
        **{k: Decimal(d[k]) for k in _FIELDS if k in d},
        state=MilestoneState(d["state"]) if d.get("state") else None,
        no_business=bool(d.get("no_business")),
        reached=d.get("reached"),
    )


def city_cell_after(
    printed: dict, *, month: str, row: StatusRow, unit_code: str, corrected: Reading, board
) -> tuple[str, str] | None:
    """(value text, status) of the city row `row` (today's board, for the metric and its
    judging inputs) with the printed readings of the units it counts and `corrected` for
    `unit_code`; None when the snapshot kept no readings (a version issued before it did)."""
    m = row.metric
    readings, found = [], False
    prefix = f"{month}|"
    for key, cell in printed.get("cells", {}).items():
        if not key.startswith(prefix) or not key.endswith(f"|{m.code}"):
            continue
        unit = key.split("|")[1]
        if not unit:
            continue
        if "r" not in cell:
            return None
        if unit == unit_code:
            found = True
        if cell.get("c", True):
            readings.append(corrected if unit == unit_code else reading_from_snapshot(cell["r"]))
    if not found:
        return None
    reading = city_reading(m, readings)
    city = replace(row, reading=reading, value=agg.reading_value(m.measure, reading))
    if city.value == row.value and reading == row.reading:
        return value_text(city), str(row.status)
    period = board.period
    assigned = {m.pk: [r.unit for r in board.unit_rows if r.metric.pk == m.pk]}
    _, earlier = _year_so_far([m], assigned, period)
    meets = _outlook(m, earlier.get(m.pk, []), period, city.value)
    status, _ = judge_row(
        m, reading, as_of=as_of_for(period), period=period, last_year=row.last_year, other=row.other, projected_meets=meets
    )
    return value_text(city), str(status)
