"""Reading the CSV files the office hands to commands (figures, baselines): whole, in
UTF-8 or in the GBK that Excel on Chinese Windows writes, never empty."""

from pathlib import Path

from django.core.management.base import CommandError


def csv_text(path: str, columns: list[str]) -> str:
    """The file's text, or a CommandError in Chinese that says what to do."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise CommandError(f"无法读取文件 {path}:{exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("gb18030")  # Excel on Chinese Windows saves CSV in GBK
        except UnicodeDecodeError:
            raise CommandError("文件编码无法识别,请另存为 UTF-8 编码的 CSV") from None
    if not text.strip():
        raise CommandError(f"文件是空的。第一行应为表头:{','.join(columns)}")
    return text
