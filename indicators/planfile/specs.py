"""What a checked plan file reads into: plain records, no database."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass
class UnitSpec:
    code: str
    name: str
    kind: str
    parent: str | None
    reports: bool
    needs_approval: bool
    cases_in_county: str | None = None


@dataclass
class IndicatorSpec:
    code: str
    name: str
    lead_unit: str
    chief_name: str
    chief_post: str


@dataclass
class TaskSpec:
    code: str
    number: int
    title: str
    text: str
    lead_indicator: str


@dataclass
class MetricSpec:
    code: str
    name: str
    indicator: str
    task: str | None
    unit: str
    measure: str
    aggregate: str
    basis: str
    scope: str
    reporters: list[str]
    kind: str
    value: Decimal | None
    low: Decimal | None
    high: Decimal | None
    direction: str
    relative_metric: str | None
    due: date | None
    tolerance: Decimal
    pace: bool
    year_end_only: bool
    baseline: Decimal | None
    stretch: Decimal | None
    pace_profile: str
    batch_months: list[int]
    pace_from: Decimal | None
    checkpoints: list[tuple[str, date]]
    benchmarks: list[tuple[str, Decimal, str]]  # (name, value, kind)
    source: str
    reading: str
    sort_order: int
    pending: list[str] = field(default_factory=list)
    # How many of its reporters must have reported before the city value is judged
    # (rules.aggregate.coverage); None: every one of them.
    city_quorum: int | None = None


@dataclass
class AreaSpec:
    code: str
    number: int
    name: str
    goals: str
    tasks: list[TaskSpec] = field(default_factory=list)
    metrics: list[MetricSpec] = field(default_factory=list)


@dataclass
class PlanSpec:
    year: int
    title: str
    issued: date | None
    issuer: str
    units: list[UnitSpec]
    indicators: list[IndicatorSpec]
    areas: list[AreaSpec]
    scoring: dict = field(default_factory=dict)  # Formula.to_dict(); empty: the default formula
    supervision: list[dict] = field(default_factory=list)  # [{"when": …, "propose": …}], in file order
    deliverables: list = field(default_factory=list)  # indicators.ledger.planfile.DeliverableSpec, in file order
    reporting_from: date | None = None  # the first month reported; None: the month after `issued`
