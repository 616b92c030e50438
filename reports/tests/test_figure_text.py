"""A figure reads the same everywhere in a document: one definition,
builders.common.figure_text, which the 更正通知 reads too (through value_text, in what a
version printed: reports.notices.printed_capture). Web pages keep their own spacing
(dashboards.value_text)."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from indicators.models import Metric
from indicators.rules.aggregate import reading_value
from indicators.rules.types import MilestoneState, Reading
from reports.builders.common import figure_text
from reports.selectors.common import value_text


def record(value=None, numerator=None, denominator=None, cases=None, state=""):
    return SimpleNamespace(value=value, numerator=numerator, denominator=denominator, cases=cases, state=state)


def correction_text(metric, row) -> str:
    """A figure (or a stored reading) as a document prints it."""
    if row is None:
        return "—"
    state = MilestoneState(row.state) if row.state else None
    reading = Reading(row.value, row.numerator, row.denominator, row.cases, state)
    value = None if metric.measure == "milestone" else reading_value(metric.measure, reading)
    return figure_text(metric, value, state)


# A target far from every figure below: the figure format (format_figure) reads the target
# for the decimals a comparison needs, and two are enough here.
FAR_TARGET = {"kind": "at_most", "value": Decimal(1000)}


@pytest.mark.parametrize(
    "measure, uom, row, document",
    [
        (Metric.Measure.AVERAGE, "个工作日", record(value=Decimal("0.5"), cases=12), "0.5个工作日"),
        (Metric.Measure.RATIO, "%", record(numerator=Decimal(9235), denominator=Decimal(10000)), "92.35%"),
        (Metric.Measure.COUNT, "月", record(value=Decimal("8.38")), "8.38个月"),
        (Metric.Measure.RANK, "名", record(value=Decimal(11)), "第11名"),
        (Metric.Measure.MILESTONE, "", record(state=MilestoneState.DONE.value), MilestoneState.DONE.label),
        (Metric.Measure.COUNT, "家", record(), "—"),
        (Metric.Measure.COUNT, "家", None, "—"),
    ],
)
def test_a_figure_is_written_with_its_unit_as_the_documents_do(measure, uom, row, document):
    metric = Metric(measure=measure, unit_of_measure=uom, **FAR_TARGET)
    assert correction_text(metric, row) == document


def test_web_pages_put_a_space_before_a_word_unit_documents_do_not():
    metric = Metric(measure=Metric.Measure.AVERAGE, unit_of_measure="个工作日", **FAR_TARGET)
    assert value_text(metric, Decimal("0.5")) == "0.5 个工作日"
    assert figure_text(metric, Decimal("0.5")) == "0.5个工作日"
