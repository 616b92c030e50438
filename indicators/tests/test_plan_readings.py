"""The plan file reads the plan's words as they stand (issue 21, item 7), each reading
quoting the plan's sentence: 纳税累计时间 is an annual modelled figure like 纳税次数;
不动产首次登记 "压缩至最短1个工作日" is the shortest case, not an average; 双随机 has no
tolerance the plan does not give; 科技型中小企业 is paced from last year's stock."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from indicators.planfile.parse import PlanFileError, parse_plan
from indicators.rules.pace import pace_value
from indicators.rules.status import judge
from indicators.rules.types import Measure, Reading, Status

PLAN_TEXT = (Path(__file__).resolve().parents[2] / "fixtures" / "plan_2022.yaml").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def metrics():
    spec = parse_plan(PLAN_TEXT)
    return {m.code: m for a in spec.areas for m in a.metrics}


def test_tax_hours_is_an_annual_modelled_figure_like_tax_payments(metrics):
    hours, times = metrics["tax_hours"], metrics["tax_payments"]
    assert (hours.measure, hours.basis) == (times.measure, times.basis) == ("count", "year_end")
    assert "纳税累计时间压减至80小时" in hours.reading and "不填办件数" in hours.reading


def test_first_registration_is_the_shortest_case_not_an_average(metrics):
    m = metrics["low_risk_first_registration_days"]
    assert m.measure == "count" and m.aggregate == "worst"  # no case count: not an average
    assert "压缩至最短1个工作日" in m.reading and "用时最短的一件" in m.reading


def test_double_random_has_no_tolerance_the_plan_does_not_give(metrics):
    m = metrics["double_random_coverage"]
    assert m.tolerance == 0 and "tolerance" not in m.pending
    assert "实现100%全覆盖" in m.reading and "不设预警容差" in m.reading


def test_tech_smes_are_paced_from_last_years_stock(metrics):
    from indicators.rules.types import Kind, Target

    m = metrics["tech_smes"]
    target = Target(Kind(m.kind), value=m.value, pace=m.pace, baseline=m.baseline, pace_from=m.pace_from, tolerance=m.tolerance)
    assert pace_value(target, 1) == Decimal("862.5")  # 850 + 150 / 12, not 1000 / 12 from 0
    # January with last year's stock carried and the year's entries still to come: not red
    j = judge(target, Measure.COUNT, Reading(value=Decimal(850)), as_of=date(2022, 1, 31), period=date(2022, 1, 1))
    assert j.status is Status.YELLOW
    assert "科技型中小企业突破1000家" in m.reading


def test_pace_from_stock_needs_a_baseline():
    text = PLAN_TEXT.replace("        baseline: 850   # placeholder 待市优化办核定\n", "")
    with pytest.raises(PlanFileError) as exc:
        parse_plan(text)
    assert "pace_from: stock" in str(exc.value)


def test_every_changed_reading_quotes_the_plans_sentence(metrics):
    for code in ("tax_hours", "low_risk_first_registration_days", "double_random_coverage", "tech_smes"):
        sentence = metrics[code].source.split("……")[0]
        assert sentence in metrics[code].reading, code
