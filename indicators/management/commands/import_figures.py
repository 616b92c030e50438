"""Import monthly figures from a CSV file, all or nothing."""

import csv
import io

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from indicators.management.csvfile import csv_text
from indicators.services.figures import FIGURE_COLUMNS, FigureImportError, figures_import


class Command(BaseCommand):
    help = "从 CSV 导入月度数据(列:" + ",".join(FIGURE_COLUMNS) + "),有任何错误则整个文件不导入"

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument(
            "--correction",
            default="",
            metavar="理由",
            help="更正理由:修改已提交、已采纳或已锁定(且已有数据)的单位月份时必填,记录为已批准的更正申请",
        )
        parser.add_argument("--user", default="", metavar="用户名", help="记录为导入人和更正审批人的用户(可选)")

    def handle(self, *args, path, correction="", user="", **options):
        importer = None
        if user:
            importer = get_user_model().objects.filter(username=user).first()
            if importer is None:
                raise CommandError(f"没有用户名为“{user}”的用户")
        text = csv_text(path, FIGURE_COLUMNS)
        # newline="" keeps a quoted note's line breaks; line_num counts the file's own lines,
        # so errors name the line a user sees even after blank lines or multi-line notes.
        reader = csv.DictReader(io.StringIO(text, newline=""))
        header = [h.strip() for h in (reader.fieldnames or [])]
        repeated = sorted({c for c in header if header.count(c) > 1})
        if repeated:
            raise CommandError(f"表头中的列重复:{','.join(repeated)}。表头应为:{','.join(FIGURE_COLUMNS)}")
        missing = [c for c in FIGURE_COLUMNS[:3] if c not in header]
        if missing:
            raise CommandError(f"缺少列:{','.join(missing)}。表头应为:{','.join(FIGURE_COLUMNS)}")
        unknown = [c for c in header if c not in FIGURE_COLUMNS]
        if unknown:
            raise CommandError(f"无法识别的列:{','.join(unknown)}。表头应为:{','.join(FIGURE_COLUMNS)}")
        rows = []
        for row in reader:
            surplus = row.pop(None, None)
            rows.append(
                {"line": reader.line_num, **{k.strip(): (v or "").strip() for k, v in row.items()}, "surplus": surplus or []}
            )
        try:
            result = figures_import(rows=rows, user=importer, correction=correction)
        except FigureImportError as exc:
            raise CommandError(f"文件有 {len(exc.problems)} 处错误,未导入任何数据:\n" + "\n".join(exc.problems)) from None
        self.stdout.write(result.summary())
