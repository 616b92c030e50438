"""A figure as entered, in the history, the stale-save notice and the Excel sheet: one
text for each kind of entry, and nothing for an empty one."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from indicators.rules.inputs import entry_text


def entry(value=None, numerator=None, denominator=None, cases=None, state="", no_business=False):
    return SimpleNamespace(
        value=value, numerator=numerator, denominator=denominator, cases=cases, state=state, no_business=no_business
    )


@pytest.mark.parametrize(
    "figure, text",
    [
        (None, ""),
        (entry(), ""),
        (entry(value=Decimal("1.500000")), "1.5"),
        (entry(value=Decimal("0.4"), cases=5), "0.4(5 件)"),
        (entry(value=Decimal("0"), cases=0), "0(0 件)"),
        (entry(numerator=Decimal("45"), denominator=Decimal("50.000000")), "45/50"),
        (entry(numerator=Decimal("45")), "45/—"),
        (entry(denominator=Decimal("50")), "—/50"),
        (entry(state="done"), "已完成"),
        (entry(state="in_progress", value=Decimal("3")), "推进中"),  # a state says it all
        (entry(no_business=True), "本月无此项业务"),
    ],
)
def test_an_entry_reads_as_typed(figure, text):
    assert entry_text(figure) == text
