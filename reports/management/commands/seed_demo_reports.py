"""Build and issue the demo year's latest reports, so that leaders trying the demo have
something to download. Run by `make run` after seed_demo; skips reports already built."""

from datetime import datetime, time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils import timezone

from actions import clock
from indicators.demo import demo_clock
from reports.models import Kind, Report
from reports.services.build import default_doc_date, report_build
from reports.supervision.demo import supervision_demo_seed

DEMO_REPORTS = [(Kind.DISPATCH, "2022-11"), (Kind.DISPATCH, "2022-12"), (Kind.BULLETIN, "2022Q3"), (Kind.BULLETIN, "2022Q4")]


class Command(BaseCommand):
    help = "生成并印发演示用的月调度和季通报(已生成的跳过)"

    def handle(self, *args, **options):
        with demo_clock():  # dated at the demo's moment, as the demo's months are
            self.build()

    def build(self):
        office = get_user_model().objects.filter(username="office").first()
        made = supervision_demo_seed()  # 督查督办 (reports/supervision/demo.py), before the documents that list it
        if made:
            self.stdout.write(f"督查督办演示数据:督办单 {made['orders']} 件,督办建议 {made['proposals']} 条。")
        for kind, key in DEMO_REPORTS:
            if Report.objects.filter(kind=kind, key=key).exists():
                self.stdout.write(f"{Kind(kind).label} {key} 已存在,跳过。")
                continue
            # Dated as if issued on the day the schedule built it, not the day the demo is set up.
            when = min(default_doc_date(kind=kind, key=key), clock.today())
            report = report_build(kind=kind, key=key, user=office, issue=True, doc_date=when)
            # Built and issued on its 成文日期, as the schedule would have done.
            at = timezone.make_aware(datetime.combine(when, time(10, 0)))
            Report.objects.filter(pk=report.pk).update(built_at=at, issued_at=at)
            self.stdout.write(f"已生成并印发:{report}")
