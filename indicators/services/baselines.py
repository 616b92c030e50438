"""Writes of last year's values (上年基数, indicators.baselines): a file loaded all or
nothing, one value edited or deleted by the office. Each write refreshes the stored
statuses of the plan year it changes, on commit."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

from django.db import transaction

from actions.models import Plan, Unit
from actions.text import clean_text
from indicators.baselines import BASELINE_COLUMNS, CITY_CODES, baseline_value
from indicators.models import Baseline, Metric
from indicators.status.refresh import status_refresh_years_on_commit


class BaselineFileError(Exception):
    """A baselines file was rejected whole; `problems` lists every reason by line."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def _parse_period(text: str) -> tuple[int, date | None]:
    """'2021-06' → (2021, 2021-06-01); '2021' → (2021, None)."""
    text = text.strip()
    if len(text) == 4 and text.isdigit():
        return int(text), None
    year, month = text.split("-")
    when = date(int(year), int(month), 1)
    if len(year) != 4:
        raise ValueError
    return when.year, when


def baselines_load(*, text: str) -> dict[str, int]:
    """Write the baselines of a CSV file (columns BASELINE_COLUMNS; `period` is a month
    of last year, YYYY-MM, or last year, YYYY; `unit` empty or "city" for the city), all
    or nothing: every problem is listed by line first, and one problem writes nothing.
    The plan is the year after `period`. Returns counts of created/updated/unchanged."""
    problems: list[str] = []
    # newline="" keeps a quoted note's line breaks; line_num counts the file's own lines.
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in ("metric", "unit", "period", "value") if c not in header]
    unknown = [c for c in header if c not in BASELINE_COLUMNS]
    if missing or unknown:
        what = f"缺少列 {'、'.join(missing)}" if missing else f"无法识别的列 {'、'.join(unknown)}"
        raise BaselineFileError([f"第1行: {what}(表头应为:{','.join(BASELINE_COLUMNS)})"])
    reader.fieldnames = header
    units = {u.code: u for u in Unit.objects.all()}
    metrics = {(m.plan.year, m.code): m for m in Metric.objects.select_related("plan")}
    wanted: dict[tuple, tuple[Metric, Unit | None, date | None, Decimal, str]] = {}
    for row in reader:
        line = reader.line_num
        if None in row:
            problems.append(f"第{line}行: 列数多于表头")
        # Control characters (NUL, \x0b, \x1b …) go, as at every other input.
        code, unit_code, raw_period, raw_value, note = (
            clean_text(row.get(c)).strip() for c in ("metric", "unit", "period", "value", "note")
        )
        try:
            year, when = _parse_period(raw_period)
        except (ValueError, TypeError):
            problems.append(f"第{line}行 period: “{raw_period}”不是有效的上年月份(YYYY-MM)或年度(YYYY)")
            continue
        metric = metrics.get((year + 1, code))
        if metric is None:
            problems.append(f"第{line}行 metric: {year + 1}年方案中没有编码为“{code}”的指标")
        unit = None
        if unit_code not in CITY_CODES:
            unit = units.get(unit_code)
            if unit is None:
                problems.append(f"第{line}行 unit: 未定义的单位编码“{unit_code}”")
        value = None
        if metric is not None:
            try:
                value = baseline_value(metric, raw_value)
            except ValueError as exc:
                problems.append(f"第{line}行 value: {exc}")
        if len(note) > 200:
            problems.append(f"第{line}行 note: 超过 200 个字")
        if metric is None or value is None or (unit is None and unit_code not in CITY_CODES):
            continue
        key = (metric.pk, unit.pk if unit else None, when)
        if key in wanted:
            problems.append(f"第{line}行: 与前面的行重复(同一指标、单位和月份只能有一个上年值)")
        wanted[key] = (metric, unit, when, value, note)
    if not wanted and not problems:
        problems.append("文件中没有数据行")
    if problems:
        raise BaselineFileError(problems)
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    with transaction.atomic():  # the years' statuses are refreshed once, on commit
        for metric, unit, when, value, note in wanted.values():
            counts[_save(metric=metric, unit=unit, period=when, value=value, note=note)] += 1
        if counts["created"] or counts["updated"]:
            plans = {metric.plan_id for metric, *_ in wanted.values()}
            status_refresh_years_on_commit(set(Plan.objects.filter(pk__in=plans).values_list("year", flat=True)))
    return counts


def _save(*, metric: Metric, unit: Unit | None, period: date | None, value: Decimal, note: str) -> str:
    obj = Baseline.objects.filter(metric=metric, unit=unit, period=period).first()
    if obj is None:
        Baseline.objects.create(metric=metric, unit=unit, period=period, value=value, note=note)
        return "created"
    if obj.value == value and obj.note == note:
        return "unchanged"
    obj.value, obj.note = value, note
    obj.save(update_fields=["value", "note", "updated_at"])
    return "updated"


def baseline_save(*, baseline: Baseline, reason: str = "") -> Baseline:
    """Save one baseline edited by the office (the form has checked it); its history
    records who changed what, and why."""
    baseline._change_reason = reason
    baseline.full_clean()
    baseline.save()
    status_refresh_years_on_commit({baseline.metric.plan.year})
    return baseline


def baseline_delete(*, baseline: Baseline, reason: str = "") -> None:
    baseline._change_reason = reason
    status_refresh_years_on_commit({baseline.metric.plan.year})
    baseline.delete()
