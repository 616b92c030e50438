"""Recompute the stored statuses and completeness rows of a month, a year or everything."""

import time

from django.core.management.base import BaseCommand, CommandError

from indicators.rules.periods import PeriodError, format_month, months_of_year, parse_month
from indicators.status.refresh import months_in_use, months_stale, status_refresh


class Command(BaseCommand):
    help = "重新计算并保存达标状态和报送情况(某月、某年或全部月份)"

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group()
        which.add_argument("--period", help="YYYY-MM")
        which.add_argument("--year", type=int)
        parser.add_argument(
            "--stale",
            action="store_true",
            help="只重新计算已过期的月份(未计算、判定日已变、有待更新的修改或方案的目标与判定规则已变)",
        )

    def handle(self, *args, period, year, stale, **options):
        if period:
            try:
                months = [parse_month(period)]
            except PeriodError as exc:
                raise CommandError(str(exc)) from None
        elif year:
            if not 2000 <= year <= 2100:
                raise CommandError("--year 须为 2000 到 2100 之间的年份")
            months = months_of_year(year)
        else:
            months = sorted(months_in_use())
        if stale:  # e.g. after a deploy whose migration left the rows not current, or a plan edited in the shell
            months = months_stale(months)
        total, started, written = len(months), time.monotonic(), 0
        for i, month in enumerate(months, start=1):
            written += status_refresh(periods=[month])
            done = int(30 * i / total)
            self.stdout.write(
                f"\r[{'#' * done}{'.' * (30 - done)}] {i}/{total} {format_month(month)} {time.monotonic() - started:.1f} 秒",
                ending="",
            )
            self.stdout.flush()
        if total:
            self.stdout.write("")
        self.stdout.write(f"已重新计算 {total} 个月的状态,共 {written} 行,用时 {time.monotonic() - started:.1f} 秒。")
