"""The Excel template as users handle it (issue 14): a template made stale by a web save
(or without its version) is refused with what changed, task progress round-trips through
it, a task state not on the list is refused, the preview shows the resulting status, and
an unchanged template opens again."""

import io
from decimal import Decimal

from openpyxl import load_workbook

from actions.models import TaskReport
from indicators.models import Figure, Metric
from indicators.selectors import entry_sheet
from indicators.services.workflow import entry_save
from indicators.tests.test_excel import CONFIRM, DOWNLOAD, JUNE, row_of, template, upload
from tests.hostile_excel_base import CASES, NOTE, VALUE, hengnan, problems

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
