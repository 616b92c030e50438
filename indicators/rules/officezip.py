"""Office files (.docx, .xlsx) are zip archives: before any parser opens one, its
central directory alone (never a decompressed byte) tells whether it could be a zip
bomb — too many members, too large once uncompressed, or compressed far beyond what a
real document is. Pure: a file-like object or bytes in, a Chinese message or None out.

Python's zipfile never returns more bytes for a member than its declared size, so a
directory that lies about sizes cannot make a parser read more than is checked here."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

BOMB = "解压后异常巨大(疑似“压缩炸弹”),已拒绝读取。"


@dataclass(frozen=True)
class ZipLimits:
    members: int  # how many files the archive may hold
    total: int  # bytes, all members uncompressed
    xml_part: int  # bytes, one XML part uncompressed (parsers hold a part's tree whole)
    ratio: int  # uncompressed ÷ compressed of one member larger than `ratio_from`
    ratio_from: int = 64 * 1024  # a tiny part may compress 1,000-fold and harm nothing


# A Word document of the office (a 公文 of a few dozen pages with a few images): its
# document.xml is a few hundred KB, images add at most the upload limit (20 MB), and
# python-docx parses every XML part into a tree of about ten times its size.
DOCX_LIMITS = ZipLimits(members=500, total=64 * 1024 * 1024, xml_part=8 * 1024 * 1024, ratio=100)
# The entry template: every part is a few KB (indicators.excel adds finer limits).
XLSX_LIMITS = ZipLimits(members=200, total=50 * 1024 * 1024, xml_part=50 * 1024 * 1024, ratio=200, ratio_from=0)

_XML_SUFFIXES = (".xml", ".rels", ".vml")


def zip_problem(source, limits: ZipLimits, *, kind: str = "文件") -> str | None:
    """Why the archive `source` (bytes or a seekable binary file, left at its start)
    must not be opened, or None. Not a zip at all is a problem too."""
    stream = io.BytesIO(source) if isinstance(source, (bytes, bytearray)) else source
    try:
        stream.seek(0)
        with zipfile.ZipFile(stream) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return f"该{kind}不是有效的压缩包格式,可能已损坏或只是改了扩展名。"
    finally:
        stream.seek(0)
    if len(infos) > limits.members:
        return f"该{kind}包含的部件过多({len(infos)} 个,正常文件不超过 {limits.members} 个)," + BOMB
    if sum(i.file_size for i in infos) > limits.total:
        return f"该{kind}" + BOMB
    for info in infos:
        if info.filename.lower().endswith(_XML_SUFFIXES) and info.file_size > limits.xml_part:
            return f"该{kind}" + BOMB
        if info.file_size > limits.ratio_from and info.file_size > limits.ratio * max(info.compress_size, 1):
            return f"该{kind}" + BOMB
    return None
