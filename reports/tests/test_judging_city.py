"""A city value is judged only when its expected reporters have reported; until then it is
grey 未报送 with "x/y 单位已报" on the overview, the metric page and the bulletin (issue 21)."""

from datetime import date

from actions.models import Unit
from indicators.models import Assignment, Figure, Metric
from indicators.selectors import status_board
from reports.selectors.metric import metric_series_compute
from reports.selectors.overview import overview

JUNE = date(2022, 6, 1)
TODAY = date(2022, 7, 20)
CODE = "sme_reserved_share"  # 政府采购中小企业预留份额比例 ≥ 30%: the 12 counties and 市财政局 report it


def put(code, **values):
    Figure.objects.create(unit=Unit.objects.get(code=code), metric=Metric.objects.get(code=CODE), period=JUNE, **values)


def city(plan):
    board = status_board(plan=plan, period=JUNE, today=TODAY)
    m = Metric.objects.get(code=CODE)
    return board.city_rows[m.pk], board.coverage(m.pk)


def test_a_city_value_from_two_of_thirteen_reporters_is_not_judged(plan_2022, users):
    put("hengnan", numerator=50, denominator=100)
    put("finance", numerator=40, denominator=100)
    row, cov = city(plan_2022)
    assert row.value == 45  # shown with its figure
    assert (row.status, row.grey_reason) == ("grey", "not_reported")  # not green from whoever reported
    assert cov.text == "2/13 单位已报"

    ov = overview(plan=plan_2022, period=JUNE, user=users["office"], today=TODAY)
    matrix = next(r for r in ov.rows if r.metric.code == CODE)
    assert matrix.coverage.text == "2/13 单位已报" and not matrix.coverage.complete
    point = next(p for p in metric_series_compute(Metric.objects.get(code=CODE), 2022, TODAY).points if p.period == JUNE)
    assert (point.reported, point.expected, point.status) == (2, 13, "grey")


def test_a_city_value_is_judged_once_every_reporter_has_reported(plan_2022):
    reporters = Assignment.objects.filter(metric__code=CODE).values_list("unit__code", flat=True)
    for code in reporters:
        if code == "hengnan":
            put(code, numerator=50, denominator=100)
        else:
            put(code, no_business=True)  # 本月无此项业务 is a report
    row, cov = city(plan_2022)
    assert cov.complete and cov.text == f"{len(reporters)}/{len(reporters)} 单位已报"
    assert row.status == "green"


def test_the_plan_file_may_judge_a_city_value_on_a_quorum(db, tmp_path):
    from io import StringIO
    from pathlib import Path

    from django.core.management import call_command

    from actions.models import Plan

    text = (Path(__file__).resolve().parents[2] / "fixtures" / "plan_2022.yaml").read_text(encoding="utf-8")
    anchor = "        reporters: [counties, finance]\n"
    assert anchor in text
    text = text.replace(anchor, anchor + "        city_quorum: 2\n", 1)
    (tmp_path / "plan.yaml").write_text(text, encoding="utf-8")
    call_command("load_plan", str(tmp_path / "plan.yaml"), stdout=StringIO())
    plan = Plan.objects.get(year=2022)
    put("hengnan", numerator=50, denominator=100)
    put("finance", numerator=40, denominator=100)
    row, cov = city(plan)
    assert cov.complete and cov.text == "2/13 单位已报"
    assert row.status == "green"  # 45% ≥ 30%: judged on the quorum the plan sets
