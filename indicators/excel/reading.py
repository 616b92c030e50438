"""Reading an uploaded file: refusing what is not a sane template before openpyxl parses
it, and the cells' text as the entry form expects it."""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal, InvalidOperation

from openpyxl import load_workbook
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.xml.functions import iterparse

from actions.text import clean_text
from indicators.excel.layout import (
    EXTRA_ROWS,
    FIRST_ROW,
    MAX_PART_BYTES,
    MAX_RATIO,
    MAX_SHARED_STRINGS_BYTES,
    MAX_UNZIPPED_BYTES,
    MAX_UPLOAD_BYTES,
    META_SHEET,
)
from indicators.rules.officezip import XLSX_LIMITS, zip_problem
from indicators.rules.types import format_number


class UploadRejected(Exception):
    """The file was refused whole; `problems` are the Chinese reasons (row, column,
    problem); `changes` what was saved since the file's template was downloaded."""

    def __init__(self, problems: list[str], changes: list[str] | None = None):
        self.problems = problems
        self.changes = changes or []
        super().__init__("\n".join(problems))


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
