"""The bulletin's score, ranking with ties, and the 红黑榜."""

from decimal import Decimal
from types import SimpleNamespace as NS

import pytest

from indicators.rules.scoring import (
    DEFAULT_FORMULA,
    FORMULA,
    FORMULA_TERMS,
    WEIGHTS,
    Formula,
    Group,
    Part,
    Ranked,
    ScoreInput,
    Tally,
    completeness,
    rank_units,
    red_black_list,
    score,
    scored_targets,
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
        (0, 0, 0, 0, 0, 0, None),  # no duty at all: not ranked, neither 0 nor full marks
        (1, 1, 1, 1, 0, 0, "100.0"),  # nothing comparable yet: 85 of 85 scaled to 100
        (1, 0, 1, 1, 0, 0, "29.4"),  # 25 of 85
        (0, 0, 4, 4, 3, 3, "100.0"),
        (0, 0, 4, 4, 0, 3, "62.5"),  # 25 of 40
        (4, 3, 0, 0, 3, 4, "75.0"),  # a lead department that reports nothing: no 按时报送率, never 0%
        (4, 3, 0, 1, 3, 4, "56.3"),  # …but a unit that should have reported and did not: 0% of it
        (3, 2, 0, 3, 0, 1, "40.0"),
        (10, 1, 1, 4, 0, 0, "14.4"),  # 12.25 of 85
        (20, 1, 1, 4, 0, 0, "10.9"),  # 9.25 of 85 = 10.88…
        (10, 1, 0, 4, 0, 0, "7.1"),  # 6 of 85 = 7.058…
        (7, 1, 0, 1, 0, 1, "8.6"),  # 8.571…
        (7, 2, 0, 1, 0, 1, "17.1"),  # 17.142…
        (3, 1, 1, 3, 1, 3, "33.3"),  # 20 + 8.333… + 5
        (2, 5, 9, 3, 7, 1, "100.0"),  # shares are capped at 100%
    ],
)
def test_score(judged, met, on_time, expected, improved, comparable, result):
    got = score(inp(judged, met, on_time, expected, improved, comparable))
    if result is None:
        assert got is None
    else:
        assert got == Decimal(result)
        assert str(got) == result


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


def test_rank_units_ties_share_a_rank_shown_as_bingle():
    inputs = [
        inp(1, 1, 1, 1, 0, 0, unit="b", name="乙"),  # 100
        inp(1, 1, 1, 1, 0, 0, unit="a", name="甲"),  # 100
        inp(1, 0, 1, 1, 0, 0, unit="c", name="丙"),  # 29.4
        inp(0, 0, 0, 0, 0, 0, unit="d", name="丁"),  # no duty: left out, never last
    ]
    ranked = rank_units(inputs)
    assert [(r.unit, r.rank, r.tied, r.rank_text) for r in ranked] == [
        ("a", 1, True, "并列1"),
        ("b", 1, True, "并列1"),
        ("c", 3, False, "3"),
    ]


def test_a_unit_without_duties_is_never_on_the_black_list():
    inputs = [inp(1, 1, 1, 1, 0, 0, unit=f"u{i}") for i in range(3)] + [inp(0, 0, 0, 0, 0, 0, unit="dept")]
    top, bottom = red_black_list(rank_units(inputs), 1)
    assert "dept" not in {r.unit for r in top + bottom}


OFFICE_FORMULA = Formula(
    parts=(Part("met", 80), Part("timeliness", 20)),
    groups=(Group("areas", "县市区和园区", kinds=("county", "park")), Group("depts", "市直部门", units=("tax", "amr"))),
    red_black=2,
)


@pytest.mark.parametrize(
    ("formula", "judged", "met", "on_time", "expected", "result"),
    [
        (OFFICE_FORMULA, 4, 3, 1, 1, "80.0"),  # 60 + 20
        (OFFICE_FORMULA, 4, 3, 0, 0, "75.0"),  # 60 of 80, no reporting duty
        (OFFICE_FORMULA, 0, 0, 1, 2, "50.0"),  # 10 of 20
        (DEFAULT_FORMULA, 4, 3, 1, 1, "82.4"),  # 70 of 85: improvement has no comparable month
    ],
)
def test_score_follows_the_plans_formula(formula, judged, met, on_time, expected, result):
    assert score(inp(judged, met, on_time, expected, 5, 0), formula) == Decimal(result)


def test_the_formula_states_itself_from_its_data():
    assert OFFICE_FORMULA.text() == "综合得分 = 达标率 × 80 + 按时报送率 × 20（满分100）"
    assert "县市区和园区、市直部门分组排名" in OFFICE_FORMULA.terms()
    assert "改善率" not in OFFICE_FORMULA.terms()
    assert "单位无某项职责(该项分母为 0)时该项不计" in FORMULA_TERMS
    assert Formula.from_dict(OFFICE_FORMULA.to_dict()) == OFFICE_FORMULA
    assert Formula.from_dict({}) == DEFAULT_FORMULA


@pytest.mark.parametrize(
    ("formula", "code", "kind", "group"),
    [
        (DEFAULT_FORMULA, "hengnan", "county", "counties"),
        (DEFAULT_FORMULA, "gaoxin", "park", "parks"),
        (DEFAULT_FORMULA, "tax", "department", "departments"),
        (OFFICE_FORMULA, "gaoxin", "park", "areas"),
        (OFFICE_FORMULA, "tax", "department", "depts"),  # listed by code
        (OFFICE_FORMULA, "court", "department", None),  # in no group: not ranked
    ],
)
def test_group_of(formula, code, kind, group):
    found = formula.group_of(code, kind)
    assert (found.code if found else None) == group


# -- the score's inputs: grey of any reason leaves the denominator --------------------------


@pytest.mark.parametrize(
    ("rows", "judged", "met", "comparable", "improved"),
    [
        # a park with one 本月无此项业务 counts as an identical peer without that target
        ([("green", None), ("green", None), ("red", None), ("grey", None)], 3, 2, 0, 0),
        ([("green", None), ("green", None), ("red", None)], 3, 2, 0, 0),
        # a department in September: its annual rank not yet published (grey) → 3/3, not 3/4
        ([("green", "green"), ("green", "green"), ("green", "red"), ("grey", "grey")], 3, 3, 3, 3),
        # grey last month: not comparable; red → yellow improved, green → red did not
        ([("yellow", "grey"), ("yellow", "red"), ("red", "green")], 3, 0, 2, 1),
        # nothing judged at all: no 达标率 duty (0/0, not 0%)
        ([("grey", None), ("grey", "green")], 0, 0, 0, 0),
    ],
)
def test_the_score_counts_only_judged_targets(rows, judged, met, comparable, improved):
    t = Tally()
    for status, before in rows:
        t.add(status, before)
    assert (t.judged, t.met, t.comparable, t.improved) == (judged, met, comparable, improved)


def _board():
    lead = NS(pk=1, code="housing")
    park = NS(pk=2, code="park")
    led = NS(pk=10, code="approval_days", indicator=NS(lead_unit=lead))
    own = NS(pk=11, code="own", indicator=NS(lead_unit=park))
    rows = [NS(unit=park, metric=led, status="green"), NS(unit=park, metric=own, status="grey")]
    city = {10: NS(unit=None, metric=led, status="green"), 11: NS(unit=None, metric=own, status="grey")}
    return [led, own], rows, city


@pytest.mark.parametrize(
    ("leads_scored", "expected"),
    [
        # default: the 指标长 sees the city-wide status but is not scored on it
        (False, [("park", "approval_days", False), ("park", "own", False)]),
        (True, [("park", "approval_days", False), ("park", "own", False), ("housing", "approval_days", True)]),
    ],
)
def test_a_lead_department_is_scored_on_what_it_leads_only_when_the_office_says_so(leads_scored, expected):
    metrics, rows, city = _board()
    got = scored_targets(metrics, rows, city, judged=lambda m: True, leads_scored=leads_scored)
    assert [(u.code, m.code, c) for u, m, _r, c in got] == expected


def test_the_lead_setting_is_part_of_the_formula_and_said_in_it():
    on = Formula.from_dict({**DEFAULT_FORMULA.to_dict(), "leads_scored": True})
    assert on.leads_scored and not DEFAULT_FORMULA.leads_scored
    assert Formula.from_dict(on.to_dict()) == on
    assert "牵头指标的全市值计分" in on.terms() and "牵头指标" not in DEFAULT_FORMULA.terms()


def _inp(code, judged=0, met=0, on_time=0, expected=0, submitted=0):
    return ScoreInput(code, code, judged, met, on_time, expected, 0, 0, submitted)


@pytest.mark.parametrize(
    ("inputs", "ranked"),
    [
        # nobody reported after the deadline: 暂无排名, not every unit 并列1 with 0 points
        ([_inp("a", expected=1), _inp("b", expected=1)], []),
        # one unit reported late with every target grey: the group is ranked
        ([_inp("a", expected=1, submitted=1), _inp("b", expected=1)], [("a", 1), ("b", 1)]),
        ([_inp("a", judged=2, met=1, expected=1), _inp("b", expected=1)], [("a", 1), ("b", 2)]),
    ],
)
def test_a_group_with_no_reports_is_not_ranked(inputs, ranked):
    from indicators.rules.scoring import rank_group

    assert [(r.unit, r.rank) for r in rank_group(inputs)] == ranked
