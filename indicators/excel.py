"""The Excel round trip of the entry sheet: a unit's template for a month (locked
reference columns, validated input cells, last month for reference, hidden codes that
identify the file) and the check of an uploaded file, all or nothing, with every problem
listed by row and column. The upload is checked by the same EntryForm as the web page."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from indicators.forms import EntryForm, input_names
from indicators.rules.periods import format_month
from indicators.rules.types import MilestoneState, format_number
from indicators.selectors import EntrySheet

TEMPLATE_KIND = "hengyang-entry-v1"
META_SHEET = "_meta"
FIRST_ROW = 4
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UNZIPPED_BYTES = 50 * 1024 * 1024
MAX_RATIO = 200  # a real .xlsx compresses ~5-20×; hundreds-fold is a zip bomb

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
    ("last_year", "上年同期值(市优化办核定)", 11, False),
    ("explanation", "情况说明", 30, True),
    ("measures", "整改措施", 30, True),
]
COL = {key: i + 1 for i, (key, *_rest) in enumerate(COLUMNS)}
LETTER = {key: get_column_letter(i) for key, i in COL.items()}
HEADER = {key: header for key, header, *_ in COLUMNS}
STATE_LABELS = {s.value: s.label for s in MilestoneState}


class UploadRejected(Exception):
    """The file was refused whole; `problems` are the Chinese reasons (row, column, problem)."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def _figure_text(f) -> str:
    if f is None:
        return ""
    if f.state:
        return STATE_LABELS.get(f.state, f.state)
    if f.numerator is not None and f.denominator is not None:
        return f"{format_number(f.numerator)}/{format_number(f.denominator)}"
    if f.value is None:
        return ""
    return format_number(f.value) + (f"({f.cases} 件)" if f.cases is not None else "")


def template_build(sheet: EntrySheet) -> bytes:
    """The unit's template for the month, with this month's saved figures filled in."""
    wb = Workbook()
    ws = wb.active
    ws.title = "月度填报"
    month = f"{sheet.period.year}年{sheet.period.month}月"
    ws["A1"] = f"{sheet.unit.name} {month} 目标指标数据填报表"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = (
        "说明:只填写白色单元格;灰色列(目标、上月数据等)已锁定。比率类填写分子和分母;平均值类填写数值和件数;"
        "未达标或预警的指标须填写情况说明和整改措施。请勿修改表格结构,填好后在网页上传。"
    )
    ws["A2"].alignment = Alignment(wrap_text=True)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(COLUMNS))
    ws.row_dimensions[2].height = 36
    locked_fill = PatternFill("solid", fgColor="EAEEF2")
    for key, header, width, _ in COLUMNS:
        c = ws.cell(row=3, column=COL[key], value=header)
        c.font = Font(bold=True)
        c.fill = PatternFill("solid", fgColor="D0D7DE")
        ws.column_dimensions[LETTER[key]].width = width
    ws.column_dimensions[LETTER["code"]].hidden = True
    ws.freeze_panes = "D4"

    numbers = DataValidation(type="decimal", operator="between", formula1="-99999999999", formula2="99999999999")
    numbers.error, numbers.errorTitle = "请填写数字(不要带单位或文字)。", "不是数字"
    whole = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0")
    whole.error, whole.errorTitle = "件数应为不小于 0 的整数。", "件数有误"
    states = DataValidation(type="list", formula1='"' + ",".join(STATE_LABELS.values()) + '"')
    states.error, states.errorTitle = "请从下拉列表中选择:未启动 / 推进中 / 已完成。", "完成状态有误"
    for dv in (numbers, whole, states):
        dv.showErrorMessage = True
        dv.allow_blank = True
        ws.add_data_validation(dv)

    for i, row in enumerate(sheet.rows):
        r = FIRST_ROW + i
        m, f = row.metric, row.figure
        inputs = set(input_names(m)) | {"explanation", "measures"}
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
            "last_month": _figure_text(row.last_month),
            "last_year": format_number(row.last_year_value) if row.last_year_value is not None else "",
        }
        for key, *_ in COLUMNS:
            cell = ws.cell(row=r, column=COL[key])
            if key in fixed:
                cell.value = fixed[key]
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # "= 100%" is a target in words, not a formula
                cell.fill = locked_fill
            elif key in inputs:
                v = current.get(key)
                cell.value = float(v) if v is not None and key not in ("state", "explanation", "measures") else v
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"
                cell.protection = Protection(locked=False)
                if key in ("value", "numerator", "denominator", "last_year"):
                    numbers.add(cell)
                elif key == "cases":
                    whole.add(cell)
                elif key == "state":
                    states.add(cell)
                else:
                    cell.alignment = Alignment(wrap_text=True)
            else:
                cell.fill = locked_fill
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # let users widen columns
    ws.protection.formatRows = False

    meta = wb.create_sheet(META_SHEET)
    for r, (k, v) in enumerate(
        [("kind", TEMPLATE_KIND), ("unit", sheet.unit.code), ("period", format_month(sheet.period))], start=1
    ):
        meta.cell(row=r, column=1, value=k)
        meta.cell(row=r, column=2, value=v)
    meta.sheet_state = "veryHidden"
    meta.protection.sheet = True
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _open_workbook(data: bytes):
    """Refuse what is not a sane .xlsx before openpyxl parses it, each with its own message."""
    if not data:
        raise UploadRejected(["上传的文件是空的。"])
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadRejected([f"文件过大(超过 {MAX_UPLOAD_BYTES // 1024 // 1024} MB),请确认上传的是本系统的填报模板。"])
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise UploadRejected(["这是旧版 Excel(.xls)文件,请用 Excel 另存为 .xlsx 格式后再上传。"])
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise UploadRejected(["上传的文件不是 Excel(.xlsx)文件,请上传从本系统下载并填好的模板。"])
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
            names = {i.filename for i in infos}
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UploadRejected(["文件已损坏,无法读取。请重新下载模板填写后上传。"]) from None
    total = sum(i.file_size for i in infos)
    if total > MAX_UNZIPPED_BYTES or any(i.compress_size and i.file_size / i.compress_size > MAX_RATIO for i in infos):
        raise UploadRejected(["文件解压后异常巨大(疑似“压缩炸弹”),已拒绝读取。请上传本系统的填报模板。"])
    if "xl/workbook.xml" not in names:
        raise UploadRejected(["上传的文件不是 Excel(.xlsx)文件,请上传从本系统下载并填好的模板。"])
    try:
        return load_workbook(io.BytesIO(data), data_only=True)
    except Exception:
        raise UploadRejected(["文件已损坏,无法读取。请重新下载模板填写后上传。"]) from None


def _text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


@dataclass
class UploadResult:
    data: dict  # form data for EntryForm, JSON-serialisable
    changes: list[tuple[str, str, str]]  # (metric name, old, new)


def upload_check(sheet: EntrySheet, data: bytes) -> UploadResult:
    """Check an uploaded template against the unit and month of `sheet`; raises
    UploadRejected with every problem, so that nothing is written from a bad file."""
    wb = _open_workbook(data)
    if META_SHEET not in wb.sheetnames or "月度填报" not in wb.sheetnames:
        raise UploadRejected(["这不是本系统下载的填报模板(缺少模板标识)。请先下载本单位本月的模板,填写后再上传。"])
    meta = {_text(r[0]): _text(r[1]) for r in wb[META_SHEET].iter_rows(min_row=1, max_row=5, max_col=2, values_only=True)}
    if meta.get("kind") != TEMPLATE_KIND:
        raise UploadRejected(["这不是本系统下载的填报模板(模板标识不符)。请先下载本单位本月的模板。"])
    if meta.get("unit") != sheet.unit.code:
        from actions.models import Unit

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
    ws = wb["月度填报"]
    rows = {row.metric.code: row for row in sheet.rows}
    problems: list[str] = []
    form_data = {k: v for k, v in EntryForm.initial_from(sheet).items() if k.startswith("task-")}
    form_data["version"] = str(sheet.submission.version)
    where: dict[str, tuple[int, str]] = {}
    seen: dict[str, int] = {}
    for r, cells in enumerate(ws.iter_rows(min_row=FIRST_ROW, max_col=len(COLUMNS), values_only=True), start=FIRST_ROW):
        values = dict(zip(COL, cells))
        code = _text(values["code"])
        if not code:
            if any(_text(values[k]) for k in ("value", "numerator", "denominator", "cases", "state")):
                problems.append(f"第{r}行:没有指标编码,无法识别是哪个指标。请勿插入行或改动隐藏列。")
            continue
        row = rows.get(code)
        if row is None:
            problems.append(f"第{r}行 A列(指标编码):本单位本月不报送编码为“{code}”的指标。请勿改动隐藏列。")
            continue
        if code in seen:
            problems.append(f"第{r}行:与第{seen[code]}行是同一指标(“{row.metric.name}”),请删除重复行。")
            continue
        seen[code] = r
        expected = row.metric.target_text()
        if _text(values["target"]) != expected:
            problems.append(f"第{r}行 {LETTER['target']}列(目标):目标列被改动(应为“{expected}”)。目标由方案确定,请勿修改锁定列。")
        allowed = set(input_names(row.metric)) | {"explanation", "measures"}
        for key in ("value", "numerator", "denominator", "cases", "state", "explanation", "measures"):
            text = _text(values[key])
            if key not in allowed:
                if text:
                    problems.append(f"第{r}行 {LETTER[key]}列({HEADER[key]}):“{row.metric.name}”不填写此列,请清空。")
                continue
            form_data[f"{code}-{key}"] = text
            where[f"{code}-{key}"] = (r, key)
    if problems:
        raise UploadRejected(problems)
    saved = EntryForm.initial_from(sheet)
    for code in rows:  # metrics missing from the file keep their saved values
        if code not in seen:
            form_data |= {k: v for k, v in saved.items() if k.startswith(f"{code}-")}
    form = EntryForm(data=form_data, sheet=sheet)
    if not form.is_valid():
        for name, errors in form.errors.items():
            r, key = where.get(name, (None, None))
            for e in errors:
                if r is None:
                    problems.append(str(e))
                else:
                    problems.append(f"第{r}行 {LETTER[key]}列({HEADER[key]}):{e}")
        raise UploadRejected(problems)
    changes = []
    for row in sheet.rows:
        new = form.figure_values()[row.metric.pk]
        old = row.figure
        old_text = _figure_text(old)
        new_text = _new_text(new)
        old_note = (old.explanation, old.measures) if old else ("", "")
        if old_text != new_text or old_note != (new["explanation"], new["measures"]):
            changes.append((row.metric.name, old_text or "(空)", new_text or "(空)"))
    return UploadResult(form_data, changes)


def _new_text(v: dict) -> str:
    if v["state"]:
        return STATE_LABELS.get(v["state"], v["state"])
    if v["numerator"] is not None and v["denominator"] is not None:
        return f"{format_number(v['numerator'])}/{format_number(v['denominator'])}"
    if v["value"] is None:
        return ""
    return format_number(v["value"]) + (f"({v['cases']} 件)" if v["cases"] is not None else "")
