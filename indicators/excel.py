"""The Excel round trip of the entry sheet: a unit's template for a month (locked
reference columns, validated input cells, last month for reference, task progress on a
second sheet, hidden codes and the unit-month's version that identify the file) and the
check of an uploaded file, all or nothing, with every problem listed by row and column.
The upload is checked by the same EntryForm as the web page; a file made from an older
version of the unit-month is refused with what changed since."""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from types import SimpleNamespace

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.xml.functions import iterparse

from actions.ids import parse_id_or_none
from actions.models import TaskReport, Unit
from actions.text import clean_text
from indicators.forms import EntryForm, input_names
from indicators.rules.inputs import STATE_WORDS, counts_whole, entry_text
from indicators.rules.officezip import XLSX_LIMITS, zip_problem
from indicators.rules.periods import format_month
from indicators.rules.types import MilestoneState, format_number
from indicators.selectors import EntrySheet
from indicators.services.workflow import changes_since

TEMPLATE_KIND = "hengyang-entry-v1"
META_SHEET = "_meta"
MAIN_SHEET = "月度填报"
TASK_SHEET = "任务进展"
FIRST_ROW = 4
EXTRA_ROWS = 50  # rows past the template's own that a file may hold before it is refused
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_UNZIPPED_BYTES = 50 * 1024 * 1024
# openpyxl parses the shared strings whole on opening, at about a second per MB of short
# strings; a template's notes take a few KB (each note's 2,000-character maximum, 6 KB).
MAX_SHARED_STRINGS_BYTES = 768 * 1024
MAX_PART_BYTES = 1024 * 1024
MAX_RATIO = 200  # a real .xlsx compresses ~5-20×; hundreds-fold is a zip bomb

# What a damaged file raises while its XML is parsed (ElementTree's and lxml's parse
# errors are SyntaxErrors).
UNREADABLE = (SyntaxError, zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError, TypeError, IndexError)

# (key, header, width, is_input)
COLUMNS = [
    ("code", "指标编码", 10, False),
    ("area", "行动", 16, False),
    ("name", "指标名称", 26, False),
    ("target", "目标", 20, False),
    ("uom", "计量单位", 9, False),
    ("last_month", "上月数据(参考)", 14, False),
    ("value", "数值", 11, True),
    ("numerator", "分子", 11, True),
    ("denominator", "分母", 11, True),
    ("cases", "件数", 9, True),
    ("state", "完成状态", 11, True),
    ("last_year", "上年同期值(市优化办核定)", 11, False),  # the office's data: shown, never typed
    ("explanation", "情况说明", 30, True),
    ("measures", "整改措施", 30, True),
]
COL = {key: i + 1 for i, (key, *_rest) in enumerate(COLUMNS)}
LETTER = {key: get_column_letter(i) for key, i in COL.items()}
HEADER = {key: header for key, header, *_ in COLUMNS}
NUMBER_KEYS = ("value", "numerator", "denominator", "cases")
TEXT_KEYS = ("explanation", "measures")
STATE_LABELS = {s.value: s.label for s in MilestoneState}

TASK_COLUMNS = [
    ("code", "任务编码", 10, False),
    ("area", "行动", 16, False),
    ("title", "任务", 40, False),
    ("state", "进展", 14, True),
    ("narrative", "进展情况", 60, True),
]
TCOL = {key: i + 1 for i, (key, *_rest) in enumerate(TASK_COLUMNS)}
TLETTER = {key: get_column_letter(i) for key, i in TCOL.items()}
THEADER = {key: header for key, header, *_ in TASK_COLUMNS}
TASK_STATE_WORDS = {**{s.value: s.value for s in TaskReport.State}, **{s.label: s.value for s in TaskReport.State}}


class UploadRejected(Exception):
    """The file was refused whole; `problems` are the Chinese reasons (row, column,
    problem); `changes` what was saved since the file's template was downloaded."""

    def __init__(self, problems: list[str], changes: list[str] | None = None):
        self.problems = problems
        self.changes = changes or []
        super().__init__("\n".join(problems))


def _put(cell, value) -> None:
    """Write a value into a cell: text without control characters (openpyxl refuses
    them, and a note pasted from Word may hold \\x0b), and as text even when it starts
    with "=" ("= 100%" is a target in words, a note is never a formula)."""
    if isinstance(value, str):
        value = clean_text(value)
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"


def _validation(kind: str, *, error: str, title: str, **kwargs) -> DataValidation:
    dv = DataValidation(type=kind, **kwargs)
    dv.error, dv.errorTitle = error, title
    dv.showErrorMessage = True
    dv.allow_blank = True
    return dv


def template_build(sheet: EntrySheet) -> bytes:
    """The unit's template for the month, with this month's saved figures and task
    progress filled in, and the unit-month's version (to refuse it once stale)."""
    wb = Workbook()
    ws = wb.active
    ws.title = MAIN_SHEET
    month = f"{sheet.period.year}年{sheet.period.month}月"
    _put(ws["A1"], f"{sheet.unit.name} {month} 目标指标数据填报表")
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = (
        "说明:只填写白色单元格;灰色列(目标、上月数据等)已锁定。比率类填写分子和分母;平均值类填写数值和件数;"
        "未达标或预警的指标须填写情况说明和整改措施。任务进展在“任务进展”工作表中填写。"
        "请勿修改表格结构,填好后在网页上传;上传前若有人在网页上修改过本月数据,须重新下载模板。"
    )
    ws["A2"].alignment = Alignment(wrap_text=True)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(COLUMNS))
    ws.row_dimensions[2].height = 48
    locked_fill = PatternFill("solid", fgColor="EAEEF2")
    _header_row(ws, COLUMNS, COL, LETTER)

    numbers = _validation(
        "decimal",
        operator="between",
        formula1="-99999999999",
        formula2="99999999999",
        error="请填写数字(不要带单位或文字)。",
        title="不是数字",
    )
    whole = _validation("whole", operator="greaterThanOrEqual", formula1="0", error="件数应为不小于 0 的整数。", title="件数有误")
    states = _validation(
        "list",
        formula1='"' + ",".join(STATE_LABELS.values()) + '"',
        error="请从下拉列表中选择:未启动 / 推进中 / 已完成。",
        title="完成状态有误",
    )
    counts = _validation(
        "whole",
        operator="between",
        formula1="-99999999999",
        formula2="99999999999",
        error="这是整数计数(如家数、次数),请填写整数。",
        title="应为整数",
    )
    for dv in (numbers, whole, states, counts):
        ws.add_data_validation(dv)

    for i, row in enumerate(sheet.rows):
        r = FIRST_ROW + i
        m, f = row.metric, row.figure
        inputs = set(input_names(m)) | set(TEXT_KEYS)
        current = {
            "value": f.value if f else None,
            "numerator": f.numerator if f else None,
            "denominator": f.denominator if f else None,
            "cases": f.cases if f else None,
            "state": STATE_LABELS.get(f.state, "") if f and f.state else None,
            "explanation": f.explanation if f else None,
            "measures": f.measures if f else None,
        }
        fixed = {
            "code": m.code,
            "area": m.area.name,
            "name": m.name,
            "target": m.target_text(),
            "uom": m.unit_of_measure,
            "last_month": entry_text(row.last_month),
            "last_year": _number_text(row.last_year_value),
        }
        for key, *_ in COLUMNS:
            cell = ws.cell(row=r, column=COL[key])
            if key in fixed:
                _put(cell, fixed[key])
                cell.fill = locked_fill
            elif key in inputs:
                v = current.get(key)
                _put(cell, float(v) if v is not None and key in NUMBER_KEYS else v)
                cell.protection = Protection(locked=False)
                if key == "value" and counts_whole(m.measure, m.unit_of_measure):
                    counts.add(cell)
                elif key in ("value", "numerator", "denominator"):
                    numbers.add(cell)
                elif key == "cases":
                    whole.add(cell)
                elif key == "state":
                    states.add(cell)
                else:
                    cell.alignment = Alignment(wrap_text=True)
            else:
                cell.fill = locked_fill
    _protect(ws)
    _tasks_sheet_build(wb, sheet, locked_fill)

    meta = wb.create_sheet(META_SHEET)
    for r, (k, v) in enumerate(
        [
            ("kind", TEMPLATE_KIND),
            ("unit", sheet.unit.code),
            ("period", format_month(sheet.period)),
            ("version", sheet.submission.version),
        ],
        start=1,
    ):
        meta.cell(row=r, column=1, value=k)
        meta.cell(row=r, column=2, value=v)
    meta.sheet_state = "veryHidden"
    meta.protection.sheet = True
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _protect(ws) -> None:
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # let users widen columns
    ws.protection.formatRows = False


def _header_row(ws, columns, col, letter) -> None:
    """Row 3 of a template sheet: bold headers with widths, the code column hidden, the
    labels frozen beside the inputs."""
    for key, header, width, _ in columns:
        c = ws.cell(row=3, column=col[key], value=header)
        c.font = Font(bold=True)
        c.fill = PatternFill("solid", fgColor="D0D7DE")
        ws.column_dimensions[letter[key]].width = width
    ws.column_dimensions[letter["code"]].hidden = True
    ws.freeze_panes = "D4"


def _tasks_sheet_build(wb, sheet: EntrySheet, locked_fill) -> None:
    ws = wb.create_sheet(TASK_SHEET)
    _put(ws["A1"], f"{sheet.unit.name} {sheet.period.year}年{sheet.period.month}月 任务进展")
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = "说明:“进展”从下拉列表选择;进度滞后的任务须在“进展情况”中说明原因和下一步措施。"
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(TASK_COLUMNS))
    _header_row(ws, TASK_COLUMNS, TCOL, TLETTER)
    states = _validation(
        "list",
        formula1='"' + ",".join(TaskReport.State.labels) + '"',
        error="请从下拉列表中选择:" + " / ".join(TaskReport.State.labels) + "。",
        title="进展有误",
    )
    ws.add_data_validation(states)
    for i, (task, report) in enumerate(sheet.tasks):
        r = FIRST_ROW + i
        values = {
            "code": task.code,
            "area": task.area.name,
            "title": f"{task.number}. {task.title}",
            "state": (report.get_state_display() if report else TaskReport.State.NOT_STARTED.label),
            "narrative": report.narrative if report else "",
        }
        for key, _header, _width, is_input in TASK_COLUMNS:
            cell = ws.cell(row=r, column=TCOL[key])
            _put(cell, values[key])
            if is_input:
                cell.protection = Protection(locked=False)
                if key == "state":
                    states.add(cell)
                else:
                    cell.alignment = Alignment(wrap_text=True)
            else:
                cell.fill = locked_fill
    _protect(ws)


# -- reading an uploaded file ------------------------------------------------------


TOO_BIG = f"文件过大(超过 {MAX_UPLOAD_BYTES // 1024 // 1024} MB)。本系统的填报模板只有几十 KB,请确认上传的是本单位本月的模板。"


def request_too_big(content_length) -> bool:
    """Whether an upload request is too big to hold a template (the form's own fields
    and the multipart framing take a few KB)."""
    try:
        return int(content_length or 0) > MAX_UPLOAD_BYTES + 64 * 1024
    except ValueError:
        return False


def _read_upload(data) -> bytes:
    """The file's bytes, refusing an oversized upload before reading it into memory."""
    size = getattr(data, "size", None)
    if size is None:
        size = len(data)
    if size > MAX_UPLOAD_BYTES:
        raise UploadRejected([TOO_BIG])
    return data if isinstance(data, bytes) else data.read()


def _open_workbook(data: bytes):
    """Refuse what is not a sane .xlsx before openpyxl parses it, each with its own
    message; open it in streaming mode with the values (formulas' cached results)."""
    if not data:
        raise UploadRejected(["上传的文件是空的。"])
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise UploadRejected(["这是旧版 Excel(.xls)文件,请用 Excel 另存为 .xlsx 格式后再上传。"])
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise UploadRejected(["上传的文件不是 Excel(.xlsx)文件,请上传从本系统下载并填好的模板。"])
    problem = zip_problem(data, XLSX_LIMITS)
    if problem:
        if "压缩炸弹" in problem:
            raise UploadRejected([problem + "请上传本系统的填报模板。"])
        raise UploadRejected(["文件已损坏,无法读取。请重新下载模板填写后上传。"])
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        infos = z.infolist()
        names = {i.filename for i in infos}
    total = sum(i.file_size for i in infos)
    shared = sum(i.file_size for i in infos if i.filename.lower().endswith("sharedstrings.xml"))
    # openpyxl parses every part but the worksheets whole on opening (styles, workbook,
    # properties); a template's are a few KB.
    parts = [i for i in infos if not i.filename.startswith("xl/worksheets/") and "sharedstrings" not in i.filename.lower()]
    if any(i.file_size > MAX_PART_BYTES for i in parts):
        raise UploadRejected(["文件结构异常(样式或属性部分过大),不是本系统的填报模板。请重新下载模板填写。"])
    if shared > MAX_SHARED_STRINGS_BYTES:
        raise UploadRejected(
            [f"文件中的文字过多(超过 {MAX_SHARED_STRINGS_BYTES // 1024} KB),不是本系统的填报模板。请重新下载模板填写。"]
        )
    if total > MAX_UNZIPPED_BYTES or any(i.compress_size and i.file_size / i.compress_size > MAX_RATIO for i in infos):
        raise UploadRejected(["文件解压后异常巨大(疑似“压缩炸弹”),已拒绝读取。请上传本系统的填报模板。"])
    if "xl/workbook.xml" not in names:
        raise UploadRejected(["上传的文件不是 Excel(.xlsx)文件,请上传从本系统下载并填好的模板。"])
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise UploadRejected(["文件已损坏,无法读取。请重新下载模板填写后上传。"]) from None


# Excel writes a control character in a cell as "_x000B_" (and a literal "_x" as
# "_x005F_x"); one left-to-right pass decodes both.
OOXML_ESCAPE = re.compile("_x([0-9A-Fa-f]{4})_")


def _text(v) -> str:
    """A cell's value as the text a user would have typed, without control characters."""
    if v is None:
        return ""
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    if isinstance(v, str):
        v = OOXML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), v)
    return clean_text(v).strip()


def _percent_text(v) -> str:
    """A percentage-formatted number cell holds 52.72% as 0.5272: read it as 52.72."""
    try:
        return format_number(Decimal(repr(v) if isinstance(v, float) else str(v)) * 100)
    except (InvalidOperation, ValueError):
        return _text(v)


def _cell_text(value_cell, formula: str | None, where: str, problems: list[str]) -> str:
    """The text of a cell; `formula` is the cell's formula when the file holds no result
    for it (the value then reads as empty, and must not blank the figure)."""
    v = getattr(value_cell, "value", None)
    if formula is not None and v is None:
        formula = "=" + clean_text(formula)[:40]
        problems.append(
            f"{where}:是公式“{formula}”,但文件中没有它的计算结果(由程序生成或未重新计算)。"
            "请在 Excel 中打开、确认显示了结果后保存,或改为直接填写数值。"
        )
        return ""
    if isinstance(v, (int, float)) and not isinstance(v, bool) and "%" in (getattr(value_cell, "number_format", "") or ""):
        return _percent_text(v)
    return _text(v)


SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _formulas_without_result(ws, limit: int) -> dict[tuple[int, int], str]:
    """{(row, column): formula} of the cells up to row `limit` that hold a formula but no
    computed result (files written by programs, or saved without recalculating). One
    streaming pass over the sheet's XML, stopping past the limit; the values workbook
    alone cannot tell such a cell from an empty one."""
    found: dict[tuple[int, int], str] = {}
    row = col = 0
    # ws._worksheet_path and ws.parent._archive: openpyxl 3.1's read-only sheet (pinned).
    with ws.parent._archive.open(ws._worksheet_path) as src:
        for event, el in iterparse(src, events=("start", "end")):
            if el.tag == SHEET_NS + "row":
                if event == "start":
                    row = int(el.get("r") or row + 1)
                    col = 0
                    if row > limit:
                        break
                else:
                    el.clear()
            elif el.tag == SHEET_NS + "c" and event == "end":
                ref = el.get("r")
                col = coordinate_to_tuple(ref)[1] if ref else col + 1
                f, v = el.find(SHEET_NS + "f"), el.find(SHEET_NS + "v")
                if f is not None and (v is None or not v.text):
                    found[(row, col)] = f.text or ""
    return found


def _rows(ws, *, width: int, expected: int, label: str):
    """(row number, value cells, {column: formula without result}) of a sheet's data
    rows, refusing a sheet longer than its template allows without reading past it."""
    limit = FIRST_ROW + expected - 1 + EXTRA_ROWS
    ws.reset_dimensions()  # a file's declared size may lie; read what is there
    missing: dict[int, dict[int, str]] = {}
    for (row, column), formula in _formulas_without_result(ws, limit).items():
        missing.setdefault(row, {})[column] = formula
    for r, vcells in enumerate(ws.iter_rows(min_row=FIRST_ROW, max_col=width), start=FIRST_ROW):
        if r > limit:
            if any(getattr(c, "value", None) not in (None, "") for c in vcells) or r > limit + 1000:
                raise UploadRejected(
                    [
                        f"“{label}”工作表超过了 {limit} 行:模板只有 {expected} 行数据,文件中却还有更多内容。"
                        "请勿在模板中追加行或粘贴大量数据,请重新下载模板填写。"
                    ]
                )
            continue
        yield r, vcells, missing.get(r, {})


def _meta_of(values_wb) -> dict:
    rows = values_wb[META_SHEET].iter_rows(min_row=1, max_row=6, max_col=2, values_only=True)
    return {_text(r[0]): _text(r[1]) for r in rows if len(r) >= 2}


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


def _number_text(v) -> str:
    return "" if v is None else format_number(v)


def _changes(sheet: EntrySheet, form: EntryForm) -> list[dict]:
    """Every change the file makes, field by field, with the status that results."""
    changes = []
    new_values = form.figure_values()
    for row in sheet.rows:
        new, old = new_values[row.metric.pk], row.figure
        status = form.checks[row.metric.pk].status
        pairs = [
            ("数据", entry_text(old), _new_text(new)),
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


def _new_text(v: dict) -> str:
    """The entry text of a form's cleaned values for one figure."""
    fields = {k: v.get(k) for k in ("value", "numerator", "denominator", "cases")}
    return entry_text(SimpleNamespace(**fields, state=v.get("state") or "", no_business=bool(v.get("no_business"))))
