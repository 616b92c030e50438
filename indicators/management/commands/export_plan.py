"""Print a year's plan as JSON (shape documented in README: other tools read it)."""

import json

from django.core.management.base import BaseCommand, CommandError

from indicators.selectors import plan_export, plan_for_year


class Command(BaseCommand):
    help = "以 JSON 输出年度方案"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--format", choices=["json"], default="json")

    def handle(self, *args, year, **options):
        plan = plan_for_year(year)
        if plan is None:
            raise CommandError(f"没有{year}年的方案,请先用 load_plan 载入")
        self.stdout.write(json.dumps(plan_export(plan), ensure_ascii=False, indent=2))
