"""Plausible, reproducible demo figures for a plan year: a realistic mix of green,
yellow, red and missing, so that dashboards and reports have something to show.

Values are drawn to land in a chosen status band for each unit and month; the status
shown in the product is still computed by the rules from the stored figures."""

from __future__ import annotations

import random
import zlib
from contextlib import nullcontext
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from actions import clock
from actions.models import Membership, Plan, Task, TaskReport, Unit
from actions.services import notify, users_with_role
from indicators.ledger.demo import ledger_demo_seed
from indicators.models import Assignment, Baseline, Figure, Metric, Submission
from indicators.rules.pace import pace_start, pace_value
from indicators.rules.periods import add_months, months_of_year
from indicators.rules.workdays import default_deadline, month_end
from indicators.services.workflow import reporting_month_ensure
from indicators.status.refresh import status_refresh_on_commit

GREEN, YELLOW, RED = "green", "yellow", "red"
DEMO_NOTE = "演示数据"
D = Decimal


def _q(x: float, places: int = 2) -> Decimal:
    return D(str(x)).quantize(D(1).scaleb(-places), rounding=ROUND_HALF_UP)


class DemoYear:
    def __init__(self, plan: Plan, seed: int = 2022):
        self.plan = plan
        self.rng = random.Random(seed)
        self.months = months_of_year(plan.year)

    # -- outcomes --------------------------------------------------------------------
    def outcome(self, quality: float) -> str | None:
        r = self.rng.random()
        if r < quality:
            return GREEN
        if r < quality + 0.13:
            return YELLOW
        if r < 0.975:
            return RED
        return None  # not reported

    def number(self, m: Metric, outcome: str, month: int, other: Decimal | None, last: Decimal | None) -> float:
        u = self.rng.uniform
        if last is None:  # a caller without the office's baselines (seed_scale) draws its own
            last = self.last_year(m, month)
        t = float(m.value) if m.value is not None else 0.0
        tol = float(m.tolerance or 0)
        if outcome == YELLOW and not (m.pace and tol):
            # Only a paced target with a band has a warning (behind its pace, within the
            # band); a paced one without a band is kept on pace; elsewhere a figure meets
            # its target or misses it (and a green month of a year heading for a miss is a
            # warning of its own: rules.pace.year_end_outlook).
            outcome = GREEN if m.pace or self.rng.random() < 0.5 else RED
        elif outcome == GREEN and m.pace and self.rng.random() < 0.35 and tol:
            # a coverage or count building up often runs a little behind its pace (the draw
            # is made for every paced target, so one target's band leaves the others' data alike)
            outcome = YELLOW
        kind = m.kind
        if m.pace:
            goal = pace_value(m.target, month)
            if goal is None:  # a batch target before its first batch: the stock barely moves
                return float(pace_start(m.target) or 0) + u(0, 15)
            t = float(goal)
        if kind == Metric.Kind.AT_MOST:
            if m.measure == Metric.Measure.COUNT and m.aggregate == Metric.Aggregate.WORST:
                return {GREEN: self.rng.choice([t, max(1.0, t - 1)]), YELLOW: t + tol, RED: t + tol + 1}[outcome]
            return {GREEN: t * u(0.55, 1.0), YELLOW: t + tol * u(0.1, 1.0), RED: (t + tol) * u(1.08, 1.5)}[outcome]
        if kind == Metric.Kind.AT_LEAST:
            top = 100.0 if m.measure == Metric.Measure.RATIO else t * 1.3
            return {GREEN: t + (top - t) * u(0.05, 0.9), YELLOW: t - tol * u(0.1, 1.0), RED: (t - tol) * u(0.7, 0.97)}[outcome]
        if kind == Metric.Kind.EXCEED:
            return {GREEN: t + u(1, 25), YELLOW: t - tol * u(0.1, 0.9), RED: t - tol - u(5, 60)}[outcome]
        if kind == Metric.Kind.EXACTLY:
            if t == 0:
                return 0.0 if outcome == GREEN else u(20, 800)
            return {GREEN: t, YELLOW: t - tol * u(0.1, 1.0), RED: t - tol - u(1, 10)}[outcome]
        if kind == Metric.Kind.RANGE:
            lo, hi = float(m.low), float(m.high)
            return {GREEN: u(lo + 2, hi - 2), YELLOW: hi + tol * u(0.1, 0.9), RED: hi + tol + u(10, 60)}[outcome]
        if kind == Metric.Kind.CHANGE_VS_LAST_YEAR:
            last = float(last)
            cut = {GREEN: u(t + 1, t + 12), YELLOW: u(t - tol + 0.2, t - 0.2), RED: u(-5, t - tol - 1)}[outcome] / 100
            return last * (1 - cut) if m.direction == Metric.Direction.LOWER else last * (1 + cut)
        if kind == Metric.Kind.RELATIVE_TO:
            other = float(other) if other is not None else 5.0
            return {GREEN: other + u(0.3, 4), YELLOW: other - tol * u(0.1, 0.9), RED: other - tol - u(0.5, 3)}[outcome]
        if kind == Metric.Kind.IMPROVE:
            last = float(last)
            return {GREEN: last + u(0.5, 5), YELLOW: last, RED: last - u(0.5, 5)}[outcome]
        if kind == Metric.Kind.KEEP:
            last = int(last)
            return float(self.rng.randint(1, last) if outcome == GREEN else self.rng.randint(last + 1, 14))
        if kind == Metric.Kind.RANK:
            return float(
                {GREEN: self.rng.randint(1, int(t)), YELLOW: int(t + max(tol, 1)), RED: self.rng.randint(int(t + tol + 1), 12)}[
                    outcome
                ]
            )
        if kind == Metric.Kind.REFERENCE:
            return u(0.6, 1.1) * month
        return 0.0

    def last_year(self, m: Metric, month: int) -> Decimal | None:
        if m.kind == Metric.Kind.CHANGE_VS_LAST_YEAR:
            return _q(self.rng.uniform(0.35, 0.55) * month, 2)  # ytd outage hours
        if m.kind == Metric.Kind.IMPROVE:
            base = float(m.baseline) if m.baseline is not None else 60.0
            return _q(base + self.rng.uniform(-3, 3), 2)
        if m.kind == Metric.Kind.KEEP:
            return D(self.rng.randint(2, 6))  # last year's rank among the province's 14 cities
        return None

    def figure(
        self,
        m: Metric,
        unit: Unit,
        period: date,
        outcome: str,
        other: Decimal | None,
        done_month: int | None,
        last: Decimal | None = None,
    ) -> Figure:
        f = Figure(unit=unit, metric=m, period=period, source=Figure.Source.DEMO)
        month = period.month
        if m.measure == Metric.Measure.MILESTONE:
            if done_month is not None and month >= done_month:
                f.state = "done"
            else:
                f.state = "in_progress" if month >= 3 else "not_started"
            f.checkpoints_reached = _checkpoints_reached(m, unit, period, done=f.state == "done")
            return f
        # `last`: the office's baseline (上年同期值) the figure is judged against
        x = max(self.number(m, outcome, month, other, last), 0.0 if not m.allows_negative else -50.0)
        if m.measure == Metric.Measure.RATIO:
            den = self.rng.randint(40, 400) if not m.allows_negative else self.rng.randint(200000, 900000)
            f.denominator = D(den)
            f.numerator = _q(den * x / 100, 2 if m.allows_negative else 0)
            if not m.allows_negative and f.numerator > den and m.kind != Metric.Kind.EXCEED:
                f.numerator = D(den)
        elif m.measure == Metric.Measure.AVERAGE:
            f.value = _q(x, 2)
            f.cases = self.rng.randint(3, 120)
        else:
            places = 0 if m.unit_of_measure in {"家", "次", "个", "名"} or m.measure == Metric.Measure.RANK else 2
            f.value = _q(x, places)
        if outcome in (YELLOW, RED):
            f.explanation = self.rng.choice(
                [
                    "受项目集中申报影响,个别事项办理时间较长。",
                    "部分数据系统对接尚未完成,统计口径有差异。",
                    "本月新增事项较多,窗口人员不足。",
                    "个别企业材料补正时间较长,拉高平均值。",
                ]
            )
            f.measures = self.rng.choice(
                [
                    "已约谈相关窗口负责人,下月起实行专人跟踪督办。",
                    "加快系统对接,月底前完成数据共享。",
                    "增派窗口人员,推行容缺受理。",
                ]
            )
        return f


def demo_today(year: int) -> date:
    """The one moment the demo of a plan year shows: mid-January of the next year, the
    plan's last month still open for entry (seed_demo's open_last_month), the earlier
    ones closed and reported on. Deadlines, locks, 成文日期, 字号 and 提前/逾期 all agree
    with it (actions/clock.py)."""
    return date(year + 1, 1, 16)


def demo_year_in_database() -> int | None:
    """The plan year of the demo figures in the database, if any."""
    return (
        Figure.objects.filter(source=Figure.Source.DEMO)
        .order_by("-metric__plan__year")
        .values_list("metric__plan__year", flat=True)
        .first()
    )


def demo_clock(year: int | None = None):
    """Run this process on the demo's moment (a context manager) when the database holds
    the demo of `year` (or of any year), unless DEMO_TODAY is already set; otherwise on
    the real date. Commands that write or read the demo (seed_demo, seed_demo_reports,
    prepare_run) run inside it."""
    year = year or demo_year_in_database()
    if year is None or settings.DEMO_TODAY is not None:
        return nullcontext()
    return override_settings(DEMO_TODAY=demo_today(year))


DEMO_HISTORY = "演示数据(系统生成)"


def figure_history_first(figures: list[Figure], *, when: dict, reason: str, user=None) -> None:
    """The first history record of figures written in bulk (bulk_create writes none):
    a later 更正 then has the value it replaces, and the figure's history starts at
    its first write. `when`: (unit_id, period) → the time it was written."""
    fallback = clock.now()
    for f in figures:
        f._history_date = when.get((f.unit_id, f.period)) or fallback
    Figure.history.bulk_history_create(figures, batch_size=1000, default_user=user, default_change_reason=reason)


def seed_year(plan: Plan, *, seed: int = 2022, today: date | None = None) -> dict:
    """Create demo figures, submissions and task reports for every assignment and month
    of the plan year that has already ended (relative to `today`)."""
    today = today or clock.today()
    demo = DemoYear(plan, seed)
    months = [p for p in demo.months if default_deadline(p) <= today] or demo.months[:1]
    metrics = list(
        Metric.objects.filter(plan=plan).select_related("relative_metric").order_by("relative_metric_id", "sort_order")
    )
    metrics.sort(key=lambda m: m.kind == Metric.Kind.RELATIVE_TO)  # the compared-against metric first
    assignments = {}
    for a in Assignment.objects.filter(metric__plan=plan).select_related("unit").order_by("unit__sort_order"):
        assignments.setdefault(a.metric_id, []).append(a.unit)
    units = sorted({u for us in assignments.values() for u in us}, key=lambda u: (u.sort_order, u.code))
    quality = {u.pk: demo.rng.uniform(0.5, 0.9) for u in units}
    # Two units forget the last month altogether: the dashboards must show who is missing.
    absent = {u.pk for u in demo.rng.sample([u for u in units if u.kind != Unit.Kind.DEPARTMENT], k=2)}
    # Last year's values are the office's data (indicators.baselines): one per unit and
    # month for a change against the same month last year, one per unit for "improve" and
    # "keep" (last year's rank).
    baselines: dict[tuple[int, int, date | None], Decimal] = {}
    for m in metrics:
        for unit in assignments.get(m.pk, []):
            if m.kind in (Metric.Kind.IMPROVE, Metric.Kind.KEEP):
                baselines[(m.pk, unit.pk, None)] = demo.last_year(m, 0)
            elif m.kind == Metric.Kind.CHANGE_VS_LAST_YEAR:
                for period in demo.months:
                    baselines[(m.pk, unit.pk, period)] = demo.last_year(m, period.month)
    # A rerun replaces the demo's own baselines and never one the office entered.
    Baseline.objects.filter(metric__plan=plan, note=DEMO_NOTE).delete()
    Baseline.objects.bulk_create(
        [
            Baseline(
                metric_id=metric_id,
                unit_id=unit_id,
                period=period.replace(year=period.year - 1) if period else None,
                value=value,
                note=DEMO_NOTE,
            )
            for (metric_id, unit_id, period), value in baselines.items()
        ],
        ignore_conflicts=True,
    )

    done_month = {}
    figures, values = [], {}
    for m in metrics:
        for unit in assignments.get(m.pk, []):
            if m.measure == Metric.Measure.MILESTONE:
                done_month[(m.pk, unit.pk)] = demo.rng.choice([6, 9, 11, 12, 12, None, None])  # most finish at year end
            for period in months:
                if unit.pk in absent and period == months[-1]:
                    continue
                outcome = demo.outcome(quality[unit.pk])
                if outcome is None:
                    continue
                other = values.get((m.relative_metric_id, unit.pk, period)) if m.relative_metric_id else None
                last = baselines.get((m.pk, unit.pk, period), baselines.get((m.pk, unit.pk, None)))
                f = demo.figure(m, unit, period, outcome, other, done_month.get((m.pk, unit.pk)), last)
                if m.measure == Metric.Measure.RATIO and f.denominator:
                    values[(m.pk, unit.pk, period)] = f.numerator / f.denominator * 100
                figures.append(f)
    Figure.objects.bulk_create(figures, batch_size=1000)

    deadlines = {period: reporting_month_ensure(period).deadline for period in months}
    reported = {(f.unit_id, f.period) for f in figures}
    submissions = []
    tz = timezone.get_current_timezone()
    for unit in units:
        for period in months:
            if (unit.pk, period) not in reported:
                continue
            deadline = deadlines[period]
            late = demo.rng.random() < 0.1
            day = deadline + timedelta(days=demo.rng.randint(1, 6)) if late else deadline - timedelta(days=demo.rng.randint(0, 4))
            at = timezone.make_aware(datetime.combine(day, time(demo.rng.randint(8, 17), demo.rng.randint(0, 59))), tz)
            state = Submission.State.ACCEPTED
            if period == months[-1]:
                state = demo.rng.choice([Submission.State.ACCEPTED, Submission.State.SUBMITTED, Submission.State.SUBMITTED])
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
    Submission.objects.bulk_create(submissions, batch_size=1000)
    figure_history_first(figures, when={(s.unit_id, s.period): s.submitted_at for s in submissions}, reason=DEMO_HISTORY)

    task_reports = []
    narratives = {
        TaskReport.State.ON_TRACK: "按计划推进,本月完成阶段性工作。",
        TaskReport.State.DELAYED: "进度滞后,已明确整改时限。",
        TaskReport.State.DONE: "已全面完成,转入常态化运行。",
        TaskReport.State.NOT_STARTED: "",
    }
    reporting_units = [u for u in units if u.kind != Unit.Kind.DEPARTMENT]
    for task in Task.objects.filter(plan=plan).select_related("lead_indicator__lead_unit"):
        for unit in [task.lead_indicator.lead_unit, *reporting_units]:
            for period in months:
                if (unit.pk, period) not in reported:
                    continue
                state = demo.rng.choices(
                    [TaskReport.State.ON_TRACK, TaskReport.State.DELAYED, TaskReport.State.DONE],
                    weights=[6, 1, max(period.month - 6, 0) + 0.1],
                )[0]
                task_reports.append(
                    TaskReport(
                        unit=unit,
                        task=task,
                        period=period,
                        state=state,
                        narrative=narratives[state],
                        highlight=demo.rng.random() < 0.02,
                    )
                )
    TaskReport.objects.bulk_create(task_reports, batch_size=1000, ignore_conflicts=True)
    deliverable_reports = ledger_demo_seed(plan, months=months, seed=seed)  # 任务台账 (indicators/ledger/demo.py)
    status_refresh_on_commit(months)  # written in bulk
    return {
        "figures": len(figures),
        "submissions": len(submissions),
        "task_reports": len(task_reports),
        "deliverable_reports": deliverable_reports,
        "months": len(months),
        "baselines": len(baselines),
    }


# Demo units whose submissions go through their own approver (单位审核人) first; 衡南县's
# approver is the demo user hengnan_sh.
APPROVAL_UNITS = ("hengnan", "qidong", "leiyang")


def approvals_seed(plan: Plan, *, open_period: date) -> Submission | None:
    """Give the demo approver something to do: a few units need approval, 衡南县's month
    before the open one waits for hengnan_sh (with the notification they would have had),
    and the open month's submissions of the other such units are already approved by
    their units, so that the office can accept them in bulk. 衡南县's open month stays a
    draft for the demo reporter. Returns the submission waiting for hengnan_sh."""

    Unit.objects.filter(code__in=APPROVAL_UNITS).update(needs_approval=True)
    Submission.objects.filter(period=open_period, unit__code__in=APPROVAL_UNITS, state=Submission.State.SUBMITTED).update(
        state=Submission.State.APPROVED
    )
    for sub in Submission.objects.filter(period=open_period, unit__code__in=APPROVAL_UNITS, state=Submission.State.APPROVED):
        sub.approved_at = sub.last_submitted_at + timedelta(hours=20)
        sub.save(update_fields=["approved_at"])
    waiting = Submission.objects.filter(unit__code="hengnan", period=add_months(open_period, -1)).select_related("unit").first()
    if waiting is None:
        return None
    reporter = get_user_model().objects.filter(username="hengnan_tb").first()
    waiting.state, waiting.accepted_at, waiting.submitted_by, waiting.is_late = Submission.State.SUBMITTED, None, reporter, False
    waiting.save(update_fields=["state", "accepted_at", "submitted_by", "is_late"])
    who = reporter.first_name if reporter else "填报员"
    notify(
        users=users_with_role(Membership.Role.APPROVER, waiting.unit),
        text=f"{waiting.unit.name}{waiting.period:%Y年%-m月}数据已由{who}提交,请审核。",
        url=reverse("indicators:entry", args=[waiting.unit.code, f"{waiting.period:%Y-%m}"]),
    )
    status_refresh_on_commit([open_period, add_months(open_period, -1)], next_year=False)  # written in bulk
    return waiting


def _checkpoints_reached(m: Metric, unit: Unit, period: date, *, done: bool) -> dict:
    """The checkpoints a demo unit reached by the end of `period`: most on time, some
    late, some not at all (by a digest of the unit and metric codes, so the demo's random
    draws stay as they were). A unit done has reached them all."""
    end = month_end(period)
    lag = zlib.crc32(f"{unit.code}/{m.code}".encode()) % 5
    out = {}
    for c in m.target.checkpoints:
        if done:
            on = min(c.due - timedelta(days=10), end)
        elif lag == 4:
            continue  # never reached: 预警 once it is due
        else:
            on = c.due + timedelta(days=15) if lag == 3 else c.due - timedelta(days=10)
        if on <= end:
            out[c.name] = {"date": on.isoformat(), "note": f"已完成“{c.name}”(演示数据)"}
    return out
