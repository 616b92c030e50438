"""Metrics (measurable targets of the plan), who reports them, and the monthly figures.

Statuses are never typed: `indicators.rules` computes them from figures and targets, and
one writer (indicators.status) stores them as rows that every page reads.

One module per aggregate; every model is imported here so that `indicators.models.X`
(Django's app registry, the migrations, every importer) finds it.
"""

from indicators.models.baselines import BASELINE_DUPLICATE, Baseline
from indicators.models.figures import CorrectionRequest, Figure, ReportingMonth, Submission
from indicators.models.plan import NUMBER, Assignment, Benchmark, Metric
from indicators.models.status_rows import STATUS_CHOICES, ReportingStatus, StatusMonth, TargetStatus

__all__ = [
    "BASELINE_DUPLICATE",
    "NUMBER",
    "STATUS_CHOICES",
    "Assignment",
    "Baseline",
    "Benchmark",
    "CorrectionRequest",
    "Figure",
    "Metric",
    "ReportingMonth",
    "ReportingStatus",
    "StatusMonth",
    "Submission",
    "TargetStatus",
]

from indicators.ledger.models import Deliverable, DeliverableEvidence, DeliverableReport  # noqa: F401
from indicators.models.assumptions import AssumptionConfirmation  # noqa: F401
