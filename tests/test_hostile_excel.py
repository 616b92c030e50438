"""The Excel round trip against what users' files really hold: control characters in
notes, templates made stale by a web save, percentage-formatted cells, formulas without
results, ambiguous numbers, and files too long or too big. Each case of issue 14's "Why"
is refused with a Chinese message naming the cell, or read as the user meant; a refused
file writes nothing."""

import io
import re
import tracemalloc
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from actions.models import Task, TaskReport, Unit
from actions.text import clean_text
from indicators.excel import reading
from indicators.excel.layout import COL, EXTRA_ROWS, FIRST_ROW, MAX_SHARED_STRINGS_BYTES, MAX_UPLOAD_BYTES
from indicators.excel.reading import UploadRejected, request_too_big
from indicators.excel.template import template_build
from indicators.excel.upload import upload_check
from indicators.models import Figure, Metric, ReportingMonth
from indicators.rules.inputs import WHOLE_UNITS
from indicators.selectors import entry_sheet
from indicators.services.workflow import entry_save
from indicators.tests.test_excel import CONFIRM, DOWNLOAD, JUNE, UPLOAD, row_of, template, upload
from tests.hostile import hostile_text

VALUE, NUM, DEN, CASES, NOTE = (COL[k] for k in ("value", "numerator", "denominator", "cases", "explanation"))


@pytest.fixture
def reporter(client, users):
    """衡南县's reporter, with June 2022 still open."""
    ReportingMonth.objects.create(period=JUNE, deadline=JUNE.replace(year=2099), lock_date=JUNE.replace(year=2099, day=15))
    client.force_login(users["reporter"])
    return client


def problems(response) -> list[str]:
    assert response.status_code == 400, "the file was accepted"
    return response.context["problems"]


def hengnan():
    return Unit.objects.get(code="hengnan")


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


# -- a stale template ------------------------------------------------------------------


def _web_save(user, value="0.3"):
    m = Metric.objects.get(code="business_start_days")
    sheet = entry_sheet(unit=hengnan(), period=JUNE)
    v = {
        "value": Decimal(value),
        "cases": 2,
        "numerator": None,
        "denominator": None,
        "state": "",
        "explanation": "",
        "measures": "",
    }
    entry_save(unit=hengnan(), period=JUNE, user=user, version=sheet.submission.version, figures={m.pk: v}, tasks={})


def test_a_template_downloaded_before_a_web_save_is_refused_with_what_changed(reporter, users):
    wb = template(reporter)
    ws = wb["月度填报"]
    r = row_of(ws, "business_start_days")
    ws.cell(row=r, column=VALUE, value=0.45)
    ws.cell(row=r, column=CASES, value=9)
    _web_save(users["reporter"])  # a colleague saves on the web after the download

    response = upload(reporter, wb)

    assert "下载这份模板之后,本单位本月的数据已被修改过" in problems(response)[0]
    assert any("修改了“企业开办时间”:0.3(2 件)" in c for c in response.context["stale_changes"])
    assert "修改了“企业开办时间”" in response.content.decode()
    assert Figure.objects.get(metric__code="business_start_days").value == Decimal("0.3")
    fresh = template(reporter)  # a new download carries the new version and goes through
    fresh["月度填报"].cell(row=r, column=VALUE, value=0.45)
    assert upload(reporter, fresh).status_code == 200


def test_a_template_without_its_version_is_refused(reporter):
    wb = template(reporter)
    wb["_meta"]["B4"] = None
    assert "没有版本标记" in problems(upload(reporter, wb))[0]


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


# -- size ------------------------------------------------------------------------------


def _with_rows(data: bytes, first: int, count: int) -> bytes:
    """The template with `count` extra rows of text from row `first` on."""
    out = io.BytesIO()
    rows = "".join(f'<row r="{i}"><c r="C{i}" t="inlineStr"><is><t>x{i}</t></is></c></row>' for i in range(first, first + count))
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(b"</sheetData>", rows.encode() + b"</sheetData>")
            dst.writestr(item, content)
    return out.getvalue()


def test_a_100k_row_file_is_refused_without_holding_memory(reporter):
    data = _with_rows(reporter.get(DOWNLOAD).content, 200, 100_000)
    assert len(data) < MAX_UPLOAD_BYTES  # small on disk: the rows compress well
    sheet = entry_sheet(unit=hengnan(), period=JUNE)

    tracemalloc.start()
    with pytest.raises(UploadRejected) as exc:
        upload_check(sheet, data)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    assert "超过了" in exc.value.problems[0] and "请勿在模板中追加行" in exc.value.problems[0]
    assert peak < 40 * 1024 * 1024, peak


def test_rows_past_the_sheet_plus_50_are_refused_but_not_before(reporter):
    n = len(entry_sheet(unit=hengnan(), period=JUNE).rows)
    limit = FIRST_ROW + n - 1 + EXTRA_ROWS
    content = reporter.get(DOWNLOAD).content
    assert upload(reporter, _with_rows(content, limit, 1)).status_code == 200  # text on the last allowed row: ignored
    assert "超过了" in problems(upload(reporter, _with_rows(content, limit + 1, 1)))[0]


def test_a_file_over_2_mb_is_refused_before_it_is_read(reporter):
    class Huge:
        size = MAX_UPLOAD_BYTES + 1

        def read(self, *args):
            raise AssertionError("an oversized file was read")

    sheet = entry_sheet(unit=hengnan(), period=JUNE)
    with pytest.raises(UploadRejected, match=re.escape("文件过大(超过 2 MB)")):
        upload_check(sheet, Huge())
    big = SimpleUploadedFile("big.xlsx", b"PK" + b"\0" * MAX_UPLOAD_BYTES)
    assert "文件过大" in problems(reporter.post(UPLOAD, {"file": big}))[0]
    huge = SimpleUploadedFile("huge.xlsx", b"PK" + b"\0" * (3 * MAX_UPLOAD_BYTES))
    assert "文件过大" in problems(reporter.post(UPLOAD, {"file": huge}))[0]  # refused on the request's length
    assert not request_too_big(str(MAX_UPLOAD_BYTES)) and request_too_big("99999999")


# -- task progress in the template ------------------------------------------------------


def test_task_progress_round_trips_through_the_template(reporter):
    wb = template(reporter)
    tasks = wb["任务进展"]
    code = tasks.cell(row=4, column=1).value
    assert tasks.cell(row=4, column=4).value == "未启动"
    tasks.cell(row=4, column=4, value="滞后")
    tasks.cell(row=4, column=5, value="征地未完成_x000B_下月完成")

    response = upload(reporter, wb)

    assert response.status_code == 200, response.context.get("problems")
    fields = {(c["field"], c["old"], c["new"]) for c in response.context["changes"]}
    assert fields == {("进展", "未启动", "滞后"), ("进展情况", "(空)", "征地未完成\n下月完成")}
    reporter.post(CONFIRM)
    report = TaskReport.objects.get(unit__code="hengnan", task__code=code, period=JUNE)
    assert (report.state, report.narrative) == ("delayed", "征地未完成\n下月完成")
    again = upload(reporter, reporter.get(DOWNLOAD).content)  # and the new template is unchanged
    assert again.status_code == 200 and again.context["changes"] == []


def test_a_task_state_that_is_not_on_the_list_is_refused(reporter):
    wb = template(reporter)
    wb["任务进展"].cell(row=4, column=4, value="还行")
    (found,) = problems(upload(reporter, wb))
    assert found.startswith("“任务进展”第4行 D列(进展):“还行”不是有效的进展")


def test_the_preview_shows_the_resulting_status_and_state(reporter):
    wb = template(reporter)
    ws = wb["月度填报"]
    r = row_of(ws, "business_start_days")
    ws.cell(row=r, column=VALUE, value=3)
    ws.cell(row=r, column=CASES, value=4)
    ws.cell(row=r, column=NOTE, value="窗口人员不足")
    ws.cell(row=r, column=NOTE + 1, value="增派人员")

    response = upload(reporter, wb)

    assert response.status_code == 200, response.context.get("problems")
    rows = {(c["field"], c["new"], c["status"].label) for c in response.context["changes"]}
    assert rows == {("数据", "3(4 件)", "未达标"), ("情况说明", "窗口人员不足", "未达标"), ("整改措施", "增派人员", "未达标")}
    assert response.context["result"].state_after.startswith("草稿")
    assert "✖ 未达标" in response.content.decode()


def test_an_unchanged_template_can_be_opened_by_openpyxl_again(reporter):
    wb = load_workbook(io.BytesIO(reporter.get(DOWNLOAD).content))
    assert wb["_meta"]["A4"].value == "version" and wb["_meta"]["B4"].value == 0


def _with_shared_strings(data: bytes, size: int) -> bytes:
    """The template with a shared-strings part of about `size` bytes of short unique
    strings (the slowest kind for openpyxl to parse; it reads them whole on opening)."""
    count = size // len("<si><t>p000000</t></si>")
    items = "".join(f"<si><t>p{i:06d}</t></si>" for i in range(count))
    strings = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{count}" uniqueCount="{count}">'
        f"{items}</sst>"
    )
    part = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename == "[Content_Types].xml":
                content = content.replace(
                    b"</Types>", f'<Override PartName="/xl/sharedStrings.xml" ContentType="{part}"/></Types>'.encode()
                )
            if item.filename == "xl/_rels/workbook.xml.rels":
                content = content.replace(
                    b"</Relationships>",
                    f'<Relationship Id="rId99" Type="{rel}" Target="sharedStrings.xml"/></Relationships>'.encode(),
                )
            dst.writestr(item, content)
        dst.writestr("xl/sharedStrings.xml", strings)
    return out.getvalue()


def test_a_file_of_a_million_short_strings_is_refused_before_openpyxl_parses_it(reporter, monkeypatch):
    """openpyxl reads shared strings whole at about a second per MB: a file over the limit
    is refused from its zip directory, without being opened (how long the worst file
    still read takes is a figure of bench/, not of a test)."""
    sheet = entry_sheet(unit=hengnan(), period=JUNE)
    content = reporter.get(DOWNLOAD).content
    opened = []
    real = reading.load_workbook
    monkeypatch.setattr(reading, "load_workbook", lambda *a, **kw: opened.append(1) or real(*a, **kw))
    with pytest.raises(UploadRejected, match="文件中的文字过多"):
        upload_check(sheet, _with_shared_strings(content, 2 * MAX_SHARED_STRINGS_BYTES))
    assert opened == []

    just_under = _with_shared_strings(content, MAX_SHARED_STRINGS_BYTES - 2048)
    upload_check(sheet, just_under)  # the worst file still read is read
    assert opened == [1]


def test_a_file_with_huge_styles_is_refused_before_openpyxl_parses_them(reporter, monkeypatch):
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(reporter.get(DOWNLOAD).content)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename == "xl/styles.xml":
                fonts = "".join(f'<font><sz val="{10 + i % 5}"/><name val="f{i}"/></font>' for i in range(60_000))
                content = content.replace(b"</fonts>", fonts.encode() + b"</fonts>", 1)
            dst.writestr(item, content)
    sheet = entry_sheet(unit=hengnan(), period=JUNE)
    monkeypatch.setattr(reading, "load_workbook", lambda *a, **kw: pytest.fail("openpyxl was asked to parse it"))
    with pytest.raises(UploadRejected, match="样式或属性部分过大"):
        upload_check(sheet, out.getvalue())


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
