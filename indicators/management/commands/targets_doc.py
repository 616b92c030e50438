"""Write docs/TARGETS.md from a plan file: every target with the plan's sentence, the
reading, who reports, when it is judged and whether the reading is fact or 待核定."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from indicators.planfile.parse import PlanFileError, parse_plan
from indicators.targets_doc import targets_markdown

DEFAULT_PLAN = "fixtures/plan_2022.yaml"
DEFAULT_OUT = "docs/TARGETS.md"


class Command(BaseCommand):
    help = "由方案文件生成目标一览(docs/TARGETS.md)"

    def add_arguments(self, parser):
        parser.add_argument("plan_file", nargs="?", default=DEFAULT_PLAN)
        parser.add_argument("--output", default=DEFAULT_OUT, help="输出文件;- 表示输出到屏幕")

    def handle(self, *args, plan_file, output, **options):
        base = Path(settings.BASE_DIR)
        try:
            spec = parse_plan((base / plan_file).read_text(encoding="utf-8"))
        except (OSError, PlanFileError) as exc:
            raise CommandError(f"无法读取方案文件 {plan_file}:{exc}") from exc
        text = targets_markdown(spec)
        if output == "-":
            self.stdout.write(text, ending="")
            return
        (base / output).write_text(text, encoding="utf-8")
        self.stdout.write(f"已写入 {output}({sum(len(a.metrics) for a in spec.areas)}项目标)")
