"""Checks an evidence upload by its content, never its name: PDF, PNG/JPEG images and
Office files (.docx/.xlsx/.pptx). Office files are zip archives: their entries' declared
sizes are checked (total, ratio) before anything parses them, so a zip bomb is refused
unread. The user's file name is kept only as a label, cleaned of paths."""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass

MAX_BYTES = 10 * 1024 * 1024
MAX_UNZIPPED_BYTES = 60 * 1024 * 1024
MAX_RATIO = 100  # real Office files compress a few times to a few dozen times
MAX_ENTRIES = 2000
MAX_FILES_PER_ANSWER = 10

ACCEPTED_TEXT = "PDF、图片(PNG/JPEG)或 Word/Excel/PowerPoint(.docx/.xlsx/.pptx)文件"
OFFICE_MAIN = {"word/document.xml": "docx", "xl/workbook.xml": "xlsx", "ppt/presentation.xml": "pptx"}


class EvidenceRejected(ValueError):
    """A file refused, with the Chinese message the user sees."""


@dataclass(frozen=True)
class CheckedFile:
    data: bytes
    name: str  # a label: the user's base name, cleaned
    extension: str  # found in the content
    sha256: str

    @property
    def size(self) -> int:
        return len(self.data)


def clean_name(name: str, extension: str) -> str:
    """The base name only (no directories, drive letters or control characters), at most
    80 characters, ending in the extension found in the content."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(c for c in unicodedata.normalize("NFC", base) if unicodedata.category(c)[0] != "C")
    base = base.strip().strip(".") or "附件"
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = stem[:80] or "附件"
    return f"{stem}.{extension}"


def detect(data: bytes) -> str:
    """The type of `data` from its first bytes (and, for a zip, its entries)."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise EvidenceRejected("这是旧版 Office 文件(.doc/.xls/.ppt),请另存为 .docx/.xlsx/.pptx 或 PDF 后再上传。")
    if data.startswith(b"PK\x03\x04"):
        return _office_kind(data)
    raise EvidenceRejected(f"文件内容不是{ACCEPTED_TEXT},已拒绝。(系统按文件内容识别类型,不看扩展名)")


def _office_kind(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise EvidenceRejected("文件已损坏,无法识别。") from None
    total = sum(i.file_size for i in infos)
    if (
        len(infos) > MAX_ENTRIES
        or total > MAX_UNZIPPED_BYTES
        or any(i.file_size > 1024 and i.file_size / max(i.compress_size, 1) > MAX_RATIO for i in infos)
    ):
        raise EvidenceRejected("文件解压后异常巨大(疑似“压缩炸弹”),已拒绝。")
    names = {i.filename for i in infos}
    if any(n.startswith("/") or ".." in n.split("/") or "\\" in n for n in names):
        raise EvidenceRejected("压缩包内含异常路径,已拒绝。")
    if "[Content_Types].xml" not in names:
        raise EvidenceRejected(f"压缩包不是 Office 文件。请上传{ACCEPTED_TEXT}。")
    for main, ext in OFFICE_MAIN.items():
        if main in names:
            return ext
    raise EvidenceRejected(f"无法识别的 Office 文件。请上传{ACCEPTED_TEXT}。")


def evidence_check(*, data: bytes, name: str) -> CheckedFile:
    """The checked file or EvidenceRejected with the reason. Read at most MAX_BYTES + 1."""
    if not data:
        raise EvidenceRejected("上传的文件是空的。")
    if len(data) > MAX_BYTES:
        raise EvidenceRejected(f"文件超过 {MAX_BYTES // 1024 // 1024} MB,请压缩或拆分后上传。")
    ext = detect(data)
    return CheckedFile(data, clean_name(name, ext), ext, hashlib.sha256(data).hexdigest())


def read_upload(upload) -> bytes:
    """An uploaded file's bytes, refusing an oversized one before reading it whole."""
    if getattr(upload, "size", 0) > MAX_BYTES:
        raise EvidenceRejected(f"文件超过 {MAX_BYTES // 1024 // 1024} MB,请压缩或拆分后上传。")
    return upload.read(MAX_BYTES + 1)


CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
