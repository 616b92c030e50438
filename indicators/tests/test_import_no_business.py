"""`import_figures` with 无业务: a unit with no case that month says so in `value`."""

from datetime import date

from indicators.models import Figure
from indicators.tests.test_import_figures import rejected, run, write_csv


def test_no_business_in_value_writes_a_no_business_row(plan_2022, tmp_path):
    run(write_csv(tmp_path, ["qidong,arbitration_closure_rate,2022-06,无业务,,,,本月未受理仲裁案件"]))

    f = Figure.objects.get(unit__code="qidong", metric__code="arbitration_closure_rate", period=date(2022, 6, 1))
    assert f.no_business and (f.numerator, f.denominator, f.value) == (None, None, None)
    assert f.explanation == "本月未受理仲裁案件"


def test_no_business_with_a_figure_is_refused(plan_2022, tmp_path):
    message = rejected(write_csv(tmp_path, ["qidong,arbitration_closure_rate,2022-06,无业务,8,10,,"]))

    assert "第2行 numerator列" in message and "无业务" in message


def test_an_empty_row_says_how_to_write_no_business(plan_2022, tmp_path):
    message = rejected(write_csv(tmp_path, ["qidong,arbitration_closure_rate,2022-06,,,,,"]))

    assert "没有填写数据" in message and "无业务" in message
