"""The status of a month as pages read it: a StatusRow per metric × unit (and the city),
a StatusBoard per month. Built by indicators.status.board (computed) or
indicators.status.read (from the stored rows)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from actions.models import Plan, Unit
from indicators.models import Figure, Metric, TargetStatus
from indicators.rules import aggregate as agg
from indicators.rules.types import Reading, Status

CITY = "city"
GreyReason = TargetStatus.GreyReason


# -- what pages read -------------------------------------------------------------------
class MonthFigures:
    """A month's figures (of one unit, when given), read in one query the first time a row
    asks for its figure (the pages that show explanations); pages that show only statuses
    never read them."""

    def __init__(self, plan: Plan, period: date, unit: Unit | None = None):
        self.plan_id, self.period, self.unit, self._by_key = plan.pk, period, unit, None

    def get(self, metric_id: int, unit_id: int) -> Figure | None:
        if self._by_key is None:
            figures = Figure.objects.filter(metric__plan_id=self.plan_id, period=self.period)
            if self.unit is not None:  # a page about one unit: its figures only
                figures = figures.filter(unit=self.unit)
            self._by_key = {(f.metric_id, f.unit_id): f for f in figures}
        return self._by_key.get((metric_id, unit_id))


@dataclass
class StatusRow:
    """One metric for one reporting unit (or the city, unit=None) in one month."""

    metric: Metric
    unit: Unit | None
    _figure: Figure | None
    reading: Reading
    value: Decimal | None
    last_year: Decimal | None
    other: Decimal | None
    status: Status
    grey_reason: str = ""
    compared_with: Decimal | None = None
    _figures: MonthFigures | None = field(default=None, repr=False, compare=False)

    @property
    def figure(self) -> Figure | None:
        """The unit's figure (explanation, measures, history), None for the city."""
        if self._figures is not None:
            self._figure, self._figures = self._figures.get(self.metric.pk, self.unit.pk), None
        return self._figure

    @figure.setter
    def figure(self, figure: Figure | None) -> None:
        self._figure, self._figures = figure, None

    def __getstate__(self) -> dict:  # kept in the cache with its figure, not the loader
        self.figure  # noqa: B018 (loads it)
        return self.__dict__.copy()

    @property
    def unit_code(self) -> str:
        return self.unit.code if self.unit else CITY

    @property
    def display_value(self):
        if self.metric.measure == Metric.Measure.MILESTONE:
            return self.reading.state.value if self.reading.state else None
        return self.value

    @property
    def grey_reason_label(self) -> str:
        return GreyReason(self.grey_reason).label if self.grey_reason else ""


@dataclass
class StatusBoard:
    plan: Plan
    period: date
    metrics: list[Metric]
    unit_rows: list[StatusRow]
    city_rows: dict[int, StatusRow]  # metric id → city row
    computed_at: datetime | None = None  # None: computed for this request, not stored
    pending: bool = False  # a write awaits a refresh (STATUS_REFRESH_ASYNC)

    def coverage(self, metric_id: int) -> agg.Coverage:
        """How complete the metric's city value is ("x/y 单位已报"): the units it counts
        that reported, of those expected; the same rule the city row was judged by."""
        if getattr(self, "_coverage", None) is None:
            flags = defaultdict(list)
            for r in self.unit_rows:
                if r.unit.counts_in_city:
                    no_business = r.grey_reason == GreyReason.NO_BUSINESS
                    flags[r.metric.pk].append(agg.has_reported(r.metric.measure, r.reading, no_business=no_business))
            quorum = {m.pk: m.city_quorum for m in self.metrics}
            self._coverage = {pk: agg.coverage(f, quorum=quorum.get(pk)) for pk, f in flags.items()}
        return self._coverage.get(metric_id) or agg.coverage([])

    def rows(self) -> list[StatusRow]:
        """Every unit row of a metric, then its city row; metrics in plan order."""
        by_metric = defaultdict(list)
        for row in self.unit_rows:
            by_metric[row.metric.pk].append(row)
        out = []
        for m in self.metrics:
            out += by_metric[m.pk]
            out.append(self.city_rows[m.pk])
        return out
