"""Hypothesis strategies of hostile input shared by the tests/test_hostile_*.py files:
what users, spreadsheets and attackers actually send."""

from decimal import Decimal

from hypothesis import strategies as st

FORMULAS = [
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://evil.example","x")',
    "+1+1",
    "-2+3",
    "@SUM(1,1)",
    "\t=1+1",
    "=1E+999",
]
WEIRD_NUMBERS = [
    "NaN",
    "nan",
    "-nan",
    "sNaN",
    "Infinity",
    "-inf",
    "1e999999",
    "-1e999999",
    "1e-999999",
    "99999999999999999999999999",
    "100000000000000",
    "-0",
    "0x1F",
    "1_000",
    "1,2,3",
    "１２３．５",
    "90%",
    "%",
    "--1",
    "1e",
    ".",
    "١٢٣",  # Arabic-Indic digits: Decimal() accepts them
    "\u00a01",
    "1\x00",
    "０.５％",
]
hostile_text = st.one_of(
    st.sampled_from(FORMULAS + WEIRD_NUMBERS),
    st.text(max_size=30),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=10),
    st.from_regex(r"-?\d{1,30}(\.\d{0,12})?", fullmatch=True),
)
hostile_value = st.one_of(
    st.none(),
    hostile_text,
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.binary(max_size=8),
    st.just(Decimal("1E+100000")),
)
