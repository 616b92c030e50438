"""`clean_figure` and `parse_number`: a figure as users type it, checked against how its
metric is measured. Pure: no database."""

import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators.rules.inputs import MAX_ABS, clean_figure, parse_number

D = Decimal


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, None),
        ("", None),
        ("   ", None),
        ("0", D(0)),
        ("0.5", D("0.5")),
        (" 12 ", D(12)),
        ("1,234.5", D("1234.5")),
        ("90%", D(90)),
        (" 90 % ", D(90)),
        ("０.５", D("0.5")),  # full-width, from a Chinese input method
        ("１，２３４", D(1234)),
        ("－3", D(-3)),
        ("1e3", D(1000)),
        (5, D(5)),
        (D("2.50"), D("2.50")),
        (0.1, D("0.1")),  # a float as Excel hands it over, not 0.1000000000000000055…
        ("0.1234567", D("0.123457")),  # more places than the database keeps: rounded to 6
        ("99999999999999", D("99999999999999")),  # the largest whole number that fits
        ("1,234", D(1234)),  # a thousands separator: exactly three digits after each comma
        ("12,345,678", D(12345678)),
        ("-1,234.56", D("-1234.56")),
        ("1,234%", D(1234)),
    ],
)
def test_parse_number_accepts_what_people_type(raw, expected):
    assert parse_number(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("abc", "“abc”不是数字"),
        ("半天", "“半天”不是数字"),
        ("=1+1", "“=1+1”不是数字"),
        ("1.2.3", "不是数字"),
        ("NaN", "“NaN”不是有效数字"),
        ("nan", "不是有效数字"),
        ("sNaN", "不是有效数字"),
        ("Infinity", "不是有效数字"),
        ("-inf", "不是有效数字"),
        (float("nan"), "不是有效数字"),
        (float("inf"), "不是有效数字"),
        ("1e20", "数值过大"),
        ("-1e20", "数值过大"),
        ("100000000000000", "数值过大"),
        ("99999999999999.9999999", "数值过大"),  # rounds up to 15 digits: would overflow NUMERIC(20, 6)
        ("1" + "0" * 40 + ".0000001", "数值过大"),  # too long to round: refused, not a crash
        (True, "应为数字"),
        # a comma that may be a decimal comma: refused, never guessed (was read as 32 and 125)
        ("3,2", "“3,2”中的逗号含义不明确:小数请用小数点(如 3.2)"),
        ("12,5", "“12,5”中的逗号含义不明确"),
        ("1,23", "逗号含义不明确"),
        ("1,2345", "逗号含义不明确"),
        ("1234,567", "逗号含义不明确"),  # four digits before the first comma
        (",5", "逗号含义不明确"),
        ("1,,234", "逗号含义不明确"),
        ("1,234.5,6", "逗号含义不明确"),
        ("１２，５", "逗号含义不明确"),  # full-width comma, same rule
    ],
)
def test_parse_number_refuses_the_rest(raw, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_number(raw)


def test_every_accepted_number_fits_the_database():
    for raw in ["99999999999999.999999", "-99999999999999.999999", "0.0000001", "1e-30"]:
        number = parse_number(raw)
        assert abs(number) < MAX_ABS
        assert len(number.as_tuple().digits) <= 20 and -number.as_tuple().exponent <= 6


# (measure, fields typed, expected clean values or errors) — one line per case
CASES = [
    # count
    ("count", {"value": "3"}, {"value": D(3)}, {}),
    ("count", {"value": "-1"}, {}, {"value": "数值不能为负数"}),
    ("count", {"value": "-1", "allow_negative": True}, {"value": D(-1)}, {}),
    ("count", {"value": "x"}, {}, {"value": "“x”不是数字"}),
    ("count", {}, {"value": None}, {}),  # nothing typed: nothing reported, no error
    ("count", {"value": "2.5", "unit_of_measure": "家"}, {}, {"value": "应填写整数(计量单位“家”不可有小数)"}),
    ("count", {"value": "2.0", "unit_of_measure": "次"}, {"value": D(2)}, {}),
    ("count", {"value": "3", "unit_of_measure": "个"}, {"value": D(3)}, {}),
    ("count", {"value": "2.5", "unit_of_measure": "万元"}, {"value": D("2.5")}, {}),  # an amount, not a count of things
    ("count", {"value": "85.5", "unit_of_measure": "分"}, {"value": D("85.5")}, {}),  # an index
    ("average", {"value": "2.5", "cases": "3", "unit_of_measure": "个工作日"}, {"value": D("2.5")}, {}),
    # ratio
    ("ratio", {"numerator": "45", "denominator": "50"}, {"numerator": D(45), "denominator": D(50)}, {}),
    ("ratio", {"numerator": "0", "denominator": "50"}, {"numerator": D(0)}, {}),
    ("ratio", {"numerator": "1", "denominator": "0"}, {}, {"denominator": "分母必须大于 0"}),
    ("ratio", {"numerator": "0", "denominator": "0"}, {}, {"denominator": "分母必须大于 0"}),
    ("ratio", {"numerator": "1", "denominator": "-2"}, {}, {"denominator": "分母必须大于 0"}),
    ("ratio", {"numerator": "-1", "denominator": "2"}, {}, {"numerator": "分子不能为负数"}),
    ("ratio", {"numerator": "-1", "denominator": "2", "allow_negative": True}, {"numerator": D(-1)}, {}),
    ("ratio", {"numerator": "1"}, {}, {"denominator": "请填写分母"}),
    ("ratio", {"denominator": "2"}, {}, {"numerator": "请填写分子"}),
    ("ratio", {"numerator": "1", "require_complete": False}, {}, {"denominator": "请填写分母"}),
    ("ratio", {"value": "90"}, {"numerator": None}, {}),  # a ratio's value column is not read
    # a share: numerator ≤ denominator; a growth rate (may be negative) is not a share
    ("ratio", {"numerator": "50", "denominator": "50"}, {"numerator": D(50)}, {}),
    ("ratio", {"numerator": "50.01", "denominator": "50"}, {}, {"numerator": "分子不能大于分母(比率不能超过 100%)"}),
    ("ratio", {"numerator": "120", "denominator": "100", "allow_negative": True}, {"numerator": D(120)}, {}),
    ("ratio", {"numerator": "120", "denominator": "100", "share": False}, {"numerator": D(120)}, {}),
    (
        "ratio",
        {"numerator": "120", "denominator": "100", "require_complete": False},
        {},
        {"numerator": "分子不能大于分母(比率不能超过 100%)"},
    ),
    # average
    ("average", {"value": "0.4", "cases": "25"}, {"value": D("0.4"), "cases": 25}, {}),
    ("average", {"value": "0", "cases": "0"}, {"value": D(0), "cases": 0}, {}),
    ("average", {"value": "0.4"}, {}, {"cases": "请填写件数(用于全市加权平均)"}),
    ("average", {"value": "0.4", "require_complete": False}, {"value": D("0.4"), "cases": None}, {}),
    ("average", {"cases": "3"}, {}, {"value": "请填写数值"}),
    ("average", {"value": "0.4", "cases": "0"}, {}, {"cases": "件数为 0 时没有平均值,请核对"}),
    ("average", {"value": "0.4", "cases": "2.5"}, {}, {"cases": "件数应为不小于 0 的整数"}),
    ("average", {"value": "0.4", "cases": "-1"}, {}, {"cases": "件数应为不小于 0 的整数"}),
    # rank
    ("rank", {"value": "1"}, {"value": D(1)}, {}),
    ("rank", {"value": "0"}, {}, {"value": "排名应为不小于 1 的整数"}),
    ("rank", {"value": "2.5"}, {}, {"value": "排名应为不小于 1 的整数"}),
    # milestone: state, or the state typed in the value column
    ("milestone", {"state": "已完成"}, {"state": "done"}, {}),
    ("milestone", {"value": "推进中"}, {"state": "in_progress"}, {}),
    ("milestone", {"value": " not_started "}, {"state": "not_started"}, {}),
    ("milestone", {"state": "2"}, {}, {"state": "“2”不是有效的完成状态(未启动 / 推进中 / 已完成)"}),
    ("milestone", {"state": "快好了"}, {}, {"state": "“快好了”不是有效的完成状态(未启动 / 推进中 / 已完成)"}),
    ("milestone", {}, {"state": ""}, {}),
]


@pytest.mark.parametrize(("measure", "typed", "clean", "errors"), CASES)
def test_clean_figure(measure, typed, clean, errors):
    out = clean_figure(measure, **typed)

    assert out.errors == errors
    for name, value in clean.items():
        assert getattr(out, name) == value, name


def test_an_untouched_figure_is_empty():
    assert clean_figure("average").is_empty
    assert not clean_figure("average", value="1", cases="2").is_empty


@given(st.one_of(st.text(), st.floats(), st.integers(), st.decimals()))
def test_parse_number_never_crashes_and_always_fits(raw):
    try:
        number = parse_number(raw)
    except ValueError:
        return
    if number is not None:
        assert number.is_finite() and abs(number) < MAX_ABS
        assert number.as_tuple().exponent >= -6


MEASURES = st.sampled_from(["count", "ratio", "average", "rank", "milestone"])


@given(MEASURES, st.lists(st.text(max_size=12), min_size=5, max_size=5))
def test_clean_figure_never_crashes(measure, typed):
    value, numerator, denominator, cases, state = typed
    out = clean_figure(measure, value=value, numerator=numerator, denominator=denominator, cases=cases, state=state)

    assert all(isinstance(message, str) and message for message in out.errors.values())


def test_a_milestone_state_is_never_a_bare_digit():
    # "1" could mean 推进中 or 已完成 to the person typing it: refuse rather than guess.
    out = clean_figure("milestone", state="1")
    assert out.errors["state"].startswith("“1”不是有效的完成状态")
    assert clean_figure("milestone", state="已完成").state == "done"
