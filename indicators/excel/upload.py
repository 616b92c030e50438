"""The check of an uploaded template, all or nothing, with every problem listed by row and
column, by the same EntryForm as the web page; a file made from an older version of the
unit-month is refused with what changed since. Also what the file would change."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace

from actions.ids import parse_id_or_none
from actions.models import TaskReport, Unit
from actions.text import clean_text
from indicators.excel.checkpoints import checkpoints_read
from indicators.excel.layout import (
    COL,
    COLUMNS,
    HEADER,
    LETTER,
    MAIN_SHEET,
    META_SHEET,
    TASK_COLUMNS,
    TASK_SHEET,
    TASK_STATE_WORDS,
    TCOL,
    TEMPLATE_KIND,
    TEXT_KEYS,
    THEADER,
    TLETTER,
    UNREADABLE,
    _number_text,
)
from indicators.excel.reading import UploadRejected, _cell_text, _meta_of, _open_workbook, _read_upload, _rows, _text
from indicators.forms.entry import EntryForm, input_names
from indicators.rules.inputs import STATE_WORDS, entry_text
from indicators.rules.periods import format_month
from indicators.selectors import EntrySheet
from indicators.services.workflow import changes_since


@dataclass
class UploadResult:
    data: dict  # form data for EntryForm, JSON-serialisable
    changes: list[dict] = field(default_factory=list)  # {name, field, old, new, status}
    state_after: str = ""  # the unit-month's workflow state once confirmed


def upload_check(sheet: EntrySheet, data) -> UploadResult:
    """Check an uploaded template (bytes or an uploaded file) against the unit and month
    of `sheet`; raises UploadRejected with every problem, so that nothing is written
    from a bad file."""
    wb = _open_workbook(_read_upload(data))
    try:
        return _check(sheet, wb)
    except UNREADABLE:  # the sheets are parsed lazily, while the rows are read
        raise UploadRejected(["文件已损坏,无法读取。请重新下载模板填写后上传。"]) from None
    finally:
        wb.close()


def _check(sheet: EntrySheet, values_wb) -> UploadResult:
    if META_SHEET not in values_wb.sheetnames or MAIN_SHEET not in values_wb.sheetnames:
        raise UploadRejected(["这不是本系统下载的填报模板(缺少模板标识)。请先下载本单位本月的模板,填写后再上传。"])
    meta = _meta_of(values_wb)
    if meta.get("kind") != TEMPLATE_KIND:
        raise UploadRejected(["这不是本系统下载的填报模板(模板标识不符)。请先下载本单位本月的模板。"])
    if meta.get("unit") != sheet.unit.code:
        other = Unit.objects.filter(code=meta.get("unit")).first()
        raise UploadRejected(
            [f"这是“{other.name if other else meta.get('unit')}”的模板,不能上传到“{sheet.unit.name}”。请下载本单位的模板。"]
        )
    if meta.get("period") != format_month(sheet.period):
        raise UploadRejected(
            [
                f"这是 {meta.get('period')} 的模板,不能作为 {format_month(sheet.period)} 的数据上传。"
                "请下载本月的模板,或到对应月份的页面上传。"
            ]
        )
    version = parse_id_or_none(meta.get("version", ""), allow_zero=True)
    if version is None:
        raise UploadRejected(["这份模板没有版本标记(由旧版系统下载或被改动过),无法确认是否基于最新数据。请重新下载模板填写。"])
    if version != sheet.submission.version:
        raise UploadRejected(
            [
                "下载这份模板之后,本单位本月的数据已被修改过。为避免覆盖他人保存的数据,文件未导入。"
                "请重新下载模板(已包含最新数据),核对后再填写上传。下载之后的修改:"
            ],
            changes_since(unit=sheet.unit, period=sheet.period, version=version) or ["(流程状态有变化)"],
        )

    problems: list[str] = []
    # What the file does not carry (a metric's row removed, a field it has no column for)
    # keeps its saved value; the file's cells override.
    form_data = EntryForm.initial_from(sheet) | {"version": version}
    where: dict[str, str] = {}
    _metrics_read(sheet, values_wb, form_data, where, problems)
    _tasks_read(sheet, values_wb, form_data, where, problems)
    checkpoints_read(sheet, values_wb, form_data, where, problems)
    if problems:
        raise UploadRejected(problems)
    form = EntryForm(data=form_data, sheet=sheet)
    if not form.is_valid():
        for name, errors in form.errors.items():
            for e in errors:
                problems.append(f"{where[name]}:{e}" if name in where else str(e))
        raise UploadRejected(problems)
    return UploadResult(form_data, _changes(sheet, form), _state_after(sheet))


def _metrics_read(sheet, values_wb, form_data, where, problems) -> None:
    rows = {row.metric.code: row for row in sheet.rows}
    seen: dict[str, int] = {}
    cells = _rows(values_wb[MAIN_SHEET], width=len(COLUMNS), expected=len(sheet.rows), label=MAIN_SHEET)
    for r, vcells, formulas in cells:
        vcells = list(vcells) + [None] * len(COLUMNS)

        def text(key, r=r, vcells=vcells, formulas=formulas):
            where = f"第{r}行 {LETTER[key]}列({HEADER[key]})"
            return _cell_text(vcells[COL[key] - 1], formulas.get(COL[key]), where, problems)

        code = _text(getattr(vcells[0], "value", None))
        if not code:
            if any(
                _text(getattr(vcells[COL[k] - 1], "value", None)) for k in ("value", "numerator", "denominator", "cases", "state")
            ):
                problems.append(f"第{r}行:没有指标编码,无法识别是哪个指标。请勿插入行或改动隐藏列。")
            continue
        row = rows.get(code)
        if row is None:
            problems.append(f"第{r}行 A列(指标编码):本单位本月不报送编码为“{code[:40]}”的指标。请勿改动隐藏列。")
            continue
        if code in seen:
            problems.append(f"第{r}行:与第{seen[code]}行是同一指标(“{row.metric.name}”),请删除重复行。")
            continue
        seen[code] = r
        expected = row.metric.target_text()
        if _text(getattr(vcells[COL["target"] - 1], "value", None)) != clean_text(expected):
            problems.append(f"第{r}行 {LETTER['target']}列(目标):目标列被改动(应为“{expected}”)。目标由方案确定,请勿修改锁定列。")
        shown = _number_text(row.last_year_value)
        if text("last_year") != shown:
            problems.append(
                f"第{r}行 {LETTER['last_year']}列(上年同期值):上年同期值由市优化办核定(应为“{shown or '空'}”),请勿修改锁定列。"
            )
        allowed = set(input_names(row.metric)) | set(TEXT_KEYS)
        for key in ("value", "numerator", "denominator", "cases", "state", *TEXT_KEYS):
            value = text(key)
            if key not in allowed:
                if value:
                    problems.append(f"第{r}行 {LETTER[key]}列({HEADER[key]}):“{row.metric.name}”不填写此列,请清空。")
                continue
            if key == "state" and value:
                if value not in STATE_WORDS:
                    problems.append(
                        f"第{r}行 {LETTER[key]}列({HEADER[key]}):“{value[:20]}”不是有效的完成状态,"
                        "请从下拉列表选择:未启动 / 推进中 / 已完成。"
                    )
                    continue
                value = STATE_WORDS[value]  # the template writes labels; codes are accepted too
            form_data[f"{code}-{key}"] = value
            where[f"{code}-{key}"] = f"第{r}行 {LETTER[key]}列({HEADER[key]})"


def _tasks_read(sheet, values_wb, form_data, where, problems) -> None:
    if TASK_SHEET not in values_wb.sheetnames:  # a file without the sheet keeps the saved progress
        return
    tasks = {task.code: task for task, _ in sheet.tasks}
    seen: dict[str, int] = {}
    cells = _rows(values_wb[TASK_SHEET], width=len(TASK_COLUMNS), expected=len(sheet.tasks), label=TASK_SHEET)
    for r, vcells, formulas in cells:
        vcells = list(vcells) + [None] * len(TASK_COLUMNS)
        code = _text(getattr(vcells[0], "value", None))
        place = {k: f"“{TASK_SHEET}”第{r}行 {TLETTER[k]}列({THEADER[k]})" for k in TCOL}
        state = _cell_text(vcells[TCOL["state"] - 1], formulas.get(TCOL["state"]), place["state"], problems)
        narrative = _cell_text(vcells[TCOL["narrative"] - 1], formulas.get(TCOL["narrative"]), place["narrative"], problems)
        if not code:
            if state or narrative:
                problems.append(f"“{TASK_SHEET}”第{r}行:没有任务编码,无法识别是哪项任务。请勿插入行或改动隐藏列。")
            continue
        if code not in tasks:
            problems.append(f"{place['code']}:本单位本月不报送编码为“{code[:40]}”的任务。请勿改动隐藏列。")
            continue
        if code in seen:
            problems.append(f"“{TASK_SHEET}”第{r}行:与第{seen[code]}行是同一任务,请删除重复行。")
            continue
        seen[code] = r
        if state not in TASK_STATE_WORDS:
            choices = " / ".join(TaskReport.State.labels)
            problems.append(f"{place['state']}:“{state[:20]}”不是有效的进展,请从下拉列表选择:{choices}。")
            continue
        form_data[f"task-{code}-state"] = TASK_STATE_WORDS[state]
        form_data[f"task-{code}-narrative"] = narrative
        where[f"task-{code}-state"], where[f"task-{code}-narrative"] = place["state"], place["narrative"]


def _changes(sheet: EntrySheet, form: EntryForm) -> list[dict]:
    """Every change the file makes, field by field, with the status that results."""
    changes = []
    new_values = form.figure_values()
    for row in sheet.rows:
        new, old = new_values[row.metric.pk], row.figure
        status = form.checks[row.metric.pk].status
        pairs = [
            ("数据", entry_text(old), _new_text(new, old)),
            ("情况说明", old.explanation if old else "", new.get("explanation", old.explanation if old else "")),
            ("整改措施", old.measures if old else "", new.get("measures", old.measures if old else "")),
        ]
        for what, before, after in pairs:
            if (before or "") != (after or ""):
                changes.append(
                    {"name": row.metric.name, "field": what, "old": before or "(空)", "new": after or "(空)", "status": status}
                )
    tasks = form.task_values()
    labels = dict(TaskReport.State.choices)
    for task, report in sheet.tasks:
        new = tasks.get(task.pk)
        if new is None:
            continue
        old_state = report.state if report else TaskReport.State.NOT_STARTED
        old_narrative = report.narrative if report else ""
        name = f"任务:{task.title}"
        if old_state != new["state"]:
            changes.append({"name": name, "field": "进展", "old": labels[old_state], "new": labels[new["state"]], "status": None})
        if old_narrative != new["narrative"]:
            changes.append(
                {
                    "name": name,
                    "field": "进展情况",
                    "old": old_narrative or "(空)",
                    "new": new["narrative"] or "(空)",
                    "status": None,
                }
            )
    return changes


def _state_after(sheet: EntrySheet) -> str:
    sub = sheet.submission
    if sub.pk is None or sub.state == "draft":
        return "草稿(确认后仍需在填报页提交)"
    return f"{sub.get_state_display()}(确认后仍需在填报页提交)"


def _new_text(v: dict, old=None) -> str:
    """The entry text of a form's cleaned values for one figure (checkpoints kept back
    keep the saved ones)."""
    fields = {k: v.get(k) for k in ("value", "numerator", "denominator", "cases")}
    reached = v.get("checkpoints_reached", old.checkpoints_reached if old else {})
    return entry_text(
        SimpleNamespace(**fields, state=v.get("state") or "", no_business=bool(v.get("no_business")), checkpoints_reached=reached)
    )
