"""A large, plausible dataset for benchmarks and load tests (bench/): N reporting units
and Y years of monthly figures, submissions, task reports and figure history.

Each year has its own Plan, a copy of the 2022 plan's areas, indicators, tasks, metrics
and assignments, so that what the product does every January (load a new year's plan)
is what the benchmark measures: last year's figures are found by metric code in last
year's plan, exactly as `status_board` looks for them. Generated units copy the
assignments of a county or park of the plan, round robin. Everything is written with
bulk_create: the province size (600 units × 5 years) takes minutes on PostgreSQL.

Never run it on a production database: it refuses when real (non-demo) figures exist.
"""

from __future__ import annotations

import random
import time as clock
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from actions.models import ActionArea, Indicator, Membership, Plan, Task, TaskReport, Unit
from indicators.demo import DemoYear
from indicators.models import Assignment, Benchmark, Figure, Metric, Submission
from indicators.rules.periods import months_of_year
from indicators.rules.workdays import default_deadline
from indicators.services.workflow import reporting_month_ensure
from indicators.status.refresh import months_in_use, status_refresh

SIZES = {"city": (60, 5), "province": (600, 5)}
BASE_YEAR = 2022
PASSWORD = "Scale@2022"  # the bench users' password (bench data only)
CITIES = ["长沙", "株洲", "湘潭", "衡阳", "邵阳", "岳阳", "常德", "张家界", "益阳", "郴州", "永州", "怀化", "娄底", "湘西"]
BATCH = 5000


class Command(BaseCommand):
    help = "生成大规模模拟数据(基准测试用):N 个报送单位、Y 年月度数据、报送记录和修改历史"

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=sorted(SIZES), help="city = 60 个单位 5 年;province = 600 个单位 5 年")
        parser.add_argument("--units", type=int, help="县市区和园区的总数(含方案中已有的)")
        parser.add_argument("--years", type=int, help=f"年数,从 {BASE_YEAR} 年起")
        parser.add_argument("--seed", type=int, default=2022)
        parser.add_argument("--plan-file", default="fixtures/plan_2022.yaml")
        parser.add_argument("--today", help="按此日期判断哪些月份已结束(YYYY-MM-DD),默认今天")

    def handle(self, *args, size, units, years, seed, plan_file, today, **options):
        if size:
            units, years = units or SIZES[size][0], years or SIZES[size][1]
        if not units or not years:
            raise CommandError("请指定 --size,或同时指定 --units 和 --years")
        if units < 1 or not 1 <= years <= 20:
            raise CommandError("--units 须大于 0,--years 须在 1 到 20 之间")
        if Figure.objects.exclude(source=Figure.Source.DEMO).exists():
            raise CommandError("数据库中已有真实填报数据,拒绝写入模拟数据。")
        if Unit.objects.filter(code__startswith="s-").exists() or Figure.objects.exists():
            raise CommandError("数据库中已有数据;请在新建的空数据库上运行(migrate 之后)。")
        today_date = date.fromisoformat(today) if today else timezone.localdate()
        started = clock.monotonic()
        if not Plan.objects.filter(year=BASE_YEAR).exists():
            call_command("load_plan", plan_file, stdout=self.stdout)
        counts = seed_scale(units=units, years=years, seed=seed, today=today_date, log=self.stdout.write)
        took = clock.monotonic() - started
        self.stdout.write(
            f"模拟数据:{counts['units']} 个报送单位,{years} 年方案,数据 {counts['figures']} 条,"
            f"修改历史 {counts['history']} 条,报送 {counts['submissions']} 份,任务进展 {counts['task_reports']} 条,"
            f"用时 {took:.0f} 秒。用户:scale_office / scale_r0001… 密码 {PASSWORD}"
        )


def seed_scale(*, units: int, years: int, seed: int, today: date, log=lambda s: None) -> dict:
    rng = random.Random(seed)
    base = Plan.objects.get(year=BASE_YEAR)
    with transaction.atomic():
        clones = _clone_units(base, units)
        plans = [base] + [_clone_plan(base, year) for year in range(BASE_YEAR + 1, BASE_YEAR + years)]
        users = _users(clones or list(Unit.objects.filter(kind__in=[Unit.Kind.COUNTY, Unit.Kind.PARK])))
    log(f"单位 {len(clones)} 个新增,方案 {len(plans)} 年,用户 {len(users)} 个")
    counts = {"units": Unit.objects.filter(kind__in=[Unit.Kind.COUNTY, Unit.Kind.PARK]).count()}
    for key in ("figures", "history", "submissions", "task_reports"):
        counts[key] = 0
    for plan in plans:
        # One transaction per year: a year is either wholly there or not at all.
        with transaction.atomic():
            c = _seed_year(plan, rng=rng, seed=seed + plan.year, today=today, user=users[0])
        for key, n in c.items():
            counts[key] += n
        log(f"{plan.year} 年:数据 {c['figures']} 条")
    # Written in bulk, without the services: every month's stored statuses at once.
    months = sorted(months_in_use())
    began = clock.monotonic()
    status_refresh(periods=months, today=today)
    log(f"状态 {len(months)} 个月已计算,用时 {clock.monotonic() - began:.0f} 秒")
    return counts


def _clone_units(base: Plan, total: int) -> list[Unit]:
    templates = list(Unit.objects.filter(kind__in=[Unit.Kind.COUNTY, Unit.Kind.PARK]).order_by("sort_order", "code"))
    missing = total - len(templates)
    if missing <= 0:
        return []
    new = []
    for i in range(missing):
        t = templates[i % len(templates)]
        n = i + 1
        city = CITIES[i % len(CITIES)]
        word = "县" if t.kind == Unit.Kind.COUNTY else "园区"
        new.append(
            Unit(
                code=f"s-{n:04d}",
                name=f"{city}模拟{word}{n:04d}",
                kind=t.kind,
                reports=True,
                needs_approval=n % 5 == 0,
                sort_order=1000 + n,
            )
        )
    Unit.objects.bulk_create(new, batch_size=BATCH)
    new = list(Unit.objects.filter(code__startswith="s-").order_by("code"))
    by_template: dict[int, list[int]] = {}
    for i, u in enumerate(new):
        by_template.setdefault(templates[i % len(templates)].pk, []).append(u.pk)
    assignments = [
        Assignment(metric_id=a.metric_id, unit_id=clone)
        for a in Assignment.objects.filter(metric__plan=base, unit_id__in=by_template)
        for clone in by_template[a.unit_id]
    ]
    Assignment.objects.bulk_create(assignments, batch_size=BATCH)
    return new


def _clone_plan(base: Plan, year: int) -> Plan:
    """A copy of the base plan for another year, codes unchanged."""
    plan = Plan.objects.create(
        year=year, title=base.title.replace(str(base.year), str(year)), issued=date(year, 3, 1), issuer=base.issuer
    )

    def copy(obj, **changes):
        data = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if not f.primary_key}
        data.update(changes)
        return type(obj)(**data)

    indicators = {i.pk: copy(i, plan_id=plan.pk) for i in base.indicators.all()}
    Indicator.objects.bulk_create(indicators.values())
    areas = {a.pk: copy(a, plan_id=plan.pk) for a in base.areas.all()}
    ActionArea.objects.bulk_create(areas.values())
    tasks = {
        t.pk: copy(t, plan_id=plan.pk, area_id=areas[t.area_id].pk, lead_indicator_id=indicators[t.lead_indicator_id].pk)
        for t in base.tasks.all()
    }
    Task.objects.bulk_create(tasks.values())
    metrics = {}
    base_metrics = list(Metric.objects.filter(plan=base))
    # The compared-against metrics first, so that relative_metric can point at the copy.
    for relative in (False, True):
        batch = {
            m.pk: copy(
                m,
                plan_id=plan.pk,
                area_id=areas[m.area_id].pk,
                indicator_id=indicators[m.indicator_id].pk,
                task_id=tasks[m.task_id].pk if m.task_id else None,
                relative_metric_id=metrics[m.relative_metric_id].pk if m.relative_metric_id else None,
                due=m.due.replace(year=year) if m.due else None,
            )
            for m in base_metrics
            if (m.relative_metric_id is not None) == relative
        }
        Metric.objects.bulk_create(batch.values())
        metrics.update(batch)
    Benchmark.objects.bulk_create(
        [copy(b, metric_id=metrics[b.metric_id].pk) for b in Benchmark.objects.filter(metric__plan=base)]
    )
    Assignment.objects.bulk_create(
        [Assignment(metric_id=metrics[a.metric_id].pk, unit_id=a.unit_id) for a in Assignment.objects.filter(metric__plan=base)],
        batch_size=BATCH,
    )
    return plan


def _users(units: list[Unit]) -> list:
    """scale_office (the office) and one reporter per unit, scale_r0001…: the load test
    logs in as them. One password hash for all: hashing is slow on purpose."""
    User = get_user_model()
    hashed = make_password(PASSWORD)
    specs = [("scale_office", Membership.Role.OFFICE, None)] + [
        (f"scale_r{i + 1:04d}", Membership.Role.REPORTER, u) for i, u in enumerate(units)
    ]
    existing = set(User.objects.filter(username__in=[s[0] for s in specs]).values_list("username", flat=True))
    User.objects.bulk_create(
        [User(username=name, password=hashed, first_name=name) for name, _, _ in specs if name not in existing],
        batch_size=BATCH,
    )
    users = {u.username: u for u in User.objects.filter(username__in=[s[0] for s in specs])}
    Membership.objects.bulk_create(
        [Membership(user=users[name], role=role, unit=unit) for name, role, unit in specs if name not in existing],
        batch_size=BATCH,
    )
    return [users[s[0]] for s in specs]


def _seed_year(plan: Plan, *, rng: random.Random, seed: int, today: date, user) -> dict:
    demo = DemoYear(plan, seed)
    months = [p for p in months_of_year(plan.year) if default_deadline(p) <= today]
    if not months:
        return {"figures": 0, "history": 0, "submissions": 0, "task_reports": 0}
    metrics = list(Metric.objects.filter(plan=plan).order_by("sort_order"))
    metrics.sort(key=lambda m: m.kind == Metric.Kind.RELATIVE_TO)  # the compared-against metric first
    assignments: dict[int, list[Unit]] = {}
    for a in Assignment.objects.filter(metric__plan=plan).select_related("unit").order_by("unit__sort_order", "unit__code"):
        assignments.setdefault(a.metric_id, []).append(a.unit)
    units = sorted({u for us in assignments.values() for u in us}, key=lambda u: (u.sort_order, u.code))
    quality = {u.pk: rng.uniform(0.5, 0.9) for u in units}
    tz = timezone.get_current_timezone()

    figures, values = [], {}
    for m in metrics:
        for unit in assignments.get(m.pk, []):
            done = rng.choice([6, 8, 9, 10, 11, 12, None]) if m.measure == Metric.Measure.MILESTONE else None
            for period in months:
                outcome = demo.outcome(quality[unit.pk])
                if outcome is None:
                    continue
                other = values.get((m.relative_metric_id, unit.pk, period)) if m.relative_metric_id else None
                f = demo.figure(m, unit, period, outcome, other, done)
                f.source = Figure.Source.DEMO
                if m.measure == Metric.Measure.RATIO and f.denominator:
                    values[(m.pk, unit.pk, period)] = f.numerator / f.denominator * 100
                figures.append(f)
    Figure.objects.bulk_create(figures, batch_size=BATCH)

    # History: every figure was entered once (+), and one in twenty corrected later (~).
    History = Figure.history.model
    fields = [f.attname for f in Figure._meta.concrete_fields]
    history = []
    for f in figures:
        at = timezone.make_aware(datetime.combine(default_deadline(f.period) - timedelta(days=2), time(10)), tz)
        row = {name: getattr(f, name) for name in fields}
        history.append(History(**row, history_date=at, history_type="+", history_user_id=user.pk, history_change_reason=""))
        if rng.random() < 0.05:
            history.append(
                History(
                    **row,
                    history_date=at + timedelta(days=1),
                    history_type="~",
                    history_user_id=user.pk,
                    history_change_reason="更正笔误",
                )
            )
    History.objects.bulk_create(history, batch_size=BATCH)

    deadlines = {period: reporting_month_ensure(period).deadline for period in months}
    reported = {(f.unit_id, f.period) for f in figures}
    submissions = []
    for unit in units:
        for period in months:
            if (unit.pk, period) not in reported:
                continue
            deadline = deadlines[period]
            late = rng.random() < 0.1
            day = deadline + timedelta(days=rng.randint(1, 6)) if late else deadline - timedelta(days=rng.randint(0, 4))
            at = timezone.make_aware(datetime.combine(day, time(rng.randint(8, 17), rng.randint(0, 59))), tz)
            state = Submission.State.ACCEPTED
            if period == months[-1]:
                state = rng.choice([Submission.State.ACCEPTED, Submission.State.SUBMITTED])
            submissions.append(
                Submission(
                    unit=unit,
                    period=period,
                    state=state,
                    submitted_at=at,
                    last_submitted_at=at,
                    is_late=late,
                    accepted_at=at + timedelta(days=2) if state == Submission.State.ACCEPTED else None,
                )
            )
    Submission.objects.bulk_create(submissions, batch_size=BATCH)

    reporting_units = [u for u in units if u.kind != Unit.Kind.DEPARTMENT]
    task_reports = []
    for task in Task.objects.filter(plan=plan).select_related("lead_indicator__lead_unit"):
        for unit in [task.lead_indicator.lead_unit, *reporting_units]:
            for period in months:
                if (unit.pk, period) not in reported:
                    continue
                state = rng.choices(
                    [TaskReport.State.ON_TRACK, TaskReport.State.DELAYED, TaskReport.State.DONE],
                    weights=[6, 1, max(period.month - 6, 0) + 0.1],
                )[0]
                task_reports.append(
                    TaskReport(unit=unit, task=task, period=period, state=state, narrative="按计划推进,本月完成阶段性工作。")
                )
    TaskReport.objects.bulk_create(task_reports, batch_size=BATCH, ignore_conflicts=True)
    return {
        "figures": len(figures),
        "history": len(history),
        "submissions": len(submissions),
        "task_reports": len(task_reports),
    }
