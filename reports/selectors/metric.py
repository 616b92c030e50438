"""A metric over its plan year: the city value and status month by month, the units'
values in the latest month, benchmarks and the year-end projection."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from actions.models import Unit
from indicators.models import Benchmark, Figure, Metric
from indicators.rules import aggregate as agg
from indicators.rules.pace import pace_start, pace_value, year_end_outlook
from indicators.rules.periods import format_month, months_of_year
from indicators.rules.status import comparison_value
from indicators.rules.types import MilestoneState, Status, format_number
from indicators.selectors import (
    StatusRow,
    as_of_for,
)
from indicators.status.cache import rows_cached
from indicators.status.read import metric_rows
from reports.selectors.common import months_with_figures, number


@dataclass
class SeriesPoint:
    period: date
    value: Decimal | None
    status: Status
    target: Decimal | None  # the number the month is judged against (the pace when paced)
    pace: Decimal | None
    reported: int
    expected: int
    state: MilestoneState | None = None  # a milestone's city state (the least advanced unit)

    @property
    def text(self) -> str:
        return self.state.label if self.state else ("—" if self.value is None else format_number(self.value))


@dataclass
class UnitValue:
    unit: Unit
    row: StatusRow


@dataclass
class MetricSeries:
    metric: Metric
    year: int
    points: list[SeriesPoint]
    period: date | None  # the latest month with a figure (the bars' month)
    units: list[UnitValue]
    benchmarks: list[Benchmark]
    projection: Decimal | None
    meets: bool | None
    method: str

    @property
    def band(self) -> tuple[Decimal | None, Decimal | None]:
        m = self.metric
        return (m.low, m.high) if m.kind == Metric.Kind.RANGE else (None, None)


def _projection_method(metric: Metric, with_baseline: bool) -> str:
    if metric.basis == Metric.Basis.YEAR_END:
        return "报送值即全年数(测算或公布的年度值):取最近一次报送值作为年底预计值。"
    if metric.basis == Metric.Basis.YTD:
        start = ""
        if with_baseline:
            start = "以0为起点(0月,每年重新累计)," if metric.pace_from == 0 else "以上年基数为起点(0月),"
        return f"{start}对各月累计值作最小二乘直线拟合,推算到12月;只有一个月数据时按该月均匀增长推算。"
    return "当月值不累计:取最近三个月(含最新一月)中已报月份的平均值作为年底预计值;本月达标但预计值达不到目标的为“预警”。"


def series_months(year: int) -> list[date]:
    """The months of `year` a metric's year is read from: up to the latest month with
    figures (one query). Later months have no rows to read and nothing to show."""
    latest = next((p for p in months_with_figures() if p.year <= year), None)
    return [p for p in months_of_year(year) if latest and p <= latest]


def metric_series(
    *, metric: Metric, year: int | None = None, today: date | None = None, months: list[date] | None = None
) -> MetricSeries:
    """metric_series_compute, from the cache while the rows of the year's months with
    figures (`months`, else series_months) are unchanged."""
    year = year or metric.plan.year
    as_of = as_of_for(date(year, 12, 1), today)
    months = series_months(year) if months is None else months
    return rows_cached(
        "metric-series", [metric.pk, year, as_of], months, lambda: metric_series_compute(metric, year, as_of, months)
    )


def city_coverage(metric: Metric, units: list[StatusRow]) -> agg.Coverage:
    """How complete the city value of `metric` is, from its unit rows of a month (the units
    the city counts), by rules.aggregate.coverage."""
    flags = [
        agg.has_reported(metric.measure, r.reading, no_business=r.grey_reason == "no_business")
        for r in units
        if r.unit.counts_in_city
    ]
    return agg.coverage(flags, quorum=metric.city_quorum)


def metric_series_compute(metric: Metric, year: int, today: date, with_figures: list[date] | None = None) -> MetricSeries:
    """The city value and status of `metric` for every month of its plan year (its
    stored rows), each unit's value in the latest month, benchmarks and the year-end
    projection. Four queries: the months, the metric's rows of the year, benchmarks, the
    latest month's figures (the units' explanations). The months after the latest month
    with figures (`with_figures`: the months that have any) are read from no rows: nobody
    has reported them, so they show no value, grey, none of the units reported."""
    months = months_of_year(year)
    read = months if with_figures is None else [p for p in months if p in set(with_figures)]
    by_month = metric_rows(metric, read, today)
    expected = max((len(units) for _city, units in by_month.values()), default=0)
    benchmarks = list(Benchmark.objects.filter(metric=metric).order_by("name"))
    target = metric.target
    points = []
    for period in months:
        pace = pace_value(target, period.month) if metric.pace else None
        if period not in by_month:  # no figure of any metric yet
            points.append(SeriesPoint(period, None, Status.GREY, comparison_value(target, period), pace, 0, expected))
            continue
        city, units = by_month[period]
        cov = city_coverage(metric, units)  # the rule the city row was judged by: "x/y 单位已报"
        points.append(
            SeriesPoint(
                period,
                city.value,
                city.status,
                comparison_value(target, period),
                pace,
                cov.reported,
                cov.expected,
                city.reading.state,
            )
        )

    latest = max((p.period for p in points if p.reported), default=None)
    unit_values: list[UnitValue] = []
    if latest is not None:
        rows = by_month[latest][1]
        figures = {f.unit_id: f for f in Figure.objects.filter(metric=metric, period=latest)}  # the units' explanations
        for r in rows:
            r.figure = figures.get(r.unit.pk)
        lower_better = target.better_direction is not None and target.better_direction.value == "lower"
        present = sorted((r for r in rows if r.value is not None), key=lambda r: r.value if lower_better else -r.value)
        unit_values = [UnitValue(r.unit, r) for r in present + [r for r in rows if r.value is None]]

    with_baseline = metric.pace and metric.basis == Metric.Basis.YTD and pace_start(target) is not None
    known = [(p.period.month, p.value) for p in points if p.value is not None]
    projected, meets = year_end_outlook(target, metric.measure, metric.basis, known)
    return MetricSeries(
        metric, year, points, latest, unit_values, benchmarks, projected, meets, _projection_method(metric, with_baseline)
    )


def series_json(series: MetricSeries) -> dict:
    m = series.metric
    low, high = series.band
    return {
        "metric": m.code,
        "name": m.name,
        "unit": "%" if m.is_percent else m.unit_of_measure,
        "target": m.target_text(),
        "year": series.year,
        "months": [format_month(p.period) for p in series.points],
        "city": [number(p.value) for p in series.points],
        "status": [p.status.value for p in series.points],
        "target_line": [number(p.target) for p in series.points] if not m.pace else [number(m.value)] * len(series.points),
        "pace": [number(p.pace) for p in series.points] if m.pace else None,
        "low": number(low),
        "high": number(high),
        "period": format_month(series.period) if series.period else None,
        "units": [
            {
                "unit": uv.unit.code,
                "name": uv.unit.name,
                "value": number(uv.row.value) if m.measure != Metric.Measure.MILESTONE else uv.row.display_value,
                "status": uv.row.status.value,
            }
            for uv in series.units
        ],
        "benchmarks": [{"name": b.name, "kind": b.kind, "value": number(b.value)} for b in series.benchmarks],
        "projection": {"value": number(series.projection), "meets": series.meets, "method": series.method},
    }
