"""Load last year's values (上年基数) from a CSV file, all or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from indicators.baselines import BASELINE_COLUMNS, BaselineFileError, baselines_load


class Command(BaseCommand):
    help = (
        "从 CSV 载入上年基数(列:" + ",".join(BASELINE_COLUMNS) + ";period 为上年月份 YYYY-MM 或上年 YYYY,"
        "unit 留空或 city 表示全市),有任何错误则整个文件不载入"
    )

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
        if not text.strip():
            raise CommandError(f"文件是空的。第一行应为表头:{','.join(BASELINE_COLUMNS)}")
        try:
            counts = baselines_load(text=text)
        except BaselineFileError as exc:
            raise CommandError(f"文件有 {len(exc.problems)} 处错误,未载入任何上年基数:\n" + "\n".join(exc.problems)) from None
        self.stdout.write(
            f"上年基数载入完成:新增 {counts['created']} 条,更新 {counts['updated']} 条,未变化 {counts['unchanged']} 条。"
        )
