"""Issue 20 (8): the city 拖欠 total is the sum of 4 counties while 7 units are listed, and
a park reports 634.65 while its county reports 0; nothing reconciled or explained either.
The 注 are pure functions of the figures, table-driven here."""

from decimal import Decimal as D

import pytest

from reports.builders.footnotes import CountFacts, UnitFigure, body_note, park_notes, table_notes, total_note

COUNTY_A = UnitFigure("甲县", D("100"))
COUNTY_B = UnitFigure("乙县", D("0"))
PARK_A = UnitFigure("甲园区", D("30"), counted=False, county="甲县")
PARK_B = UnitFigure("乙园区", D("634.65"), counted=False, county="乙县")
DEPT = UnitFigure("市工信局", D("20"))


def facts(city, *units):
    return CountFacts("拖欠民营企业中小企业账款余额", "万元", None if city is None else D(city), tuple(units))


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        (facts("120", COUNTY_A, DEPT), ""),  # the units add up: nothing to say
        (facts(None, COUNTY_A, DEPT), ""),  # no city total
        (facts("120"), ""),  # no unit listed
        (
            facts("120", COUNTY_A, PARK_A, DEPT),
            "“拖欠民营企业中小企业账款余额”全市合计120万元为2个单位数据之和，甲园区的数据已含在所属县市区数据中，"
            "不重复计入，故与所列3个单位数据之和150万元不一致。",
        ),
        (
            facts("120", COUNTY_A, COUNTY_B, PARK_A, PARK_B, UnitFigure("丙园区", D("1"), counted=False, county="丙县"), DEPT),
            "“拖欠民营企业中小企业账款余额”全市合计120万元为3个单位数据之和，甲园区、乙园区等3个单位的数据已含在所属县市区数据中，"
            "不重复计入，故与所列6个单位数据之和785.65万元不一致。",
        ),
        (  # a difference the parks do not explain: said, the city total stands
            facts("125", COUNTY_A, DEPT),
            "“拖欠民营企业中小企业账款余额”全市合计125万元，与所列2个单位数据之和120万元不一致，以全市合计为准。",
        ),
        (facts("120", COUNTY_A, UnitFigure("丁县", None), DEPT), ""),  # a unit without a figure adds nothing
    ],
)
def test_total_note(case, expected):
    assert total_note(case) == expected


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        (facts("100", COUNTY_A, PARK_A), []),  # the park below its county
        (
            facts("0", COUNTY_B, PARK_B),
            [
                "乙园区报送的“拖欠民营企业中小企业账款余额”为634.65万元，高于所属乙县的0万元，"
                "而园区数据应已含在所属县市区数据中，请乙园区和乙县核实。"
            ],
        ),
        (facts("0", PARK_B), []),  # its county not listed: nothing to compare with
        (facts("0", UnitFigure("乙县", None), PARK_B), []),  # its county without a figure
        (facts("100", COUNTY_A, UnitFigure("甲园区", D("100"), counted=False, county="甲县")), []),  # equal is plausible
    ],
)
def test_park_notes(case, expected):
    assert park_notes(case) == expected


def test_one_note_is_said_as_such_and_several_are_numbered():
    assert table_notes([facts("120", COUNTY_A, DEPT)]) == []
    one = table_notes([facts("125", COUNTY_A, DEPT)])
    assert len(one) == 1 and one[0].startswith("注：“拖欠")
    several = table_notes([facts("0", COUNTY_B, PARK_B), facts("125", COUNTY_A, DEPT)])
    assert [n[:4] for n in several] == ["注：1.", "2.“拖", "3.乙园"]  # totals first, then parks
    assert "全市合计0万元" in several[0] and "全市合计125万元" in several[1]


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ([facts("120", COUNTY_A, DEPT)], ""),
        (
            [facts("100", COUNTY_A, COUNTY_B, PARK_A, PARK_B)],
            "注：“拖欠民营企业中小企业账款余额”全市合计未重复计入园区数据，1个园区数据高于所属县市区，详见附件2。",
        ),
        ([facts("125", COUNTY_A, DEPT)], "注：“拖欠民营企业中小企业账款余额”全市合计与所列单位数据之和不一致，详见附件2。"),
    ],
)
def test_body_note_says_it_in_a_sentence(case, expected):
    assert body_note(case, see="附件2") == expected
