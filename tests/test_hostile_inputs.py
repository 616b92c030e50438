"""indicators.rules.inputs.clean_figure on hostile input: whatever a user, a spreadsheet
cell or an attacker sends, it answers with a clean figure or Chinese messages, never an
exception, and a figure it accepts always fits the database and the metric."""

from decimal import Decimal

from hypothesis import example, given, settings
from hypothesis import strategies as st

from indicators.rules.inputs import MAX_ABS, STATE_WORDS, clean_figure
from tests.hostile import hostile_value

MEASURES = ["count", "ratio", "average", "rank", "milestone"]
CJK = set(range(0x4E00, 0xA000))


def fits(number) -> bool:
    return number is None or (isinstance(number, Decimal) and number.is_finite() and abs(number) < MAX_ABS)


@settings(max_examples=200, deadline=None)
@given(
    measure=st.sampled_from(MEASURES),
    value=hostile_value,
    numerator=hostile_value,
    denominator=hostile_value,
    cases=hostile_value,
    state=hostile_value,
    allow_negative=st.booleans(),
    require_complete=st.booleans(),
)
@example("ratio", None, "=cmd|' /C calc'!A0", "0", None, None, False, True)
@example("average", "NaN", None, None, "1e999999", None, False, True)
@example("count", Decimal("sNaN"), None, None, None, None, True, False)
def test_it_never_raises_and_accepts_only_sound_figures(
    measure, value, numerator, denominator, cases, state, allow_negative, require_complete
):
    out = clean_figure(
        measure,
        value=value,
        numerator=numerator,
        denominator=denominator,
        cases=cases,
        state=state,
        allow_negative=allow_negative,
        require_complete=require_complete,
    )
    for name, message in out.errors.items():
        assert name in {"value", "numerator", "denominator", "cases", "state"}
        assert isinstance(message, str) and any(ord(c) in CJK for c in message), message
    if out.errors:
        return
    assert fits(out.value) and fits(out.numerator) and fits(out.denominator)
    for number in (out.value, out.numerator):
        assert allow_negative or number is None or number >= 0
    assert out.denominator is None or out.denominator > 0
    assert out.cases is None or (isinstance(out.cases, int) and 0 <= out.cases < MAX_ABS)
    assert out.state in {"", *STATE_WORDS.values()}
    if measure == "milestone":
        assert out.value is None and out.numerator is None
    if measure == "rank" and out.value is not None:
        assert out.value >= 1 and out.value == out.value.to_integral_value()
    if measure == "ratio" and require_complete and not out.is_empty:
        assert out.numerator is not None and out.denominator is not None


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(["=cmd|' /C calc'!A0", "=1+1", "+1+1", "@A1", "-1+2", "=HYPERLINK(1)"]), st.sampled_from(MEASURES))
def test_formulas_are_never_numbers(formula, measure):
    out = clean_figure(measure, value=formula, numerator=formula, denominator=formula, cases=formula, state=formula)
    assert out.errors
