"""A figure reads the same everywhere in a document: the 更正 table (a figure or a
historical record of one) says what the dispatch's tables say (one definition,
builders.common.figure_text). Web pages keep their own spacing (dashboards.value_text)."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from indicators.models import Metric
from indicators.rules.types import MilestoneState
from reports.builders.common import figure_text
from reports.selectors.common import value_text
from reports.services import _figure_text as correction_text


def record(value=None, numerator=None, denominator=None, cases=None, state=""):
    return SimpleNamespace(value=value, numerator=numerator, denominator=denominator, cases=cases, state=state)


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
def test_the_correction_table_writes_a_figure_as_the_documents_do(measure, uom, row, document):
    metric = Metric(measure=measure, unit_of_measure=uom)
    assert correction_text(metric, row) == document


def test_web_pages_put_a_space_before_a_word_unit_documents_do_not():
    metric = Metric(measure=Metric.Measure.AVERAGE, unit_of_measure="个工作日")
    assert value_text(metric, Decimal("0.5")) == "0.5 个工作日"
    assert figure_text(metric, Decimal("0.5")) == "0.5个工作日"
