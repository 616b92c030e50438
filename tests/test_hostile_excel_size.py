"""Excel files too long or too big (issue 14): more rows than the sheet plus its spare rows,
a file over 2 MB, shared strings or styles too large, each refused with a Chinese
message before openpyxl parses them and without holding memory."""

import io
import re
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from indicators.excel import reading
from indicators.excel.layout import EXTRA_ROWS, FIRST_ROW, MAX_SHARED_STRINGS_BYTES, MAX_UPLOAD_BYTES
from indicators.excel.reading import UploadRejected, request_too_big
from indicators.excel.upload import upload_check
from indicators.selectors import entry_sheet
from indicators.tests.test_excel import DOWNLOAD, JUNE, UPLOAD, upload
from tests.hostile_excel_base import hengnan, problems

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
