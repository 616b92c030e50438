"""Last year's values (上年基数) as the office's data: read for the status board, loaded
from a file all or nothing, edited one at a time. Reporters never type them.

A value is for a metric of this year's plan, a unit (or the city: no unit) and one month
of last year (or last year as a whole: no month). The status board asks `BaselineBook`
for the same month last year, falling back to the whole year, except for a change
against the same period last year, which is meaningless against a yearly value."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction

from actions.models import Plan, Unit
from actions.text import clean_text
from indicators.models import Baseline, Metric
from indicators.rules.inputs import parse_number, plausible_value
from indicators.rules.periods import months_of_year, same_month_last_year

CITY_CODES = {"", "city", "全市"}
BASELINE_COLUMNS = ["metric", "unit", "period", "value", "note"]


@dataclass
class BaselineBook:
    """Every baseline of a plan that a month can use, loaded in one query."""

    monthly: dict[tuple[int, int | None], Decimal]
    yearly: dict[tuple[int, int | None], Decimal]

    def get(self, metric: Metric, unit_id: int | None) -> Decimal | None:
        key = (metric.pk, unit_id)
        if key in self.monthly:
            return self.monthly[key]
        if metric.kind == Metric.Kind.CHANGE_VS_LAST_YEAR:
            return None  # a same-period comparison needs the same period
        return self.yearly.get(key)


def baselines_for_month(*, plan: Plan, period: date) -> BaselineBook:
    """The baselines `period` of `plan` is judged against (one query)."""
    last = same_month_last_year(period)
    monthly, yearly = {}, {}
    rows = Baseline.objects.filter(metric__plan=plan, period__in=[last]) | Baseline.objects.filter(
        metric__plan=plan, period__isnull=True
    )
    for metric_id, unit_id, when, value in rows.values_list("metric_id", "unit_id", "period", "value"):
        (monthly if when else yearly)[(metric_id, unit_id)] = value
    return BaselineBook(monthly, yearly)


def baselines_for_year(*, metric: Metric, year: int) -> dict[date, BaselineBook]:
    """The baselines of one metric for each month of `year` (one query): a metric's page
    draws its whole year at once."""
    monthly: dict[date, dict] = defaultdict(dict)
    yearly: dict = {}
    for unit_id, when, value in Baseline.objects.filter(metric=metric).values_list("unit_id", "period", "value"):
        if when is None:
            yearly[(metric.pk, unit_id)] = value
        elif when.year == year - 1:
            monthly[date(year, when.month, 1)][(metric.pk, unit_id)] = value
    return {p: BaselineBook(monthly[p], yearly) for p in months_of_year(year)}


def baseline_for(metric: Metric, unit: Unit | None, period: date) -> Decimal | None:
    """Last year's value of `metric` for `unit` (None: the city) behind month `period`."""
    book = baselines_for_month(plan=metric.plan, period=period)
    return book.get(metric, unit.pk if unit else None)


# -- writes -------------------------------------------------------------------------------


class BaselineFileError(Exception):
    """A baselines file was rejected whole; `problems` lists every reason by line."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def baseline_value(metric: Metric, raw) -> Decimal:
    """Last year's value of `metric` as typed on the baselines page or written in a
    baselines file: read like every other number (rules.inputs.parse_number: "1,234"
    and full-width digits yes, "3,2" and "1_000" no) and checked against what the
    metric measures (a ratio's value is a percentage, 0–100). ValueError (Chinese)."""
    number = parse_number(raw)
    if number is None:
        raise ValueError("请填写上年值")
    problem = plausible_value(
        metric.measure, number, unit_of_measure=metric.unit_of_measure,
        allow_negative=metric.allows_negative, percent=metric.is_percent,
    )  # fmt: skip
    if problem:
        raise ValueError(problem)
    return number


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
    with transaction.atomic():  # the year's statuses are refreshed once, on commit (indicators.signals)
        for metric, unit, when, value, note in wanted.values():
            counts[_save(metric=metric, unit=unit, period=when, value=value, note=note)] += 1
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
    baseline.save()  # its year's statuses are refreshed on commit (indicators.signals)
    return baseline


def baseline_delete(*, baseline: Baseline, reason: str = "") -> None:
    baseline._change_reason = reason
    baseline.delete()
