"""Load last year's values (上年基数) from a CSV file, all or nothing."""

from django.core.management.base import BaseCommand, CommandError

from indicators.baselines import BASELINE_COLUMNS
from indicators.management.csvfile import csv_text
from indicators.services.baselines import BaselineFileError, baselines_load


class Command(BaseCommand):
    help = (
        "从 CSV 载入上年基数(列:" + ",".join(BASELINE_COLUMNS) + ";period 为上年月份 YYYY-MM 或上年 YYYY,"
        "unit 留空或 city 表示全市),有任何错误则整个文件不载入"
    )

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        text = csv_text(path, BASELINE_COLUMNS)
        try:
            counts = baselines_load(text=text)
        except BaselineFileError as exc:
            raise CommandError(f"文件有 {len(exc.problems)} 处错误,未载入任何上年基数:\n" + "\n".join(exc.problems)) from None
        self.stdout.write(
            f"上年基数载入完成:新增 {counts['created']} 条,更新 {counts['updated']} 条,未变化 {counts['unchanged']} 条。"
        )
