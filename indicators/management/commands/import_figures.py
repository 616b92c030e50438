"""Import monthly figures from a CSV file, all or nothing."""

import csv
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from indicators.services import FIGURE_COLUMNS, FigureImportError, figures_import


class Command(BaseCommand):
    help = "从 CSV 导入月度数据(列:" + ",".join(FIGURE_COLUMNS) + "),有任何错误则整个文件不导入"

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
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
        reader = csv.DictReader(text.splitlines())
        header = [h.strip() for h in (reader.fieldnames or [])]
        missing = [c for c in FIGURE_COLUMNS[:3] if c not in header]
        if missing:
            raise CommandError(f"缺少列:{','.join(missing)}。表头应为:{','.join(FIGURE_COLUMNS)}")
        unknown = [c for c in header if c not in FIGURE_COLUMNS]
        if unknown:
            raise CommandError(f"无法识别的列:{','.join(unknown)}。表头应为:{','.join(FIGURE_COLUMNS)}")
        rows = []
        for line, row in enumerate(reader, start=2):
            if None in row:
                raise CommandError(f"第{line}行的列数多于表头,请检查是否有多余的逗号")
            rows.append({"line": line, **{k.strip(): (v or "").strip() for k, v in row.items()}})
        try:
            result = figures_import(rows=rows)
        except FigureImportError as exc:
            raise CommandError(f"文件有 {len(exc.problems)} 处错误,未导入任何数据:\n" + "\n".join(exc.problems)) from None
        self.stdout.write(result.summary())
