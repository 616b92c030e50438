"""Value types: status labels and marks, number formatting, targets in words."""

from datetime import date
from decimal import Decimal

import pytest

from indicators.rules.types import (
    Direction,
    GreyReason,
    Kind,
    Measure,
    MilestoneState,
    Status,
    Target,
    format_number,
)


@pytest.mark.parametrize(
    ("status", "label", "icon"),
    [
        (Status.GREEN, "达标", "✔"),
        (Status.YELLOW, "预警", "!"),
        (Status.RED, "未达标", "✖"),
        (Status.GREY, "未报送", "–"),
    ],
)
def test_status_label_and_icon(status, label, icon):
    assert (status.label, status.icon) == (label, icon)


def test_status_icons_all_differ():
    # Status is never told by colour alone, so every mark must be distinct.
    assert len({s.icon for s in Status}) == len(Status)


def test_every_enum_member_has_a_label():
    for enum in (Kind, Measure, Direction, MilestoneState, GreyReason):
        assert all(member.label for member in enum)


def test_grey_reasons_in_the_offices_words():
    assert GreyReason.choices() == [
        ("not_reported", "未报送"),
        ("no_business", "本月无此项业务"),
        ("no_baseline", "无基数"),
        ("not_due", "未到考核期"),
        ("not_applicable", "不适用"),
        ("pending_confirmation", "待核定"),
    ]


@pytest.mark.parametrize(
    ("state", "label"),
    [("not_started", "未启动"), ("in_progress", "推进中"), ("done", "已完成")],
)
def test_milestone_state_label(state, label):
    assert MilestoneState(state).label == label


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("0.50", "0.5"),
        ("0.5", "0.5"),
        ("1000", "1000"),
        ("1E+3", "1000"),
        ("90.000", "90"),
        ("0.000", "0"),
        ("-0", "0"),
        ("-1.250", "-1.25"),
        (58, "58"),
    ],
)
def test_format_number(value, text):
    assert format_number(Decimal(value) if isinstance(value, str) else value) == text


def D(x):
    return None if x is None else Decimal(x)


@pytest.mark.parametrize(
    ("kind", "value", "low", "high", "direction", "due", "unit", "other_name", "text"),
    [
        ("at_most", "0.50", None, None, None, None, "个工作日", None, "≤ 0.5 个工作日"),
        ("at_most", "58", None, None, None, None, "个工作日", None, "≤ 58 个工作日"),
        ("at_least", "90", None, None, None, None, "%", None, "≥ 90%"),
        ("exceed", "1000", None, None, None, None, "家", None, "> 1000 家"),
        ("exactly", "100", None, None, None, None, "%", None, "= 100%"),
        ("exactly", "0", None, None, None, None, "", None, "= 0"),
        ("range", None, "220", "280.0", None, None, "美元", None, "220 至 280 美元"),
        ("change_vs_last_year", "8", None, None, "lower", None, "小时", None, "较上年同期压缩 ≥ 8%"),
        ("change_vs_last_year", "8", None, None, None, None, "小时", None, "较上年同期压缩 ≥ 8%"),
        ("change_vs_last_year", "5.5", None, None, "higher", None, "%", None, "较上年同期提高 ≥ 5.5%"),
        ("relative_to", None, None, None, "higher", None, "%", "各项贷款增速", "不低于「各项贷款增速」"),
        ("relative_to", None, None, None, "lower", None, "%", "全省平均", "不高于「全省平均」"),
        ("relative_to", None, None, None, None, None, "%", None, "不低于对比指标"),
        ("improve", None, None, None, "higher", None, "", None, "优于上年"),
        ("rank", "3", None, None, None, None, "名", None, "全省排名前 3 名"),
        ("milestone", None, None, None, None, date(2022, 12, 31), "", None, "2022-12-31 前完成"),
        ("milestone", None, None, None, None, None, "", None, "按期完成"),
        ("reference", None, None, None, None, None, "%", None, "参考指标，不考核"),
        ("at_most", None, None, None, None, None, "个工作日", None, "≤ —"),
    ],
)
def test_describe(kind, value, low, high, direction, due, unit, other_name, text):
    target = Target(
        Kind(kind),
        value=D(value),
        low=D(low),
        high=D(high),
        direction=Direction(direction) if direction else None,
        due=due,
    )
    assert target.describe(unit, other_name=other_name) == text


@pytest.mark.parametrize(
    ("kind", "direction", "better"),
    [
        ("at_most", None, "lower"),
        ("rank", None, "lower"),
        ("at_least", None, "higher"),
        ("exceed", None, "higher"),
        ("change_vs_last_year", None, "lower"),
        ("change_vs_last_year", "higher", "higher"),
        ("relative_to", None, "higher"),
        ("relative_to", "lower", "lower"),
        ("improve", None, "higher"),
        ("improve", "lower", "lower"),
        ("exactly", None, None),
        ("milestone", None, None),
    ],
)
def test_better_direction(kind, direction, better):
    target = Target(Kind(kind), direction=Direction(direction) if direction else None)
    assert target.better_direction == (Direction(better) if better else None)
