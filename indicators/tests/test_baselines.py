"""Last year's values belong to the office: `load_baselines` loads a CSV all or nothing
with line-numbered Chinese errors, the office edits them on its page (with history),
reporters see them read-only, and the status board judges with them."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from actions.models import Unit
from indicators.baselines import baseline_for
from indicators.forms.entry import input_names
from indicators.models import Baseline, Figure, Metric
from indicators.rules.types import Status
from indicators.selectors import entry_sheet, status_board

JUNE = date(2022, 6, 1)
HEADER = "metric,unit,period,value,note\n"


def load(tmp_path, text, encoding="utf-8"):
    path = tmp_path / "baselines.csv"
    path.write_bytes(text.encode(encoding))
    call_command("load_baselines", str(path), stdout=open(path.with_suffix(".out"), "w"))
    return path.with_suffix(".out").read_text()


def test_a_file_loads_and_loading_it_again_changes_nothing(plan_2022, tmp_path):
    text = (
        HEADER
        + "outage_hours,power,2021-06,10,2021年6月累计\nsummary_procedure_rate,hengnan,2021,58.5,\ntech_smes,city,2021,850,\n"
    )

    out = load(tmp_path, text)

    assert "新增 3 条" in out
    rows = {(b.metric.code, b.unit.code if b.unit else None, b.period): b.value for b in Baseline.objects.all()}
    assert rows == {
        ("outage_hours", "power", date(2021, 6, 1)): 10,
        ("summary_procedure_rate", "hengnan", None): Decimal("58.5"),
        ("tech_smes", None, None): 850,
    }
    assert "未变化 3 条" in load(tmp_path, text)
    assert "更新 1 条" in load(tmp_path, text.replace(",10,", ",11,"))
    assert Baseline.objects.get(metric__code="outage_hours").history.count() == 2  # every change is kept


@pytest.mark.parametrize(
    ("row", "words"),
    [
        ("nosuch,power,2021-06,10,", "第2行 metric: 2022年方案中没有编码为“nosuch”的指标"),
        ("outage_hours,nosuch,2021-06,10,", "第2行 unit: 未定义的单位编码“nosuch”"),
        ("outage_hours,power,2021-13,10,", "第2行 period: “2021-13”不是有效的上年月份"),
        ("outage_hours,power,2021-06,十,", "第2行 value: “十”不是数字"),
        ("outage_hours,power,2020-06,10,", "第2行 metric: 2021年方案中没有编码为“outage_hours”的指标"),
        ("outage_hours,power,2021-06,10,,extra", "第2行: 列数多于表头"),
    ],
)
def test_a_bad_row_rejects_the_whole_file(plan_2022, tmp_path, row, words):
    good = "tech_smes,city,2021,850,\n"
    with pytest.raises(CommandError) as exc:
        load(tmp_path, HEADER + good + row + "\n")
    assert words.replace("第2行", "第3行") in str(exc.value)
    assert "未载入任何上年基数" in str(exc.value)
    assert not Baseline.objects.exists()


def test_every_problem_is_listed_by_line_and_a_duplicate_is_one(plan_2022, tmp_path):
    text = HEADER + "outage_hours,power,2021-06,10,\nnosuch,power,2021-06,10,\noutage_hours,power,2021-06,12,\n"
    with pytest.raises(CommandError) as exc:
        load(tmp_path, text)
    message = str(exc.value)
    assert "文件有 2 处错误" in message
    assert "第3行 metric" in message and "第4行: 与前面的行重复" in message


def test_a_wrong_header_and_a_gbk_file(plan_2022, tmp_path):
    with pytest.raises(CommandError, match="缺少列 value"):
        load(tmp_path, "metric,unit,period\nx,y,2021\n")
    with pytest.raises(CommandError, match="无法识别的列 remark"):
        load(tmp_path, "metric,unit,period,value,remark\n")
    assert "新增 1 条" in load(tmp_path, HEADER + "tech_smes,全市,2021,850,暂定值\n", encoding="gb18030")


def test_the_board_judges_against_the_offices_baseline_never_a_typed_one(plan_2022):
    metric = Metric.objects.get(code="outage_hours")
    power = Unit.objects.get(code="power")
    Figure.objects.create(unit=power, metric=metric, period=JUNE, value="9.2", cases=3)
    row = next(r for r in status_board(plan=plan_2022, period=JUNE).unit_rows if r.metric.pk == metric.pk)
    assert row.status is Status.GREY  # no baseline yet

    Baseline.objects.create(metric=metric, unit=power, period=date(2021, 6, 1), value=10)

    row = next(r for r in status_board(plan=plan_2022, period=JUNE).unit_rows if r.metric.pk == metric.pk)
    assert (row.last_year, row.status) == (10, Status.GREEN)  # an 8% cut
    assert baseline_for(metric, power, JUNE) == 10
    assert baseline_for(metric, power, date(2022, 7, 1)) is None  # a same-period comparison needs that month


def test_a_yearly_baseline_serves_every_month_of_an_improve_target(plan_2022):
    metric = Metric.objects.get(code="summary_procedure_rate")
    hengnan = Unit.objects.get(code="hengnan")
    Baseline.objects.create(metric=metric, unit=hengnan, period=None, value=60)
    Figure.objects.create(unit=hengnan, metric=metric, period=JUNE, numerator=58, denominator=100)

    row = next(r for r in status_board(plan=plan_2022, period=JUNE).unit_rows if r.metric.pk == metric.pk and r.unit == hengnan)

    assert row.last_year == 60 and row.status is Status.RED  # 58% is not better than 60%


def test_reporters_see_last_years_value_but_do_not_type_it(plan_2022, client, users):
    metric = Metric.objects.get(code="summary_procedure_rate")
    hengnan = Unit.objects.get(code="hengnan")
    Baseline.objects.create(metric=metric, unit=hengnan, period=None, value=Decimal("57.5"))

    row = next(r for r in entry_sheet(unit=hengnan, period=JUNE).rows if r.metric.pk == metric.pk)
    assert row.last_year_value == Decimal("57.5")
    assert "last_year" not in input_names(metric)
    client.force_login(users["reporter"])
    html = client.get("/indicators/entry/hengnan/2022-06/").content.decode()
    assert "上年同期值 57.5" in html and 'name="summary_procedure_rate-last_year"' not in html


def test_only_the_office_edits_baselines(plan_2022, client, users):
    metric = Metric.objects.get(code="tech_smes")
    for role in ("reporter", "lead", "leader"):
        client.force_login(users[role])
        assert client.get("/indicators/baselines/").status_code == 403
        assert client.post("/indicators/baselines/new/", {"metric": metric.pk, "value": 1}).status_code == 403
    assert not Baseline.objects.exists()

    client.force_login(users["office"])
    response = client.post("/indicators/baselines/new/", {"metric": metric.pk, "unit": "", "month": "", "value": "850"})
    assert response.status_code == 302
    b = Baseline.objects.get()
    assert (b.unit, b.period, b.value) == (None, None, 850)
    assert "850 家" in client.get("/indicators/baselines/").content.decode()

    response = client.post(f"/indicators/baselines/{b.pk}/", {"metric": metric.pk, "unit": "", "month": "2020-12", "value": "9"})
    assert "上年基数的月份应在2021年内" in response.content.decode()
    client.post(
        f"/indicators/baselines/{b.pk}/",
        {"metric": metric.pk, "unit": "", "month": "2021-12", "value": "870", "reason": "统计年报更正"},
    )
    b.refresh_from_db()
    assert (b.period, b.value) == (date(2021, 12, 1), 870)
    assert b.history.count() == 2

    response = client.post("/indicators/baselines/new/", {"metric": metric.pk, "unit": "", "month": "2021-12", "value": "1"})
    assert response.status_code == 200 and Baseline.objects.count() == 1  # one value per metric, unit and month
    assert "只能有一个上年基数" in response.content.decode()
    client.post(f"/indicators/baselines/{b.pk}/", {"delete": "1"})
    assert not Baseline.objects.exists()
