"""Build a report now, in this process, with the same service the Celery task calls:

    python manage.py build_report dispatch 2022-06
    python manage.py build_report bulletin 2022Q2 --date 2022-07-10

Prints the paths of the files written. `--date` is the 成文日期 (by default the day the
schedule builds the report; with --issue, today)."""

from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from reports.builders.common import BuildError
from reports.services.build import report_build
from reports.services.documents import FORMATS_BY_KIND


class Command(BaseCommand):
    help = "立即生成月调度(dispatch YYYY-MM)或季通报(bulletin YYYYQn),并打印生成的文件路径"

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["dispatch", "bulletin"], help="dispatch=月调度,bulletin=季通报")
        parser.add_argument("period", help="月份 2022-06 或季度 2022Q2")
        parser.add_argument("--issue", action="store_true", help="生成后直接印发")
        parser.add_argument("--date", dest="doc_date", help="成文日期 YYYY-MM-DD(默认:草稿为按计划生成之日,印发为当天)")

    def handle(self, *args, kind, period, issue, doc_date=None, **options):
        try:
            when = date.fromisoformat(doc_date) if doc_date else None
        except ValueError as e:
            raise CommandError(f"成文日期“{doc_date}”格式不对，应为 YYYY-MM-DD，例如 2022-07-10。") from e
        try:
            report = report_build(kind=kind, key=period, issue=issue, doc_date=when)
        except BuildError as e:
            raise CommandError(str(e)) from e
        self.stderr.write(f"{report}({report.get_state_display()})")
        for fmt in FORMATS_BY_KIND[report.kind]:
            self.stdout.write(str(Path(settings.MEDIA_ROOT) / getattr(report, fmt).name))
