"""Excel round trip: the template downloads, a filled copy uploads through a preview
and a confirm, and every kind of bad file is refused with its own message, writing nothing."""

import io
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from actions.models import Unit
from indicators.models import Figure, Metric, ReportingMonth
from indicators.rules.types import format_number

PERIOD = "2022-06"
DOWNLOAD = reverse("indicators:excel-download", args=["hengnan", PERIOD])
UPLOAD = reverse("indicators:excel-upload", args=["hengnan", PERIOD])
CONFIRM = reverse("indicators:excel-confirm", args=["hengnan", PERIOD])


@pytest.fixture
def reporter(client, users):
    ReportingMonth.objects.create(period=date(2022, 6, 1), deadline=date(2099, 1, 5), lock_date=date(2099, 1, 15))
    client.force_login(users["reporter"])
    return client


def template(client, url=DOWNLOAD):
    response = client.get(url)
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def row_of(ws, code):
    for r in range(4, ws.max_row + 1):
        if ws.cell(row=r, column=1).value == code:
            return r
    raise AssertionError(code)


def upload(client, wb_or_bytes, name="填报.xlsx"):
    if not isinstance(wb_or_bytes, bytes):
        out = io.BytesIO()
        wb_or_bytes.save(out)
        wb_or_bytes = out.getvalue()
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, wb_or_bytes)})


def problems(response):
    assert response.status_code == 400
    return response.context["problems"]


def test_the_template_locks_the_reference_columns_and_validates_inputs(reporter):
    Figure.objects.create(
        unit=Unit.objects.get(code="hengnan"),
        metric=Metric.objects.get(code="business_start_days"),
        period=date(2022, 5, 1),
        value=Decimal("0.6"),
        cases=7,
    )
    wb = template(reporter)
    ws = wb["月度填报"]
    r = row_of(ws, "business_start_days")
    assert ws.protection.sheet is True
    assert ws.cell(row=r, column=4).value == "≤ 0.5 个工作日"
    assert ws.cell(row=r, column=4).protection.locked is True
    assert ws.cell(row=r, column=6).value == "0.6(7 件)"  # last month, for reference
    assert ws.cell(row=r, column=7).protection.locked is False  # 数值 is an input
    assert ws.cell(row=r, column=8).protection.locked is True  # 分子: not for an average
    assert len(ws.data_validations.dataValidation) == 4  # numbers, whole counts, cases, states
    assert wb["_meta"].sheet_state == "veryHidden"
    assert wb["_meta"]["B2"].value == "hengnan" and wb["_meta"]["B3"].value == PERIOD


def test_download_fill_upload_preview_confirm(reporter):
    wb = template(reporter)
    ws = wb["月度填报"]
    r = row_of(ws, "business_start_days")
    ws.cell(row=r, column=7, value=0.4)
    ws.cell(row=r, column=10, value=15)
    r2 = row_of(ws, "online_service_rate")
    ws.cell(row=r2, column=8, value=95)
    ws.cell(row=r2, column=9, value=100)

    preview = upload(reporter, wb)

    assert preview.status_code == 200
    changed = {(c["name"], c["field"], c["old"], c["new"], c["status"].label) for c in preview.context["changes"]}
    assert ("企业开办时间", "数据", "(空)", "0.4(15 件)", "达标") in changed
    assert not Figure.objects.exists()  # nothing written before the confirm
    response = reporter.post(CONFIRM)
    assert response.status_code == 302
    f = Figure.objects.get(metric__code="business_start_days", unit__code="hengnan")
    assert (f.value, f.cases, f.source) == (Decimal("0.4"), 15, "excel")
    assert f.history.first().history_change_reason == "Excel导入"
    assert Figure.objects.get(metric__code="online_service_rate").numerator == 95
    assert reporter.post(CONFIRM).status_code == 302  # a second confirm has nothing to apply
    assert Figure.objects.count() == 2


def _bad(reporter, mutate):
    wb = template(reporter)
    mutate(wb, wb["月度填报"])
    response = upload(reporter, wb)
    assert not Figure.objects.exists()
    return problems(response)


def test_text_in_a_number_cell_is_reported_by_row_and_column(reporter):
    def mutate(wb, ws):
        ws.cell(row=row_of(ws, "business_start_days"), column=7, value="半天")

    found = _bad(reporter, mutate)
    r = row_of(template(reporter)["月度填报"], "business_start_days")
    assert found == [f"第{r}行 G列(数值):“半天”不是数字"]


def test_a_red_figure_without_explanation_is_imported_as_a_draft(reporter):
    """Like a draft typed on the page: the explanation is asked for at 提交, not before."""
    wb = template(reporter)
    ws = wb["月度填报"]
    r = row_of(ws, "business_start_days")
    ws.cell(row=r, column=7, value=3)
    ws.cell(row=r, column=10, value=4)
    assert upload(reporter, wb).status_code == 200
    assert reporter.post(CONFIRM).status_code == 302
    f = Figure.objects.get(unit__code="hengnan", metric__code="business_start_days")
    assert (f.value, f.cases, f.explanation) == (Decimal(3), 4, "")


def test_a_tampered_target_column_is_refused(reporter):
    def mutate(wb, ws):
        ws.cell(row=row_of(ws, "business_start_days"), column=4, value="≤ 5 个工作日")

    (found,) = _bad(reporter, mutate)
    assert "D列(目标):目标列被改动(应为“≤ 0.5 个工作日”)" in found


def test_another_units_file_is_refused(reporter):
    # a reporter cannot even download another unit's template
    assert reporter.get(reverse("indicators:excel-download", args=["qidong", PERIOD])).status_code == 403

    def mutate(wb, ws):
        wb["_meta"]["B2"] = "qidong"

    assert _bad(reporter, mutate) == ["这是“祁东县”的模板,不能上传到“衡南县”。请下载本单位的模板。"]


def test_another_months_file_is_refused(reporter):
    def mutate(wb, ws):
        wb["_meta"]["B3"] = "2022-05"

    (found,) = _bad(reporter, mutate)
    assert found.startswith("这是 2022-05 的模板,不能作为 2022-06 的数据上传")


def test_a_file_that_is_not_excel_is_refused(reporter):
    assert problems(upload(reporter, "单位,数值\n衡南县,1\n".encode(), "data.csv")) == [
        "上传的文件不是 Excel(.xlsx)文件,请上传从本系统下载并填好的模板。"
    ]


def test_an_old_xls_file_gets_its_own_message(reporter):
    found = problems(upload(reporter, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "old.xls"))
    assert "旧版 Excel(.xls)" in found[0]


def test_a_broken_excel_file_is_refused(reporter):
    content = reporter.get(DOWNLOAD).content
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as src, zipfile.ZipFile(buf, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            dst.writestr(item, data[: len(data) // 2] if item.filename.endswith("sheet1.xml") else data)
    assert problems(upload(reporter, buf.getvalue())) == ["文件已损坏,无法读取。请重新下载模板填写后上传。"]


def test_a_zip_bomb_is_refused_before_it_is_unpacked(reporter):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"0" * (60 * 1024 * 1024))
    (found,) = problems(upload(reporter, buf.getvalue()))
    assert "压缩炸弹" in found


def test_a_spreadsheet_not_from_this_system_is_refused(reporter):
    from openpyxl import Workbook

    (found,) = problems(upload(reporter, Workbook()))
    assert "不是本系统下载的填报模板" in found


def test_only_the_units_own_reporter_may_upload(client, users):
    client.force_login(users["other_reporter"])
    assert client.get(UPLOAD).status_code == 403
    client.force_login(users["office"])
    assert client.get(UPLOAD).status_code == 403


def test_a_confirm_after_someone_else_saved_is_refused(reporter, users):
    """The preview was built on version N; a save in between makes the confirm stale."""
    from indicators.services.workflow import entry_save

    wb = template(reporter)
    ws = wb["月度填报"]
    r = row_of(ws, "business_start_days")
    ws.cell(row=r, column=7, value=0.4)
    ws.cell(row=r, column=10, value=15)
    assert upload(reporter, wb).status_code == 200
    unit = Unit.objects.get(code="hengnan")
    m = Metric.objects.get(code="business_start_days")
    v = {
        "value": Decimal("0.3"),
        "cases": 2,
        "numerator": None,
        "denominator": None,
        "state": "",
        "explanation": "",
        "measures": "",
    }
    entry_save(unit=unit, period=date(2022, 6, 1), user=users["reporter"], version=0, figures={m.pk: v}, tasks={})

    response = reporter.post(CONFIRM, follow=True)

    assert "其他人已保存过本单位本月的数据" in response.content.decode()
    assert Figure.objects.get(metric=m).value == Decimal("0.3")


# -- the unchanged round trip ---------------------------------------------------------

JUNE = date(2022, 6, 1)


def _fill_every_figure(unit_code: str, period=JUNE) -> int:
    """A saved figure (with notes) for every metric the unit reports, in every way of
    measuring; returns how many."""
    from actions.models import Task, TaskReport
    from indicators.models import Assignment

    unit = Unit.objects.get(code=unit_code)
    n = 0
    for a in Assignment.objects.filter(unit=unit).select_related("metric"):
        m = a.metric
        values = {
            "count": {"value": Decimal(12)},
            "ratio": {"numerator": Decimal("52.5"), "denominator": Decimal(100)},
            "average": {"value": Decimal("0.45"), "cases": 9},
            "rank": {"value": Decimal(2)},
            "milestone": {"state": "in_progress"},
        }[m.measure]
        if m.kind in (Metric.Kind.CHANGE_VS_LAST_YEAR, Metric.Kind.IMPROVE):
            values["last_year_value"] = Decimal("48.25")
        Figure.objects.create(
            unit=unit,
            metric=m,
            period=period,
            explanation="第一行\n第二行,含“引号”和 =号",
            measures="=SUM(A1) 不是公式",
            **values,
        )
        n += 1
    for t in Task.objects.filter(plan__year=period.year)[:3]:
        TaskReport.objects.create(unit=unit, task=t, period=period, state="delayed", narrative="滞后原因\n下一步")
    return n


def test_the_unchanged_template_of_a_unit_with_milestones_uploads_with_no_changes(reporter):
    assert Metric.objects.filter(measure="milestone", assignments__unit__code="hengnan").exists()
    n = _fill_every_figure("hengnan")
    before = Figure.history.count()

    response = upload(reporter, reporter.get(DOWNLOAD).content)

    assert response.status_code == 200, response.context and response.context.get("problems")
    assert response.context["changes"] == []
    assert reporter.post(CONFIRM).status_code == 302
    assert Figure.history.count() == before and Figure.objects.count() == n


def test_an_empty_template_uploads_with_no_changes(reporter):
    response = upload(reporter, reporter.get(DOWNLOAD).content)
    assert response.status_code == 200 and response.context["changes"] == []


def test_a_template_with_every_kind_of_metric_round_trips(reporter):
    from indicators.models import Assignment

    unit = Unit.objects.get(code="hengnan")
    for m in Metric.objects.exclude(assignments__unit=unit):
        Assignment.objects.create(metric=m, unit=unit)
    _fill_every_figure("hengnan")
    wb = template(reporter)
    ws = wb["月度填报"]
    measures = {ws.cell(row=row_of(ws, m.code), column=1).value: m.measure for m in Metric.objects.all()}
    assert set(measures.values()) == {"count", "ratio", "average", "rank", "milestone"}
    r = row_of(ws, "power_160kva")
    assert ws.cell(row=r, column=11).value == "推进中"  # labels, as a user reads them

    unchanged = upload(reporter, wb)
    assert unchanged.status_code == 200, unchanged.context.get("problems")
    assert unchanged.context["changes"] == []

    ws.cell(row=r, column=11, value="已完成")
    ws.cell(row=row_of(ws, "one_thing_policies"), column=11, value="done")  # a code is accepted too
    ws.cell(row=row_of(ws, "tech_smes"), column=13, value="新的说明")
    changed = upload(reporter, wb)

    assert changed.status_code == 200, changed.context.get("problems")
    found = {(c["name"], c["field"], c["old"], c["new"]) for c in changed.context["changes"]}
    assert found == {
        ("160千伏安低压接入", "数据", "推进中", "已完成"),
        (Metric.objects.get(code="one_thing_policies").name, "数据", "推进中", "已完成"),
        ("科技型中小企业数量", "情况说明", "第一行\n第二行,含“引号”和 =号", "新的说明"),
    }
    reporter.post(CONFIRM)
    assert Figure.objects.get(unit=unit, metric__code="power_160kva").state == "done"
    assert Figure.objects.get(unit=unit, metric__code="one_thing_policies").state == "done"


def test_a_state_that_is_neither_label_nor_code_is_refused_by_row_and_column(reporter):
    def mutate(wb, ws):
        ws.cell(row=row_of(ws, "one_thing_policies"), column=11, value="差不多了")

    (found,) = _bad(reporter, mutate)
    assert "K列(完成状态):“差不多了”不是有效的完成状态,请从下拉列表选择:未启动 / 推进中 / 已完成" in found


def test_last_years_value_is_shown_locked_and_cannot_be_changed_from_the_file(reporter):
    m = Metric.objects.get(code="summary_procedure_rate")
    Figure.objects.create(
        unit=Unit.objects.get(code="hengnan"), metric=m, period=date(2021, 6, 1), numerator=Decimal("4825"), denominator=100 * 100
    )
    from indicators.selectors import entry_sheet

    sheet = entry_sheet(unit=Unit.objects.get(code="hengnan"), period=date(2022, 6, 1))
    shown = next(row.last_year_value for row in sheet.rows if row.metric == m)  # wherever the office keeps it
    wb = template(reporter)
    ws = wb["月度填报"]
    r = row_of(ws, m.code)
    assert (ws.cell(row=r, column=12).value or "") == ("" if shown is None else format_number(shown))
    assert ws.cell(row=r, column=12).protection.locked is True

    ws.cell(row=r, column=12, value=50.5)
    (found,) = problems(upload(reporter, wb))
    assert found.startswith(f"第{r}行 L列(上年同期值):上年同期值由市优化办核定")


def test_milestone_checkpoints_round_trip_through_their_sheet(reporter):
    """The template carries a sheet of each milestone's checkpoints; a date and a note
    typed there are previewed and saved like the entry sheet's, in the figure's history."""
    wb = template(reporter)
    ws = wb["节点完成情况"]
    rows = {(ws.cell(row=r, column=1).value, ws.cell(row=r, column=3).value): r for r in range(4, ws.max_row + 1)}
    r = rows[("no_application_policies", "方案印发")]
    assert ws.cell(row=r, column=4).value == "2022-06-30"
    ws.cell(row=r, column=5, value="2022-06-20")
    ws.cell(row=r, column=6, value="衡政办发〔2022〕12号")
    main = wb["月度填报"]
    main.cell(row=row_of(main, "no_application_policies"), column=11, value="推进中")

    preview = upload(reporter, wb)

    assert preview.status_code == 200, preview.context.get("problems")
    changed = {(c["name"], c["new"]) for c in preview.context["changes"]}
    assert ("惠企政策“免申即享”全面推行", "推进中;节点:方案印发 2022-06-20(衡政办发〔2022〕12号)") in changed
    assert reporter.post(CONFIRM).status_code == 302
    f = Figure.objects.get(metric__code="no_application_policies", unit__code="hengnan")
    assert f.checkpoints_reached == {"方案印发": {"date": "2022-06-20", "note": "衡政办发〔2022〕12号"}}
    assert f.history.first().checkpoints_reached == f.checkpoints_reached


def test_a_checkpoint_without_a_note_is_refused_by_row_and_column(reporter):
    wb = template(reporter)
    ws = wb["节点完成情况"]
    r = next(r for r in range(4, ws.max_row + 1) if ws.cell(row=r, column=3).value == "方案印发")
    ws.cell(row=r, column=5, value="2022-06-20")

    found = problems(upload(reporter, wb))

    assert any(f"“节点完成情况”第{r}行 F列" in p and "请说明达到该节点的依据" in p for p in found), found
    assert not Figure.objects.exists()
