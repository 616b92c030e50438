"""Load or update a year's plan from a plan file (fixtures/PLAN_FORMAT.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from indicators.planfile import PlanFileError, parse_plan
from indicators.services import plan_load


class Command(BaseCommand):
    help = "载入或更新年度方案文件(YAML),全部通过校验才写入"

    def add_arguments(self, parser):
        parser.add_argument("path", help="方案文件路径,例如 fixtures/plan_2022.yaml")

    def handle(self, *args, path, **options):
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"无法读取方案文件 {path}:{exc}") from None
        try:
            spec = parse_plan(text)
        except PlanFileError as exc:
            raise CommandError(
                f"方案文件 {path} 有 {len(exc.problems)} 处错误,未载入任何内容:\n" + "\n".join(exc.problems)
            ) from None
        result = plan_load(spec=spec)
        self.stdout.write(f"{spec.year}年方案:{result.summary()}")
