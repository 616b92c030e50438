"""reports.printed on plain snapshots, no database: what a correction changes of what a
document printed (figures, totals, ranks), and nothing when it changes nothing printed."""

import pytest

from reports.printed import corrections_apply, corrections_diff, totals

FORMULA = {"parts": [{"code": "met", "weight": 100}], "groups": [], "red_black": 3}


def snapshot(**cells):
    """Cells as key=(value, status, counted, printed); two units ranked on 'met'."""
    return {
        "units": {"A": "甲县", "B": "乙县"},
        "metrics": {"m": "企业开办时间"},
        "cells": {k.replace("_", "|"): {"v": v, "s": s, "t": t, "p": p} for k, (v, s, t, p) in cells.items()},
        "totals_label": "各单位参评目标",
    }


def ranked(printed, a_met, b_met, periods=("2022-06",)):
    printed["ranks"] = {
        "县市区": {
            code: {
                "name": name,
                "rank": 0,
                "score": "0",
                "previous": None,
                "input": {"judged": 1, "met": met, "on_time": 0, "expected": 0, "improved": 0, "comparable": 0},
            }
            for code, name, met in (("A", "甲县", a_met), ("B", "乙县", b_met))
        }
    }
    printed["rank_periods"] = list(periods)
    printed["formula"] = FORMULA
    # the ranks as printed: A first when it met its target
    printed["ranks"]["县市区"]["A"].update(rank=1 if a_met >= b_met else 2, score=f"{100 * a_met}.0")
    printed["ranks"]["县市区"]["B"].update(rank=1 if b_met >= a_met else 2, score=f"{100 * b_met}.0")
    return printed


@pytest.mark.parametrize(
    "corrected, figures, moved_totals",
    [
        ({"2022-06|A|m": ("0.8个工作日", "red")}, [("甲县", "0.4个工作日", "0.8个工作日", "达标", "未达标")], True),
        ({"2022-06|A|m": ("0.45个工作日", "green")}, [("甲县", "0.4个工作日", "0.45个工作日", "达标", "达标")], False),
        ({"2022-06|A|m": ("0.4个工作日", "green")}, [], False),  # as printed: nothing
        ({"2022-05|A|m": ("9个工作日", "red")}, [], False),  # never printed: nothing
    ],
)
def test_a_correction_lists_what_it_changes_of_what_was_printed(corrected, figures, moved_totals):
    before = snapshot(**{"2022-06_A_m": ("0.4个工作日", "green", True, True), "2022-06_B_m": ("3个工作日", "red", True, True)})
    diff = corrections_diff(before, corrections_apply(before, corrected))
    got = [(f["unit"], f["old"], f["new"], f["old_status"], f["new_status"]) for f in diff.get("figures", [])]
    assert got == figures
    assert bool(diff.get("totals")) == moved_totals
    if moved_totals:
        assert diff["totals"]["before"] == {"达标": 1, "预警": 0, "未达标": 1, "未报送": 0}
        assert diff["totals"]["after"] == {"达标": 0, "预警": 0, "未达标": 2, "未报送": 0}


def test_the_printed_facts_are_never_changed_in_place():
    before = snapshot(**{"2022-06_A_m": ("0.4个工作日", "green", True, True)})
    corrections_apply(before, {"2022-06|A|m": ("0.8个工作日", "red")})
    assert before["cells"]["2022-06|A|m"]["s"] == "green" and totals(before)["green"] == 1


def test_a_correction_that_moves_a_score_moves_the_rank():
    before = ranked(
        snapshot(**{"2022-06_A_m": ("0.4个工作日", "green", False, True), "2022-06_B_m": ("3个工作日", "red", False, True)}), 1, 0
    )
    diff = corrections_diff(before, corrections_apply(before, {"2022-06|B|m": ("0.3个工作日", "green")}))
    assert [(r["unit"], r["old_rank"], r["new_rank"], r["old_score"], r["new_score"]) for r in diff["ranks"]] == [
        ("乙县", 2, 1, "0.0", "100.0")
    ]


def test_a_month_only_ranked_moves_the_rank_without_listing_its_figure():
    """The year-end bulletin ranks months it does not print: a correction there is said
    through the rank it moves, not as a figure."""
    before = ranked(
        snapshot(**{"2022-05_A_m": ("0.4个工作日", "green", False, False), "2022-05_B_m": ("3个工作日", "red", False, False)}),
        1,
        0,
        periods=("2022-05",),
    )
    diff = corrections_diff(before, corrections_apply(before, {"2022-05|A|m": ("5个工作日", "red")}))
    assert diff["figures"] == [] and diff["totals"] is None
    assert [(r["unit"], r["old_rank"], r["new_rank"], r["new_score"]) for r in diff["ranks"]] == [
        ("乙县", 2, 1, "0.0"),  # now tied (并列第1名) with 甲县
        ("甲县", 1, 1, "0.0"),
    ]
