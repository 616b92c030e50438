"""What `make run` does before it starts the processes, every morning: an empty database
gets the plan and the demo; a database in use is only brought up to date, never written
over (fixtures/PLAN_FORMAT.md, "Who owns what")."""

import hashlib
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

from actions.models import Plan, PlanLoad
from indicators.demo import demo_clock, demo_today, demo_year_in_database
from indicators.models import Figure


class Command(BaseCommand):
    help = "启动前准备:空数据库载入方案和演示数据;已有数据的数据库只刷新过期状态,不覆盖任何内容"

    def add_arguments(self, parser):
        parser.add_argument("--plan-file", default="fixtures/plan_2022.yaml")
        parser.add_argument("--no-demo", action="store_true", help="空数据库也不写入演示数据(正式部署)")

    def handle(self, *args, plan_file, no_demo, **options):
        empty = not (Plan.objects.exists() or Figure.objects.exists() or get_user_model().objects.exists())
        if empty:
            self.stdout.write("空数据库:载入方案" + ("。" if no_demo else "和演示数据。"))
            call_command("load_plan", plan_file, stdout=self.stdout)
            if not no_demo:
                call_command("seed_demo", plan_file=plan_file, stdout=self.stdout)
                call_command("seed_demo_reports", stdout=self.stdout)
        else:
            self.stdout.write("数据库中已有数据:不载入方案、不写入演示数据,只刷新过期的状态。")
            self.plan_file_notice(plan_file)
        year = demo_year_in_database()
        with demo_clock(year):
            call_command("refresh_status", stale=True, stdout=self.stdout)
        self.clock_for_processes(year)

    def clock_for_processes(self, year: int | None) -> None:
        """Tell scripts/run the demo's date for the processes it starts (DEMO_TODAY), or
        that there is none: a database without the demo runs on the real date."""
        path = settings.VAR_DIR / "run" / "demo_today"
        if year is None:
            path.unlink(missing_ok=True)
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        today = demo_today(year)
        path.write_text(today.isoformat() + "\n")
        self.stdout.write(f"演示数据:网站显示的“今天”固定为 {today.year}年{today.month}月{today.day}日。")

    def plan_file_notice(self, plan_file: str) -> None:
        """Say so when the plan file differs from the one last loaded: loading it is the
        office's decision, after looking at what it changes."""
        try:
            digest = hashlib.sha256(Path(plan_file).read_bytes()).hexdigest()
        except OSError:
            return
        last = PlanLoad.objects.order_by("-loaded_at", "-pk").first()
        if last is not None and last.sha256 != digest:
            self.stdout.write(
                f"注意:方案文件 {plan_file} 与上次载入的 {last.file_name}({last.loaded_at:%Y-%m-%d %H:%M})内容不同,"
                f"未自动载入。查看变更:python manage.py load_plan --dry-run {plan_file}"
            )
