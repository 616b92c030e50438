"""The bulletin's score, ranking with ties, and the 红黑榜."""

from decimal import Decimal

import pytest

from indicators.rules.scoring import (
    FORMULA,
    WEIGHTS,
    Ranked,
    ScoreInput,
    completeness,
    rank_units,
    red_black_list,
    score,
)


def test_formula_states_the_weights():
    assert FORMULA == "综合得分 = 达标率 × 60 + 按时报送率 × 25 + 改善率 × 15（满分100）"
    assert sum(WEIGHTS.values()) == 100


def test_weights_cannot_drift_from_the_formula():
    with pytest.raises(TypeError):
        WEIGHTS["met"] = 70


def inp(judged, met, on_time, expected, improved, comparable, unit="u", name="单位"):
    return ScoreInput(unit, name, judged, met, on_time, expected, improved, comparable)


@pytest.mark.parametrize(
    ("judged", "met", "on_time", "expected", "improved", "comparable", "result"),
    [
        (10, 10, 3, 3, 4, 4, "100.0"),
        (0, 0, 0, 0, 0, 0, "0.0"),  # nothing judged, expected or comparable: 0, not full marks
        (1, 1, 1, 1, 0, 0, "85.0"),
        (0, 0, 4, 4, 3, 3, "40.0"),
        (3, 2, 0, 3, 0, 1, "40.0"),
        (10, 1, 1, 4, 0, 0, "12.3"),  # 12.25 rounds half up (not to even 12.2)
        (7, 1, 0, 1, 0, 1, "8.6"),  # 8.571…
        (7, 2, 0, 1, 0, 1, "17.1"),  # 17.142…
        (3, 1, 1, 3, 1, 3, "33.3"),  # 20 + 8.333… + 5
        (2, 5, 9, 3, 7, 1, "100.0"),  # shares are capped at 100%
    ],
)
def test_score(judged, met, on_time, expected, improved, comparable, result):
    assert score(inp(judged, met, on_time, expected, improved, comparable)) == Decimal(result)
    assert str(score(inp(judged, met, on_time, expected, improved, comparable))) == result


@pytest.mark.parametrize(
    ("submitted", "expected", "share"),
    [
        (0, 0, "0"),
        (3, 0, "0"),
        (0, 5, "0"),
        (4, 5, "80"),
        (5, 5, "100"),
        (6, 5, "100"),  # imports and typed figures together never exceed 100%
        (2, 3, "66.7"),
        (1, 3, "33.3"),
    ],
)
def test_completeness(submitted, expected, share):
    assert completeness(submitted, expected) == Decimal(share)


def test_rank_units_competition_ranking_and_movement():
    inputs = [
        inp(1, 0, 0, 1, 0, 0, unit="d", name="丁"),  # 0
        inp(1, 1, 1, 1, 1, 1, unit="a", name="甲"),  # 100
        inp(1, 1, 0, 1, 0, 1, unit="c", name="丙"),  # 60
        inp(1, 1, 0, 1, 0, 1, unit="b", name="乙"),  # 60
    ]
    ranked = rank_units(inputs, previous={"a": 2, "b": 1, "d": 4})
    assert [(r.unit, r.score, r.rank, r.previous_rank, r.movement) for r in ranked] == [
        ("a", Decimal("100.0"), 1, 2, 1),
        ("b", Decimal("60.0"), 2, 1, -1),
        ("c", Decimal("60.0"), 2, None, None),
        ("d", Decimal("0.0"), 4, 4, 0),
    ]


def test_rank_units_empty():
    assert rank_units([]) == []


def R(unit, rank):
    return Ranked(unit, unit, Decimal(100 - rank), rank, None, None)


def units(ranks):
    return [R(f"u{i}", rank) for i, rank in enumerate(ranks, start=1)]


def names(rows):
    return [r.unit for r in rows]


@pytest.mark.parametrize(
    ("ranks", "n", "top", "bottom"),
    [
        ([1, 2, 3, 4, 5, 6, 7, 8], 3, ["u1", "u2", "u3"], ["u6", "u7", "u8"]),
        ([1, 2, 3, 4, 5, 6], 3, ["u1", "u2", "u3"], ["u4", "u5", "u6"]),
        ([1, 2, 3, 4, 5], 3, ["u1", "u2", "u3"], ["u4", "u5"]),  # fewer than 2n: no overlap
        ([1, 2], 3, ["u1", "u2"], []),
        ([1, 2, 3, 3, 5, 6, 7, 8], 3, ["u1", "u2", "u3", "u4"], ["u6", "u7", "u8"]),  # tie at 3rd
        ([1, 2, 3, 4, 5, 6, 6, 8], 3, ["u1", "u2", "u3"], ["u6", "u7", "u8"]),
        ([1, 2, 3, 4, 5, 6, 7, 7], 1, ["u1"], ["u7", "u8"]),  # tied for last
        ([1, 2, 3], 0, [], []),
        ([], 3, [], []),
    ],
)
def test_red_black_list(ranks, n, top, bottom):
    red, black = red_black_list(units(ranks), n)
    assert (names(red), names(black)) == (top, bottom)
