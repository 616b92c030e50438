"""Titles carry their 文种 and break only between words, in a 梯形 or 菱形 (GB/T 9704
7.3.3), for every title the product can produce: each month's dispatch, each quarter's
bulletin, and each of them as a 更正."""

from itertools import pairwise

import pytest

from reports.builders.titles import TITLE_CHARS, bulletin_title, dispatch_title, line_width, title_lines, title_words

# Words a line must never split (the faults seen on main: 营商环/境, 攻坚/行动).
WORDS = ["营商环境", "攻坚行动", "推进情况", "调度情况", "通报", "季度", "全年"]


def every_title():
    for year in (2022, 2023, 2030):
        for month in range(1, 13):
            yield dispatch_title(year, month)
        for quarter in range(1, 5):
            yield bulletin_title(year, quarter)
    yield from [t + "（更正）" for t in list(_base())]


def _base():
    yield dispatch_title(2022, 12)
    yield bulletin_title(2022, 4)


def _is_trapezoid_or_diamond(widths):
    falling = all(a >= b for a, b in pairwise(widths))
    diamond = len(widths) == 3 and widths[1] >= widths[0] and widths[1] >= widths[2]
    return falling or diamond


@pytest.mark.parametrize("title", sorted(set(every_title())))
def test_every_title_names_its_kind_and_breaks_between_words(title):
    assert "的通报" in title  # the 文种
    lines = title_lines(title)
    assert "".join(lines) == title
    widths = [line_width(line) for line in lines]
    assert max(widths) <= TITLE_CHARS
    assert _is_trapezoid_or_diamond(widths), lines
    for a, b in pairwise(lines):
        joint = a[-4:] + "|" + b[:4]
        for word in WORDS:
            for cut in range(1, len(word)):
                assert word[:cut] + "|" + word[cut:] not in joint, (lines, word)
        assert not b.startswith(("的", "年", "月", "）")), lines  # a particle or a unit never starts a line
        assert not a[-1:].isdigit(), lines  # a number never leaves its 年/月


def test_the_dispatch_title_is_a_notice_not_a_phrase():
    assert dispatch_title(2022, 6) == "关于2022年6月全市优化营商环境攻坚行动调度情况的通报"


def test_a_number_keeps_its_unit_and_a_particle_its_word():
    words = title_words(bulletin_title(2022, 4))
    assert "2022年" in words and "推进情况的" in words
