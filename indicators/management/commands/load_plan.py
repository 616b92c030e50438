"""Load or update a year's plan from a plan file (fixtures/PLAN_FORMAT.md)."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError

from indicators.planfile import PlanFileError, parse_plan
from indicators.services.plan import plan_load


class Command(BaseCommand):
    help = "载入或更新年度方案文件(YAML),全部通过校验才写入"

    def add_arguments(self, parser):
        parser.add_argument("path", help="方案文件路径,例如 fixtures/plan_2022.yaml")

    def handle(self, *args, path, **options):
        try:
            text = Path(path).read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise CommandError(f"无法读取方案文件 {path}:{exc}") from None
        except UnicodeDecodeError:
            raise CommandError(f"方案文件 {path} 不是 UTF-8 编码,请用 UTF-8 编码另存后再载入") from None
        try:
            spec = parse_plan(text)
        except PlanFileError as exc:
            raise CommandError(
                f"方案文件 {path} 有 {len(exc.problems)} 处错误,未载入任何内容:\n" + "\n".join(exc.problems)
            ) from None
        try:
            result = plan_load(spec=spec)
        except (ValidationError, IntegrityError) as exc:
            # What the file's checks cannot see: a clash with data already in the database.
            detail = ";".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            raise CommandError(f"方案文件 {path} 与数据库中已有数据冲突,未载入任何内容:{detail}") from None
        self.stdout.write(f"{spec.year}年方案:{result.summary()}")
