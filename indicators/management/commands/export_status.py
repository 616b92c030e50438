"""Print every metric's status for a month, per reporting unit and for the city."""

import json

from django.core.management.base import BaseCommand, CommandError

from actions import clock
from indicators.ledger.selectors import ledger_status_export
from indicators.rules.periods import PeriodError, format_month, parse_month
from indicators.selectors import plan_for_year, status_export


class Command(BaseCommand):
    help = "以 JSON 输出某月各指标各单位及全市的达标状态"

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="YYYY-MM")
        parser.add_argument("--format", choices=["json"], default="json")

    def handle(self, *args, period, **options):
        try:
            month = parse_month(period)
        except PeriodError as exc:
            raise CommandError(str(exc)) from None
        plan = plan_for_year(month.year)
        if plan is None:
            raise CommandError(f"没有{month.year}年的方案")
        out = {
            "period": format_month(month),
            "rows": status_export(plan=plan, period=month),
            "ledger": ledger_status_export(plan=plan, period=month, today=clock.today()),  # 任务台账
        }
        self.stdout.write(json.dumps(out, ensure_ascii=False, indent=2))
