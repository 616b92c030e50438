"""The Excel round trip against what users' cells really hold: control characters in
notes (as stored and as Excel writes them), percentage-formatted cells, formulas with and
without results, ambiguous numbers, fractions of a count, a share above its whole, and
random hostile cells. Each case of issue 14's "Why" is refused with a Chinese message
naming the cell, or read as the user meant; a refused file writes nothing."""

import io
import zipfile
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from actions.models import Task, TaskReport
from actions.text import clean_text
from indicators.excel.layout import COL, FIRST_ROW
from indicators.excel.reading import UploadRejected
from indicators.excel.template import template_build
from indicators.excel.upload import upload_check
from indicators.models import Figure, Metric
from indicators.rules.inputs import WHOLE_UNITS
from indicators.selectors import entry_sheet
from indicators.tests.test_excel import CONFIRM, JUNE, row_of, template, upload
from tests.hostile import hostile_text
from tests.hostile_excel_base import CASES, DEN, NOTE, NUM, VALUE, hengnan, problems


def xlsx(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# -- control characters ----------------------------------------------------------------


def test_a_note_with_control_characters_already_stored_still_downloads(reporter):
    m = Metric.objects.get(code="business_start_days")
    Figure.objects.create(
        unit=hengnan(), metric=m, period=JUNE, value=1, cases=2, explanation="超时\x0b原因\x07", measures="\x1b整改"
    )
    task = Task.objects.filter(plan__year=2022).first()
    TaskReport.objects.create(unit=hengnan(), task=task, period=JUNE, state="delayed", narrative="滞后\x07说明")

    wb = template(reporter)  # was a 500: openpyxl's IllegalCharacterError

    ws = wb["月度填报"]
    r = row_of(ws, "business_start_days")
    assert (ws.cell(row=r, column=NOTE).value, ws.cell(row=r, column=NOTE + 1).value) == ("超时\n原因", "整改")
    tasks = wb["任务进展"]
    assert tasks.cell(row=row_of(tasks, task.code), column=5).value == "滞后说明"


def test_a_note_pasted_from_word_into_excel_is_stored_without_control_characters(reporter):
    wb = template(reporter)
    ws = wb["月度填报"]
    r = row_of(ws, "business_start_days")
    ws.cell(row=r, column=VALUE, value=0.4)
    ws.cell(row=r, column=CASES, value=5)
    ws.cell(row=r, column=NOTE, value="第一行_x000B_第二行_x0007_,保留_x005F_x0041_")  # as Excel writes \x0b, \x07, "_x0041_"

    assert upload(reporter, wb).status_code == 200
    reporter.post(CONFIRM)

    assert Figure.objects.get(metric__code="business_start_days").explanation == "第一行\n第二行,保留_x0041_"


# -- numbers as Excel holds them -------------------------------------------------------


def test_a_percentage_formatted_cell_is_read_as_percent(reporter):
    wb = template(reporter)
    ws = wb["月度填报"]
    r = row_of(ws, "online_service_rate")
    ws.cell(row=r, column=NUM, value=0.7272).number_format = "0.00%"  # shows 72.72%, holds 0.7272
    ws.cell(row=r, column=DEN, value=100)

    response = upload(reporter, wb)

    assert response.status_code == 200, response.context.get("problems")
    (change,) = response.context["changes"]
    assert (change["old"], change["new"]) == ("(空)", "72.72/100")
    reporter.post(CONFIRM)
    assert Figure.objects.get(metric__code="online_service_rate").numerator == Decimal("72.72")


def test_a_formula_without_a_cached_result_is_refused_naming_the_cell(reporter):
    wb = template(reporter)
    ws = wb["月度填报"]
    r = row_of(ws, "business_start_days")
    ws.cell(row=r, column=VALUE, value="=0.2+0.2")  # openpyxl, like many generators, stores no result
    ws.cell(row=r, column=CASES, value=5)

    found = problems(upload(reporter, wb))

    assert any(p.startswith(f"第{r}行 G列(数值):是公式“=0.2+0.2”,但文件中没有它的计算结果") for p in found), found
    assert not Figure.objects.exists()


def test_a_formula_with_a_cached_result_uses_the_result(reporter):
    wb = template(reporter)
    ws = wb["月度填报"]
    r = row_of(ws, "business_start_days")
    ws.cell(row=r, column=VALUE, value="=0.2+0.2")
    ws.cell(row=r, column=CASES, value=5)
    data = _with_cached_result(xlsx(wb), "0.2+0.2", "0.4")

    response = upload(reporter, data)

    assert response.status_code == 200, response.context.get("problems")
    assert response.context["changes"][0]["new"] == "0.4(5 件)"


def _with_cached_result(data: bytes, formula: str, result: str) -> bytes:
    """The file as Excel saves it: the formula and its last computed value."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = content.decode()
                assert f"<f>{formula}</f><v></v>" in text or f"<f>{formula}</f><v />" in text, text[:300]
                text = text.replace(f"<f>{formula}</f><v></v>", f"<f>{formula}</f><v>{result}</v>")
                content = text.replace(f"<f>{formula}</f><v />", f"<f>{formula}</f><v>{result}</v>").encode()
            dst.writestr(item, content)
    return out.getvalue()


@pytest.mark.parametrize("typed", ["3,2", "12,5"])
def test_an_ambiguous_number_in_a_cell_is_refused_with_why(reporter, typed):
    wb = template(reporter)
    ws = wb["月度填报"]
    r = row_of(ws, "business_start_days")
    ws.cell(row=r, column=VALUE, value=typed)  # typed as text: Excel keeps it, as it is not a number in a Chinese locale
    ws.cell(row=r, column=CASES, value=5)

    (found,) = problems(upload(reporter, wb))

    assert found.startswith(f"第{r}行 G列(数值):“{typed}”中的逗号含义不明确:小数请用小数点")


def test_a_count_of_things_takes_whole_numbers_only(reporter):
    m = Metric.objects.filter(measure="count", unit_of_measure__in=WHOLE_UNITS, assignments__unit__code="hengnan").first()
    assert m is not None
    wb = template(reporter)
    ws = wb["月度填报"]
    r = row_of(ws, m.code)
    ws.cell(row=r, column=VALUE, value=2.5)

    (found,) = problems(upload(reporter, wb))

    assert found == f"第{r}行 G列(数值):应填写整数(计量单位“{m.unit_of_measure}”不可有小数)"


def test_a_share_above_its_whole_is_refused(reporter):
    wb = template(reporter)
    ws = wb["月度填报"]
    r = row_of(ws, "online_service_rate")
    ws.cell(row=r, column=NUM, value=120)
    ws.cell(row=r, column=DEN, value=100)

    (found,) = problems(upload(reporter, wb))

    assert found == f"第{r}行 H列(分子):分子不能大于分母(比率不能超过 100%)"


def test_the_template_lets_excel_itself_refuse_a_fraction_of_a_count(reporter):
    m = Metric.objects.filter(measure="count", unit_of_measure__in=WHOLE_UNITS, assignments__unit__code="hengnan").first()
    ws = template(reporter)["月度填报"]
    cell = f"G{row_of(ws, m.code)}"
    (dv,) = [dv for dv in ws.data_validations.dataValidation if cell in dv.sqref]
    assert dv.type == "whole" and dv.showErrorMessage


def _as_excel_writes(text: str) -> str:
    """A string as Excel stores it: control characters as _xHHHH_ escapes."""
    return "".join(f"_x{ord(c):04X}_" if ord(c) < 32 and c not in "\t\n" else c for c in text)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_hostile_cells_are_either_read_or_refused_never_a_crash(reporter, data):
    sheet = entry_sheet(unit=hengnan(), period=JUNE)
    wb = load_workbook(io.BytesIO(template_build(sheet)))
    ws = wb["月度填报"]
    for _ in range(data.draw(st.integers(1, 4), label="cells")):
        r = data.draw(st.integers(FIRST_ROW, FIRST_ROW + len(sheet.rows) - 1), label="row")
        column = data.draw(st.sampled_from([VALUE, NUM, DEN, CASES, COL["state"], NOTE]), label="column")
        value = data.draw(
            st.one_of(hostile_text.map(_as_excel_writes), st.floats(allow_nan=False, allow_infinity=False), st.integers()),
            label="value",
        )
        ws.cell(row=r, column=column, value=value)
        if isinstance(value, str) and value.startswith("="):
            ws.cell(row=r, column=column).data_type = "s"
    try:
        result = upload_check(sheet, xlsx(wb))
    except UploadRejected as exc:
        assert exc.problems and all(any("\u4e00" <= c <= "\u9fff" for c in p) for p in exc.problems), exc.problems
        return
    for key, value in result.data.items():
        assert not isinstance(value, str) or clean_text(value) == value, key
