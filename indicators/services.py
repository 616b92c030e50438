"""Writes to the plan and the figures. Views, commands and tasks call these; nothing
else writes these models."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from actions.models import ActionArea, Indicator, Plan, Task, Unit
from indicators.models import Assignment, Benchmark, Figure, Metric, ReportingMonth
from indicators.planfile import PlanSpec
from indicators.rules.text import clean_text
from indicators.status_store import reporting_refresh_on_commit, status_refresh_on_commit, status_refresh_years_on_commit

HOW = {"created": "新增", "updated": "更新", "deleted": "删除", "kept": "已从文件删除但因已有数据而保留"}


@dataclass
class LoadResult:
    counts: Counter

    @property
    def changed(self) -> bool:
        return any(v for k, v in self.counts.items() if k[1] != "unchanged")

    def summary(self) -> str:
        if not self.changed:
            return "方案未发生变化(与数据库中一致)。"
        parts = []
        for (what, how), n in sorted(self.counts.items()):
            if how != "unchanged" and n:
                parts.append(f"{what}{HOW[how]} {n}")
        return "已载入:" + ",".join(parts) + "。"


def _upsert(model, counts: Counter, label: str, lookup: dict, values: dict):
    """Create or update one row, saving only when something differs, so that loading
    the same file twice writes nothing."""
    obj = model.objects.filter(**lookup).first()
    # The plan file's checks (indicators/planfile.py) already cover the check constraints,
    # which full_clean would otherwise test with one query each; the database still
    # enforces them.
    if obj is None:
        obj = model(**lookup, **values)
        obj.full_clean(validate_constraints=False)
        obj.save()
        counts[(label, "created")] += 1
        return obj
    changed = [k for k, v in values.items() if getattr(obj, k) != v]
    if changed:
        for k in changed:
            setattr(obj, k, values[k])
        obj.full_clean(validate_constraints=False)
        obj.save(update_fields=changed)
        counts[(label, "updated")] += 1
    else:
        counts[(label, "unchanged")] += 1
    return obj


def _make_room(model, rows, final: dict, place) -> None:
    """Park every row whose numbered place will change (or is wanted by another row) on
    a free number above all others, so that the upserts can then set each final number
    without a moment where two rows hold the same one. Rows already in place are not
    written, so loading an unchanged file still writes nothing."""
    rows = list(rows)
    wanted = set(final.values())
    movers = [o for o in rows if (place(o) != final[o.code] if o.code in final else place(o) in wanted)]
    if not movers:
        return
    top = max([o.number for o in rows] + [p[-1] for p in wanted]) + 1
    for i, o in enumerate(movers):
        model.objects.filter(pk=o.pk).update(number=top + i)


@transaction.atomic
def plan_load(*, spec: PlanSpec) -> LoadResult:
    """Load or update a year's plan from a checked PlanSpec, all or nothing.

    Units are shared by all years. Assignments follow the file, but one that already
    has figures is never deleted (the figures would lose their reporter)."""
    counts: Counter = Counter()
    units = {}
    for i, u in enumerate(spec.units):
        units[u.code] = _upsert(
            Unit,
            counts,
            "单位",
            {"code": u.code},
            {"name": u.name, "kind": u.kind, "reports": u.reports, "needs_approval": u.needs_approval, "sort_order": i},
        )
    for u in spec.units:
        for name, code in (("parent", u.parent), ("cases_in_county", u.cases_in_county)):
            other = units[code] if code else None
            if getattr(units[u.code], f"{name}_id") != (other.pk if other else None):
                setattr(units[u.code], name, other)
                units[u.code].save(update_fields=[name])

    plan = _upsert(
        Plan,
        counts,
        "方案",
        {"year": spec.year},
        {"title": spec.title, "issued": spec.issued, "issuer": spec.issuer, "scoring": spec.scoring},
    )
    # Areas and tasks are numbered by their place in the file; an edit that inserts or
    # reorders them must not trip the unique numbers half-way through the renumbering.
    _make_room(ActionArea, plan.areas.all(), {a.code: (a.number,) for a in spec.areas}, lambda o: (o.number,))
    _make_room(
        Task,
        plan.tasks.select_related("area"),
        {t.code: (a.code, t.number) for a in spec.areas for t in a.tasks},
        lambda o: (o.area.code, o.number),
    )
    indicators = {}
    for i, ind in enumerate(spec.indicators):
        indicators[ind.code] = _upsert(
            Indicator,
            counts,
            "一级指标",
            {"plan": plan, "code": ind.code},
            {
                "name": ind.name,
                "lead_unit": units[ind.lead_unit],
                "chief_name": ind.chief_name,
                "chief_post": ind.chief_post,
                "sort_order": i,
            },
        )
    tasks, metrics = {}, {}
    for area_spec in spec.areas:
        area = _upsert(
            ActionArea,
            counts,
            "行动",
            {"plan": plan, "code": area_spec.code},
            {"number": area_spec.number, "name": area_spec.name, "goals": area_spec.goals},
        )
        for t in area_spec.tasks:
            tasks[t.code] = _upsert(
                Task,
                counts,
                "任务",
                {"plan": plan, "code": t.code},
                {
                    "area": area,
                    "number": t.number,
                    "title": t.title,
                    "text": t.text,
                    "lead_indicator": indicators[t.lead_indicator],
                },
            )
        for m in area_spec.metrics:
            metrics[m.code] = (area, m)

    saved = {}
    # Metrics that others compare against come first, so the reference exists.
    order = sorted(metrics.values(), key=lambda am: am[1].relative_metric is not None)
    for area, m in order:
        saved[m.code] = _upsert(
            Metric,
            counts,
            "目标指标",
            {"plan": plan, "code": m.code},
            {
                "area": area,
                "indicator": indicators[m.indicator],
                "task": tasks.get(m.task) if m.task else None,
                "name": m.name,
                "unit_of_measure": m.unit,
                "measure": m.measure,
                "aggregate": m.aggregate,
                "basis": m.basis,
                "scope": m.scope,
                "kind": m.kind,
                "value": m.value,
                "low": m.low,
                "high": m.high,
                "direction": m.direction,
                "relative_metric": saved.get(m.relative_metric) if m.relative_metric else None,
                "due": m.due,
                "tolerance": m.tolerance,
                "pace": m.pace,
                "year_end_only": m.year_end_only,
                "baseline": m.baseline,
                "stretch": m.stretch,
                "pace_profile": m.pace_profile,
                "batch_months": m.batch_months,
                "pace_from": m.pace_from,
                "checkpoints": [{"name": name, "due": due.isoformat()} for name, due in m.checkpoints],
                "source": m.source,
                "reading": m.reading,
                "pending": m.pending,
                "sort_order": m.sort_order,
            },
        )
        _sync_assignments(saved[m.code], [units[c] for c in m.reporters], counts)
        _sync_benchmarks(saved[m.code], m.benchmarks, counts)
    _drop_stale(plan, spec, counts)
    result = LoadResult(counts)
    if result.changed:  # the plan's months, and next year's (its last-year values are matched by code)
        status_refresh_years_on_commit({spec.year, spec.year + 1})
    return result


def _drop_stale(plan: Plan, spec: PlanSpec, counts: Counter) -> None:
    """What an edited file no longer holds leaves the plan, unless units already reported
    on it: reported figures and task progress are never deleted with it."""
    metric_codes = {m.code for a in spec.areas for m in a.metrics}
    task_codes = {t.code for a in spec.areas for t in a.tasks}
    stale = Metric.objects.filter(plan=plan).exclude(code__in=metric_codes)
    reported = stale.filter(figures__isnull=False)
    # A kept metric keeps the metric it is compared with (relative_to).
    _delete_unless(stale, stale.filter(Q(pk__in=reported) | Q(pk__in=reported.values("relative_metric"))), "目标指标", counts)
    stale = Task.objects.filter(plan=plan).exclude(code__in=task_codes)
    _delete_unless(stale, stale.filter(reports__isnull=False), "任务", counts)
    stale = ActionArea.objects.filter(plan=plan).exclude(code__in={a.code for a in spec.areas})
    _delete_unless(stale, stale.filter(Q(metrics__isnull=False) | Q(tasks__isnull=False)), "行动", counts)
    stale = Indicator.objects.filter(plan=plan).exclude(code__in={i.code for i in spec.indicators})
    _delete_unless(stale, stale.filter(Q(metrics__isnull=False) | Q(tasks__isnull=False)), "一级指标", counts)


def _delete_unless(stale, in_use, label: str, counts: Counter) -> None:
    kept = set(in_use.values_list("pk", flat=True))
    doomed = stale.exclude(pk__in=kept)
    n = doomed.count()
    if n:
        doomed.delete()
        counts[(label, "deleted")] += n
    if kept:
        counts[(label, "kept")] += len(kept)


def _sync_assignments(metric: Metric, reporters: list[Unit], counts: Counter) -> None:
    wanted = {u.pk for u in reporters}
    existing = set(metric.assignments.values_list("unit_id", flat=True))
    new = [Assignment(metric=metric, unit_id=unit_id) for unit_id in sorted(wanted - existing)]
    Assignment.objects.bulk_create(new)  # one query: a plan has hundreds of assignments
    counts[("报送分工", "created")] += len(new)
    with_figures = set(Figure.objects.filter(metric=metric).values_list("unit_id", flat=True).distinct())
    stale = existing - wanted - with_figures
    if stale:
        Assignment.objects.filter(metric=metric, unit_id__in=stale).delete()
        counts[("报送分工", "deleted")] += len(stale)


def _sync_benchmarks(metric: Metric, benchmarks, counts: Counter) -> None:
    wanted = {name: (value, kind) for name, value, kind in benchmarks}
    for name, (value, kind) in wanted.items():
        _upsert(Benchmark, counts, "对标值", {"metric": metric, "name": name}, {"value": value, "kind": kind})
    stale = metric.benchmarks.exclude(name__in=wanted)
    if stale.exists():
        counts[("对标值", "deleted")] += stale.count()
        stale.delete()


class FigureImportError(Exception):
    """A figures file was rejected whole; `problems` lists every reason by row and column."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class ImportResult:
    created: int
    updated: int
    unchanged: int
    corrected: int = 0  # unit-months changed as a recorded correction

    def summary(self) -> str:
        text = f"导入完成:新增 {self.created} 条,更新 {self.updated} 条,未变化 {self.unchanged} 条。"
        if self.corrected:
            text += f"其中 {self.corrected} 个单位月份已关闭,按更正处理并记录了更正申请。"
        return text


FIGURE_COLUMNS = ["unit", "metric", "period", "value", "numerator", "denominator", "cases", "note"]
FIGURE_FIELDS = ("value", "numerator", "denominator", "cases", "state")
NO_BUSINESS_WORDS = {"无业务", "本月无此项业务", "no_business"}  # in the value column


def figures_import(
    *,
    rows: list[dict],
    user=None,
    source: str = Figure.Source.IMPORT,
    only_unit: Unit | None = None,
    reason: str = "",
    correction: str = "",
) -> ImportResult:
    """Write figures from file rows (dicts keyed by FIGURE_COLUMNS, plus `line`), all or
    nothing: every problem of every row is collected first, and one problem writes nothing.

    A unit-month that was submitted, accepted, or is locked with data in it
    (rules.workflow.import_block) is changed only with a `correction` reason, recorded as
    an approved CorrectionRequest and in the figures' history.
    `only_unit` restricts a file to one unit (a reporter's upload)."""
    from indicators.rules.inputs import clean_figure
    from indicators.rules.periods import PeriodError, parse_month

    problems: list[str] = []
    units = {u.code: u for u in Unit.objects.all()}
    metrics = {(m.plan.year, m.code): m for m in Metric.objects.select_related("plan")}
    assigned = set(Assignment.objects.values_list("metric_id", "unit_id"))
    known_codes = {code for _, code in metrics}
    cleaned, seen = [], {}
    for row in rows:
        line = row.get("line", "?")

        def bad(column, message, line=line):
            problems.append(f"第{line}行 {column}列:{message}")

        if row.get("surplus"):
            bad("note", f"列数多于表头(多出“{','.join(row['surplus'])}”),请检查是否有多余的逗号")
        unit = units.get((row.get("unit") or "").strip())
        if unit is None:
            bad("unit", f"未知的单位编码“{row.get('unit') or ''}”")
        elif only_unit is not None and unit.pk != only_unit.pk:
            bad("unit", f"只能导入本单位({only_unit.name})的数据,不能导入“{unit.name}”的数据")
        try:
            period = parse_month(row.get("period") or "")
        except PeriodError as exc:
            bad("period", str(exc))
            period = None
        metric = None
        code = (row.get("metric") or "").strip()
        if period is not None:
            metric = metrics.get((period.year, code))
            if metric is None:
                bad("metric", f"{period.year}年方案中没有编码为“{code}”的指标")
        elif code not in known_codes:  # without a year, still say what is wrong with the code
            bad("metric", f"没有编码为“{code}”的指标")
        if unit is None or metric is None or period is None:
            continue
        if (metric.pk, unit.pk) not in assigned:
            bad("unit", f"{unit.name}不负责报送“{metric.name}”")
            continue
        key = (unit.pk, metric.pk, period)
        if key in seen:
            bad("metric", f"与第{seen[key]}行重复(同一单位、指标、月份)")
            continue
        seen[key] = line
        no_business = (row.get("value") or "").strip() in NO_BUSINESS_WORDS
        if no_business:
            for name in ("numerator", "denominator", "cases"):
                if (row.get(name) or "").strip():
                    bad(name, "填写“无业务”(本月无此项业务)时不能填写分子、分母或件数")
            row = {**row, "value": ""}
        values = clean_figure(
            metric.measure,
            value=row.get("value"),
            numerator=row.get("numerator"),
            denominator=row.get("denominator"),
            cases=row.get("cases"),
            allow_negative=metric.allows_negative,
            unit_of_measure=metric.unit_of_measure,
        )
        for name, message in values.errors.items():
            bad("value" if name == "state" else name, message)
        if values.is_empty and not values.errors and not no_business:
            bad("value", f"“{metric.name}”没有填写数据(本月没有此项业务请填“无业务”)")
        note = clean_text(row.get("note")).strip()  # control characters pasted from Word go
        if len(note) > 2000:
            bad("note", "说明超过 2000 字")
        cleaned.append((unit, metric, period, values, note, no_business))
    if not rows:
        problems.append("文件中没有数据行")
    if problems:
        raise FigureImportError(problems)
    correction = clean_text(correction).strip()
    return _figures_write(cleaned, user=user, source=source, reason=reason or "文件导入", correction=correction)


@transaction.atomic
def _figures_write(cleaned, *, user, source, reason, correction="") -> ImportResult:
    existing = {}
    periods = {c[2] for c in cleaned}
    metric_ids = {c[1].pk for c in cleaned}
    for f in Figure.objects.select_for_update(of=("self",)).filter(period__in=periods, metric_id__in=metric_ids).order_by("pk"):
        existing[(f.unit_id, f.metric_id, f.period)] = f
    changes = []
    for unit, metric, period, values, note, no_business in cleaned:
        f = existing.get((unit.pk, metric.pk, period))
        new = {name: getattr(values, name) for name in FIGURE_FIELDS} | {"no_business": no_business}
        if note:
            new["explanation"] = note
        changes.append((unit, metric, period, f, new))
    changed_months = {(u, p) for u, _m, p, f, new in changes if f is None or any(getattr(f, k) != v for k, v in new.items())}
    corrected = _closed_months_check(changed_months, correction=correction, user=user)
    created = updated = unchanged = 0
    for unit, metric, period, f, new in changes:
        why = f"更正:{correction}" if (unit, period) in corrected else reason
        if f is None:
            f = Figure(unit=unit, metric=metric, period=period, source=source, entered_by=user, **new)
            f._change_reason = why
            f._history_user = user
            f.save()
            created += 1
            continue
        if all(getattr(f, k) == v for k, v in new.items()):
            unchanged += 1
            continue
        for k, v in new.items():
            setattr(f, k, v)
        f.source, f.entered_by = source, user
        f._change_reason = why
        f._history_user = user
        f.save()
        updated += 1
    # A form or an Excel template opened before the import must not overwrite it: the
    # unit-months' versions move on (a month nobody opened gets its first version).
    for unit, period in changed_months:
        sub = _submission_for_update(unit, period)
        sub.version += 1
        sub._change_reason = f"文件导入更正:{correction}" if (unit, period) in corrected else "文件导入"
        sub._history_user = user
        sub.save()
    if source == Figure.Source.IMPORT:
        _imported_months_submit({(c[0], c[2]) for c in cleaned}, user=user)
    status_refresh_on_commit(periods)
    return ImportResult(created, updated, unchanged, corrected=len(corrected))


def _closed_months_check(unit_months, *, correction: str, user) -> set:
    """The unit-months among `unit_months` that are closed to a plain import. Without a
    correction reason they refuse the whole file; with one, each is recorded as a
    correction approved by the importing user."""
    from indicators.models import CorrectionRequest, Submission
    from indicators.rules.workflow import import_block
    from indicators.selectors import reporting_month_get

    now, today = _now_and_today()
    closed = {}
    for unit, period in sorted(unit_months, key=lambda um: (um[1], um[0].sort_order, um[0].code)):
        sub = Submission.objects.filter(unit=unit, period=period).first()
        block = import_block(
            state=sub.state if sub else Submission.State.DRAFT,
            reopened=bool(sub and sub.reopened),
            has_figures=Figure.objects.filter(unit=unit, period=period).exists(),
            today=today,
            lock_date=reporting_month_get(period).lock_date,
        )
        if block:
            closed[(unit, period)] = f"{unit.name} {period:%Y-%m}:{block}"
    if closed and not correction:
        raise FigureImportError(
            [f"{line},文件导入不能直接修改。" for line in closed.values()]
            + ['如确需修改,请加上 --correction "更正理由" 重新导入,修改将记录为更正。文件中的数据均未导入。']
        )
    for unit, period in closed:
        req = CorrectionRequest(
            unit=unit,
            period=period,
            reason=correction,
            state=CorrectionRequest.State.APPROVED,
            requested_by=user,
            decided_by=user,
            decided_at=now,
            decision_note="文件导入时一并更正(import_figures --correction)",
        )
        req._change_reason = f"文件导入更正:{correction}"
        req._history_user = user
        req.save()
    return set(closed)


def _imported_months_submit(unit_months, *, user) -> None:
    """Figures imported from a file count the same as figures typed in: a unit-month the
    file completes is submitted (late if past its deadline), so that every completeness
    figure, which counts submissions, counts it."""
    from indicators.models import Submission

    now, today = _now_and_today()
    for unit, period in unit_months:
        assigned = set(Assignment.objects.filter(unit=unit, metric__plan__year=period.year).values_list("metric_id", flat=True))
        present = set(
            Figure.objects.filter(unit=unit, period=period, metric_id__in=assigned)
            .exclude(value__isnull=True, numerator__isnull=True, state="", no_business=False)
            .values_list("metric_id", flat=True)
        )
        if not assigned or present != assigned:
            continue
        sub, _ = Submission.objects.get_or_create(unit=unit, period=period)
        if sub.counts_as_submitted:
            continue
        sub.state = Submission.State.SUBMITTED
        sub.submitted_at = sub.submitted_at or now
        sub.last_submitted_at = now
        sub.submitted_by = user
        sub.is_late = today > reporting_month_ensure(period).deadline
        sub._change_reason = "文件导入补齐全部数据,视同提交"
        sub.save()


# -- monthly reporting: the entry sheet, the workflow, corrections --------------------


class WorkflowError(Exception):
    """A workflow step that cannot be taken now; the message is for the user."""


class StaleVersion(WorkflowError):
    """Someone saved the unit-month since this form was opened; `changes` says what."""

    def __init__(self, message: str, changes: list[str]):
        self.changes = changes
        super().__init__(message)


def reporting_month_ensure(period) -> ReportingMonth:
    """The month's row, created with the calendar's defaults on the month's first write
    (reads use selectors.reporting_month_get, which never creates it)."""
    from indicators.rules.workdays import default_deadline, default_lock_date

    month, _ = ReportingMonth.objects.get_or_create(
        period=period, defaults={"deadline": default_deadline(period), "lock_date": default_lock_date(period)}
    )
    return month


def _now_and_today():
    from django.utils import timezone

    now = timezone.now()
    return now, timezone.localdate(now)


def _submission_for_update(unit: Unit, period):
    from indicators.models import Submission

    sub, _ = Submission.objects.get_or_create(unit=unit, period=period, defaults={"version": 0})
    return Submission.objects.select_for_update(of=("self",)).get(pk=sub.pk)


def changes_since(*, unit: Unit, period, version: int) -> list[str]:
    """What was saved to a unit-month after the version the user had loaded: one line
    per changed figure or task report, with who and when."""
    from actions.models import TaskReport
    from indicators.models import Submission
    from indicators.timefmt import local_text

    MOMENT = "%m-%d %H:%M"  # local month-day and time: saves of the same month
    since = (
        Submission.history.filter(unit_id=unit.pk, period=period, version=version)
        .order_by("-history_date")
        .values_list("history_date", flat=True)
        .first()
    )
    lines = []
    figures = Figure.history.filter(unit_id=unit.pk, period=period).select_related("metric", "history_user")
    tasks = TaskReport.history.filter(unit_id=unit.pk, period=period).select_related("task", "history_user")
    if since is not None:
        figures, tasks = figures.filter(history_date__gt=since), tasks.filter(history_date__gt=since)
    for h in figures.order_by("history_date"):
        who = (h.history_user.first_name or h.history_user.username) if h.history_user else "系统"
        lines.append(f"{local_text(h.history_date, MOMENT)} {who} 修改了“{h.metric.name}”:{_figure_text(h)}")
    for h in tasks.order_by("history_date"):
        who = (h.history_user.first_name or h.history_user.username) if h.history_user else "系统"
        lines.append(f"{local_text(h.history_date, MOMENT)} {who} 修改了任务“{h.task.title}”的进展:{h.get_state_display()}")
    return lines


def _figure_text(f) -> str:
    from indicators.rules.types import MilestoneState, format_number

    if f.state:
        return MilestoneState(f.state).label
    if f.numerator is not None or f.denominator is not None:
        n = "—" if f.numerator is None else format_number(f.numerator)
        d = "—" if f.denominator is None else format_number(f.denominator)
        return f"{n}/{d}"
    if f.value is None:
        return "(空)"
    return format_number(f.value) + (f",{f.cases} 件" if f.cases is not None else "")


ENTRY_FIELDS = (
    "value", "numerator", "denominator", "cases", "state", "no_business", "last_year_value", "explanation", "measures",
)  # fmt: skip
NOTES = ("explanation", "measures")


@transaction.atomic
def entry_save(
    *,
    unit: Unit,
    period,
    user,
    version: int,
    figures: dict[int, dict],
    tasks: dict[int, dict],
    submit: bool = False,
    source: str = Figure.Source.FORM,
    reason: str = "网页填报",
):
    """Save a unit-month's figures and task progress, optionally submitting it.

    Refused when the form is closed (rules.workflow.edit_block) or when someone saved
    the unit-month since `version` was loaded (optimistic locking: the second save is
    refused with what changed, never silently overwrites)."""
    from actions.models import TaskReport
    from indicators.models import Submission
    from indicators.rules.workflow import edit_block

    now, today = _now_and_today()
    month = reporting_month_ensure(period)
    sub = _submission_for_update(unit, period)
    block = edit_block(
        state=sub.state, reopened=sub.reopened, needs_approval=unit.needs_approval, today=today, lock_date=month.lock_date
    )
    if block:
        raise WorkflowError(block)
    if sub.version != version:
        raise StaleVersion(
            "保存失败:您打开此表后,其他人已保存过本单位本月的数据。为避免互相覆盖,本次修改未保存。"
            "请核对以下变化后,在最新数据上重新填写:",
            changes_since(unit=unit, period=period, version=version),
        )
    existing = {
        f.metric_id: f for f in Figure.objects.select_for_update(of=("self",)).filter(unit=unit, period=period).order_by("pk")
    }
    for metric_id, values in figures.items():
        f = existing.get(metric_id)
        # Notes typed on a row without figures yet are kept too (a draft loses nothing).
        empty = not values.get("no_business") and all(
            values.get(k) in (None, "") for k in ("value", "numerator", "denominator", "cases", "state", *NOTES)
        )
        if f is None:
            if empty:
                continue
            f = Figure(unit=unit, metric_id=metric_id, period=period)
        elif all(getattr(f, k) == values.get(k, getattr(f, k)) for k in ENTRY_FIELDS):
            continue
        for k in ENTRY_FIELDS:
            if k in values:
                v = values[k]
                setattr(f, k, "" if v is None and k in ("state", "explanation", "measures") else v)
        f.source, f.entered_by = source, user
        f._change_reason = reason
        f._history_user = user
        f.save()
    reports = {
        r.task_id: r for r in TaskReport.objects.select_for_update(of=("self",)).filter(unit=unit, period=period).order_by("pk")
    }
    for task_id, values in tasks.items():
        r = reports.get(task_id)
        if r is None:
            if values["state"] == TaskReport.State.NOT_STARTED and not values["narrative"]:
                continue
            r = TaskReport(unit=unit, task_id=task_id, period=period)
        elif r.state == values["state"] and r.narrative == values["narrative"]:
            continue
        r.state, r.narrative, r.entered_by = values["state"], values["narrative"], user
        r._change_reason = reason
        r._history_user = user
        r.save()
    sub.version += 1
    if submit:
        first = sub.submitted_at is None
        sub.state = Submission.State.SUBMITTED
        sub.submitted_at = sub.submitted_at or now
        sub.last_submitted_at, sub.submitted_by = now, user
        if first:
            from indicators.rules.workflow import is_late

            sub.is_late = is_late(submitted_on=today, deadline=month.deadline)
        sub._change_reason = "重新提交" if not first else "提交"
    else:
        sub._change_reason = "保存草稿" if sub.state == Submission.State.DRAFT else "保存修改"
    sub._history_user = user
    sub.save()
    status_refresh_on_commit([period])
    if submit:
        from actions.services import notifications_clear

        notifications_clear(users=_reporters_of(sub), url=_entry_url(sub))  # a return notice is answered
        _notify_submitted(sub, user)
        if sub.reopened:  # a corrected month: issued reports get a 更正 (queued on commit)
            from reports.services import correction_resubmitted

            correction_resubmitted(unit=unit, period=period, user=user)
    return sub


@dataclass
class NotesCopied:
    submission: object
    count: int  # note fields filled

    def message(self) -> str:
        if not self.count:
            return "没有可复制的内容:上月没有情况说明或整改措施,或本月相应栏目都已填写。"
        return f"已把上月的情况说明/整改措施复制到本月 {self.count} 个空白栏目,请逐项核对修改。"


@transaction.atomic
def notes_copy_last_month(*, unit: Unit, period, user) -> NotesCopied:
    """Fill this month's empty 情况说明 and 整改措施 with last month's, metric by metric
    (matched by code); what is already typed is never overwritten. Each filled figure is
    a history record, and the unit-month's version moves, so that a form opened before
    is stale rather than silently overwriting the copy."""
    from indicators.rules.periods import add_months
    from indicators.rules.workflow import edit_block
    from indicators.selectors import reporting_month_get

    _, today = _now_and_today()
    month = reporting_month_get(period)
    sub = _submission_for_update(unit, period)
    block = edit_block(
        state=sub.state, reopened=sub.reopened, needs_approval=unit.needs_approval, today=today, lock_date=month.lock_date
    )
    if block:
        raise WorkflowError(block)
    last = {
        f.metric.code: f
        for f in Figure.objects.filter(unit=unit, period=add_months(period, -1)).select_related("metric")
        if f.explanation.strip() or f.measures.strip()
    }
    existing = {
        f.metric_id: f for f in Figure.objects.select_for_update(of=("self",)).filter(unit=unit, period=period).order_by("pk")
    }
    count = 0
    for metric in Metric.objects.filter(plan__year=period.year, assignments__unit=unit, code__in=list(last)):
        source = last[metric.code]
        f = existing.get(metric.pk) or Figure(unit=unit, metric=metric, period=period)
        filled = [n for n in NOTES if not getattr(f, n).strip() and getattr(source, n).strip()]
        if not filled:
            continue
        for name in filled:
            setattr(f, name, getattr(source, name))
        count += len(filled)
        f.entered_by = user
        f._change_reason = "复制上月情况说明/整改措施"
        f._history_user = user
        f.save()
    if count:
        sub.version += 1
        sub._change_reason = "复制上月情况说明/整改措施"
        sub._history_user = user
        sub.save()
    return NotesCopied(sub, count)


def _entry_url(sub) -> str:
    from django.urls import reverse

    return reverse("indicators:entry", args=[sub.unit.code, f"{sub.period:%Y-%m}"])


def _notify_submitted(sub, user):
    from actions.models import Membership
    from actions.services import notify, office_users, users_with_role

    who = user.first_name or user.username
    if sub.unit.needs_approval:
        notify(
            users=users_with_role(Membership.Role.APPROVER, sub.unit),
            text=f"{sub.unit.name}{sub.period:%Y年%-m月}数据已由{who}提交,请审核。",
            url=_entry_url(sub),
        )
    else:
        notify(users=office_users(), text=f"{sub.unit.name}{sub.period:%Y年%-m月}数据已由{who}提交,请审核。", url=_entry_url(sub))


def _reporters_of(sub):
    from actions.models import Membership
    from actions.services import users_with_role

    return [*users_with_role(Membership.Role.REPORTER, sub.unit), sub.submitted_by]


def _requests_done(sub):
    """The request to review this submission is answered: it leaves the unread list of
    everyone it was sent to (the unit's approvers and the office). Called before the
    step notifies the next reviewer, whose new notice stays."""
    from actions.models import Membership
    from actions.services import notifications_clear, office_users, users_with_role

    reviewers = [*office_users(), *users_with_role(Membership.Role.APPROVER, sub.unit)]
    notifications_clear(users=reviewers, url=_entry_url(sub))


def _locked_submission(unit: Unit, period):
    from indicators.models import Submission

    sub = Submission.objects.select_for_update(of=("self",)).filter(unit=unit, period=period).first()
    if sub is None:
        raise WorkflowError("该单位本月尚未填报。")
    return sub


@transaction.atomic
def submission_approve(*, unit: Unit, period, user):
    """The unit approver confirms a submission; it goes on to the office."""
    from actions.services import notify, office_users
    from indicators.models import Submission

    sub = _locked_submission(unit, period)
    if not unit.needs_approval or sub.state != Submission.State.SUBMITTED:
        raise WorkflowError(f"当前状态为“{sub.get_state_display()}”,不能审核。")
    now, _ = _now_and_today()
    sub.state, sub.approved_at, sub.approved_by = Submission.State.APPROVED, now, user
    sub.version += 1
    sub._change_reason = "单位审核通过"
    sub._history_user = user
    sub.save()
    reporting_refresh_on_commit([period])
    _requests_done(sub)
    notify(users=office_users(), text=f"{unit.name}{period:%Y年%-m月}数据已经单位审核,请市优化办审核。", url=_entry_url(sub))
    return sub


@transaction.atomic
def submission_accept(*, unit: Unit, period, user):
    """The office accepts a submission (after the unit's approval where it needs one)."""
    from actions.services import notify
    from indicators.models import Submission

    sub = _locked_submission(unit, period)
    ready = Submission.State.APPROVED if unit.needs_approval else Submission.State.SUBMITTED
    if sub.state != ready:
        raise WorkflowError(f"当前状态为“{sub.get_state_display()}”,不能采纳。")
    now, _ = _now_and_today()
    sub.state, sub.accepted_at, sub.accepted_by, sub.reopened = Submission.State.ACCEPTED, now, user, False
    sub.version += 1
    sub._change_reason = "市优化办采纳"
    sub._history_user = user
    sub.save()
    reporting_refresh_on_commit([period])
    _requests_done(sub)
    notify(users=_reporters_of(sub), text=f"{unit.name}{period:%Y年%-m月}数据已被市优化办采纳。", url=_entry_url(sub))
    return sub


@transaction.atomic
def submission_return(*, unit: Unit, period, user, reason: str, by_office: bool):
    """Send a submission back to the reporters with a reason: the office from submitted
    or approved, the unit approver from submitted."""
    from actions.services import notify
    from indicators.models import Submission

    reason = clean_text(reason).strip()  # whatever form it came from (bulk steps too)
    if not reason:
        raise WorkflowError("请填写退回原因。")
    sub = _locked_submission(unit, period)
    allowed = {Submission.State.SUBMITTED, Submission.State.APPROVED} if by_office else {Submission.State.SUBMITTED}
    if sub.state not in allowed:
        raise WorkflowError(f"当前状态为“{sub.get_state_display()}”,不能退回。")
    now, _ = _now_and_today()
    sub.state, sub.returned_at, sub.returned_by, sub.returned_reason = Submission.State.RETURNED, now, user, reason
    sub.version += 1
    sub._change_reason = f"退回:{reason}"
    sub._history_user = user
    sub.save()
    reporting_refresh_on_commit([period])
    _requests_done(sub)
    who = "市优化办" if by_office else "单位审核人"
    notify(users=_reporters_of(sub), text=f"{unit.name}{period:%Y年%-m月}数据被{who}退回,原因:{reason}", url=_entry_url(sub))
    return sub


def _units_for_bulk(unit_ids) -> list[Unit]:
    ids = list(dict.fromkeys(unit_ids))
    if not ids:
        raise WorkflowError("请先勾选要处理的单位。")
    units = list(Unit.objects.filter(pk__in=ids).order_by("sort_order", "code"))
    if len(units) != len(ids):
        raise WorkflowError(f"所选单位中有 {len(ids) - len(units)} 个不存在,未做任何处理。请刷新页面后重新勾选。")
    return units


def _each_or_nothing(units: list[Unit], step) -> list:
    """Take one workflow step for every unit, or for none: every unit that cannot take
    it is named in one message, and the steps already taken are rolled back."""
    done, refused = [], []
    for unit in units:
        try:
            with transaction.atomic():
                done.append(step(unit))
        except WorkflowError as exc:
            refused.append(f"{unit.name}:{exc}")
    if refused:
        raise WorkflowError(f"有 {len(refused)} 个单位不能处理,全部未做改动:" + ";".join(refused))
    return done


@transaction.atomic
def submissions_accept_bulk(*, unit_ids, period, user) -> list:
    """The office accepts several unit-months at once, each with the checks of
    `submission_accept`; all or nothing."""
    units = _units_for_bulk(unit_ids)
    return _each_or_nothing(units, lambda unit: submission_accept(unit=unit, period=period, user=user))


@transaction.atomic
def submissions_return_bulk(*, unit_ids, period, user, reason: str) -> list:
    """The office returns several unit-months with one reason, each with the checks of
    `submission_return`; all or nothing."""
    if not (reason or "").strip():
        raise WorkflowError("请填写退回原因。")
    units = _units_for_bulk(unit_ids)
    return _each_or_nothing(
        units, lambda unit: submission_return(unit=unit, period=period, user=user, reason=reason, by_office=True)
    )


@transaction.atomic
def correction_request(*, unit: Unit, period, user, reason: str):
    """A unit asks to change a month it can no longer edit (accepted, or past lock date)."""
    from django.urls import reverse

    from actions.services import notify, office_users
    from indicators.models import CorrectionRequest, Submission
    from indicators.rules.workflow import can_request_correction
    from indicators.selectors import reporting_month_get

    reason = clean_text(reason).strip()  # whatever form it came from (bulk steps too)
    if not reason:
        raise WorkflowError("请填写更正理由。")
    _, today = _now_and_today()
    month = reporting_month_get(period)
    sub = Submission.objects.filter(unit=unit, period=period).first()
    state, reopened = (sub.state, sub.reopened) if sub else (Submission.State.DRAFT, False)
    if not can_request_correction(state=state, reopened=reopened, today=today, lock_date=month.lock_date):
        raise WorkflowError("本月数据仍可直接修改或正在审核中,无需申请更正。")
    if CorrectionRequest.objects.filter(unit=unit, period=period, state=CorrectionRequest.State.PENDING).exists():
        raise WorkflowError("本单位本月已有一份待审批的更正申请,请等待市优化办审批。")
    req = CorrectionRequest(unit=unit, period=period, reason=reason, requested_by=user)
    req.full_clean()
    req.save()
    notify(
        users=office_users(),
        text=f"{unit.name}申请更正{period:%Y年%-m月}数据,理由:{reason}",
        url=reverse("indicators:corrections"),
    )
    return req


@transaction.atomic
def correction_decide(*, request_id: int, user, approve: bool, note: str = ""):
    """The office approves (the unit-month reopens for the unit's reporters, recorded in
    the submission's history) or refuses a pending correction request."""
    from actions.services import notify
    from indicators.models import CorrectionRequest, Submission

    req = CorrectionRequest.objects.select_for_update(of=("self",)).select_related("unit").filter(pk=request_id).first()
    if req is None or req.state != CorrectionRequest.State.PENDING:
        raise WorkflowError("该更正申请不存在或已审批。")
    now, _ = _now_and_today()
    req.state = CorrectionRequest.State.APPROVED if approve else CorrectionRequest.State.REFUSED
    req.decided_by, req.decided_at, req.decision_note = user, now, clean_text(note).strip()
    req._history_user = user
    req.save()
    sub = _submission_for_update(req.unit, req.period)
    if approve:
        sub.reopened = True
        sub.state = Submission.State.RETURNED
        sub.returned_at, sub.returned_by = now, user
        sub.returned_reason = f"更正申请已批准(理由:{req.reason}),请修改后重新提交。"
        sub.version += 1
        sub._change_reason = f"批准更正:{req.reason}"
        sub._history_user = user
        sub.save()
        reporting_refresh_on_commit([req.period])
    verdict = "已批准,表单已重新开放,请修改后重新提交" if approve else "未获批准"
    text = f"{req.unit.name}{req.period:%Y年%-m月}的更正申请{verdict}。"
    if req.decision_note:
        text += f"意见:{req.decision_note}"
    notify(users=[req.requested_by], text=text, url=_entry_url(sub))
    return req
