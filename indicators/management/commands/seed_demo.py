"""Create the demo administrator and a plausible year of figures (reproducible)."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from actions import clock
from actions.models import Membership, TaskReport, Unit
from indicators.demo import approvals_seed, demo_clock, seed_year
from indicators.models import Figure, ReportingMonth, Submission
from indicators.selectors import plan_for_year
from indicators.status.refresh import status_refresh_on_commit

ADMIN_PASSWORD = "Hengyang@2022"
DEMO_PASSWORD = "Demo@2022"
# One demo user per role, so that anyone running the README's command can try each one:
# (username, display name, role, unit code or None).
DEMO_USERS = [
    ("hengnan_tb", "衡南县填报员", Membership.Role.REPORTER, "hengnan"),
    ("tax_tb", "税务局填报员", Membership.Role.REPORTER, "tax"),
    ("hengnan_sh", "衡南县审核人", Membership.Role.APPROVER, "hengnan"),
    ("amr_qt", "市场监管局(指标牵头)", Membership.Role.LEAD, "amr"),
    ("office", "市优化办", Membership.Role.OFFICE, "office"),
    ("leader", "市领导", Membership.Role.LEADER, None),
]


class Command(BaseCommand):
    help = "创建演示管理员和一年的演示数据(可重复运行;数据库中有真实数据时拒绝运行)"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=2022)
        parser.add_argument("--seed", type=int, default=2022)
        parser.add_argument("--plan-file", default="fixtures/plan_2022.yaml")

    def handle(self, *args, year, seed, plan_file, **options):
        # The demo's moment (mid-January after the plan's year) for everything the seed
        # writes, including the status refresh that runs once the transaction commits.
        with demo_clock(year), transaction.atomic():
            self.check_and_seed(year=year, seed=seed, plan_file=plan_file)

    def check_and_seed(self, *, year, seed, plan_file):
        if Figure.objects.exclude(source=Figure.Source.DEMO).exists():
            raise CommandError("数据库中已有真实填报数据,为避免混淆,拒绝写入演示数据。")
        if not Figure.objects.filter(source=Figure.Source.DEMO).exists() and (
            Submission.objects.exists() or TaskReport.objects.exists()
        ):
            # Without demo figures, reports and submissions can only be real ones.
            raise CommandError("数据库中已有真实的报送或任务进展记录,为避免混淆,拒绝写入演示数据。")
        plan = plan_for_year(year)
        if plan is None:
            call_command("load_plan", plan_file, stdout=self.stdout)
            plan = plan_for_year(year)
        if plan is None:
            raise CommandError(f"没有{year}年的方案")
        self.seed(plan, seed=seed, year=year)

    def seed(self, plan, *, seed, year):
        User = get_user_model()
        admin, _ = User.objects.get_or_create(username="admin", defaults={"is_staff": True, "is_superuser": True})
        admin.is_staff = admin.is_superuser = True
        admin.first_name = "系统管理员"
        admin.set_password(ADMIN_PASSWORD)
        admin.save()
        Membership.objects.update_or_create(user=admin, defaults={"role": Membership.Role.ADMIN, "unit": None})
        self.stdout.write(f"管理员:admin / {ADMIN_PASSWORD}")
        self.demo_users(User)
        if Figure.objects.filter(metric__plan=plan).exists():
            self.stdout.write(f"{year}年演示数据已存在,未重复生成。")
            return
        counts = seed_year(plan, seed=seed)
        today = clock.today()
        self.stdout.write(
            f"演示时刻:{today.year}年{today.month}月{today.day}日(截止日、锁定日、成文日期、提前/逾期均以此日为准)。"
        )
        self.stdout.write(
            f"{year}年演示数据:{counts['months']} 个月,数据 {counts['figures']} 条,"
            f"报送 {counts['submissions']} 份,任务进展 {counts['task_reports']} 条,上年基数 {counts['baselines']} 条。"
        )
        opened = open_last_month(plan)
        if opened:
            self.stdout.write(
                f"为便于试用,{opened.period:%Y年%m月}仍开放填报:截止日 {opened.deadline},锁定日 {opened.lock_date};"
                "衡南县等单位该月为草稿或未报。"
            )
            waiting = approvals_seed(plan, open_period=opened.period)
            if waiting:
                self.stdout.write(
                    f"衡南县、祁东县、耒阳市需经单位审核;衡南县{waiting.period:%Y年%m月}的报送正等待审核人 hengnan_sh 审核。"
                )

    def demo_users(self, User):
        """Create (or reset the password of) one demo user per role; printed for the README."""
        self.stdout.write(f"演示账号(密码均为 {DEMO_PASSWORD}):")
        for username, name, role, unit_code in DEMO_USERS:
            unit = Unit.objects.filter(code=unit_code).first() if unit_code else None
            if unit_code and unit is None:
                self.stdout.write(f"  跳过 {username}:方案中没有单位“{unit_code}”")
                continue
            user, _ = User.objects.get_or_create(username=username)
            user.first_name = name
            user.set_password(DEMO_PASSWORD)
            user.save()
            Membership.objects.update_or_create(user=user, defaults={"role": role, "unit": unit})
            label = Membership.Role(role).label
            self.stdout.write(f"  {label:　<6} {username} / {DEMO_PASSWORD}({name})")


def open_last_month(plan):
    """Keep the demo year's last month open, as a live month would be: its deadline and
    lock date lie ahead, and a few units (衡南县, whose demo reporter signs in first) hold
    a draft or nothing yet. Without it every demo month is locked and no one could try
    the entry form, reminders or the workflow."""

    last = (
        Submission.objects.filter(unit__assignments__metric__plan=plan)
        .order_by("-period")
        .values_list("period", flat=True)
        .first()
    )
    if last is None:
        return None
    today = clock.today()
    month, _ = ReportingMonth.objects.update_or_create(
        period=last, defaults={"deadline": today + timedelta(days=5), "lock_date": today + timedelta(days=15)}
    )
    drafts = Unit.objects.filter(code__in=["hengnan", "zhengxiang", "gaoxin"])
    Submission.objects.filter(period=last, unit__in=drafts).update(
        state=Submission.State.DRAFT, submitted_at=None, last_submitted_at=None, accepted_at=None, is_late=False
    )
    Submission.objects.filter(period=last, unit__code__in=["shigu", "songmu"]).delete()
    # Nobody is late before the deadline, and the office has not accepted anything yet.
    Submission.objects.filter(period=last).update(is_late=False)
    Submission.objects.filter(period=last, state=Submission.State.ACCEPTED).update(
        state=Submission.State.SUBMITTED, accepted_at=None
    )
    status_refresh_on_commit([last], next_year=False)  # submissions changed in bulk
    return month
