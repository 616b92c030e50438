"""A year's plan from its checked file (indicators/planfile/), all or nothing: units,
indicators, areas, tasks, metrics, their reporters and benchmarks."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q

from actions.models import ActionArea, Indicator, Plan, PlanLoad, Task, Unit
from indicators.models import Assignment, Benchmark, Figure, Metric
from indicators.planfile.specs import PlanSpec
from indicators.status.refresh import status_refresh_years_on_commit

HOW = {"created": "新增", "updated": "更新", "deleted": "删除", "kept": "已从文件删除但因已有数据而保留"}

# Fields the office owns (fixtures/PLAN_FORMAT.md, "Who owns what"): the file's value is
# only the starting value of a row the file creates; a reload never writes them.
OFFICE_OWNED = {Unit: {"needs_approval"}}


@dataclass
class LoadResult:
    counts: Counter
    # One readable line per change ("单位 hengnan(衡南县):名称 …→…"), for --dry-run and the record.
    changes: list = field(default_factory=list)

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


def _show(value) -> str:
    if hasattr(value, "code"):
        value = value.code
    text = "—" if value in (None, "") else str(value)
    return text if len(text) <= 40 else text[:40] + "…"


def _name(obj) -> str:
    code = getattr(obj, "code", None) or getattr(obj, "name", "")
    name = getattr(obj, "name", None) or getattr(obj, "title", None)
    return f"{code}({name})" if name and name != code else str(code)


class _Tally(Counter):
    """Counts per (what, how), and one readable line per change."""

    def __init__(self):
        super().__init__()
        self.lines: list[str] = []


def _upsert(model, counts: Counter, label: str, lookup: dict, values: dict):
    """Create or update one row, saving only when something differs, so that loading
    the same file twice writes nothing. Office-owned fields are set on creation only."""
    changes = getattr(counts, "lines", None)
    obj = model.objects.filter(**lookup).first()
    if obj is not None:
        values = {k: v for k, v in values.items() if k not in OFFICE_OWNED.get(model, ())}
    # The plan file's checks (indicators/planfile/) already cover the check constraints,
    # which full_clean would otherwise test with one query each; the database still
    # enforces them.
    if obj is None:
        obj = model(**lookup, **values)
        obj.full_clean(validate_constraints=False)
        obj.save()
        counts[(label, "created")] += 1
        if changes is not None:
            changes.append(f"新增{label} {_name(obj)}")
        return obj
    changed = [k for k, v in values.items() if getattr(obj, k) != v]
    if changed:
        if changes is not None:
            for k in changed:
                verbose = model._meta.get_field(k).verbose_name
                changes.append(f"{label} {_name(obj)}:{verbose} {_show(getattr(obj, k))} → {_show(values[k])}")
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


# Called at the end of plan_load, inside its transaction, with (plan, spec, counts):
# registered by the apps above this one in their AppConfig.ready() (reports keeps the
# 督查督办 rules of the file's `supervision:` section).
PLAN_LOADED_HOOKS: list = []


@transaction.atomic
def plan_load(
    *, spec: PlanSpec, file_name: str = "", sha256: str = "", user=None, os_user: str = "", dry_run: bool = False
) -> LoadResult:
    """Load or update a year's plan from a checked PlanSpec, all or nothing, and record
    who loaded which file when (PlanLoad). A dry run does the same work, reports what it
    would change, and rolls it back.

    Units are shared by all years. Assignments follow the file, but one that already
    has figures is never deleted (the figures would lose their reporter)."""
    result = _load(spec)
    if dry_run:
        transaction.set_rollback(True)
        return result
    PlanLoad.objects.create(
        year=spec.year,
        file_name=file_name,
        sha256=sha256,
        loaded_by=user,
        os_user=os_user,
        summary=result.summary()[:1000],
        changes="\n".join(result.changes),
    )
    if result.changed:  # the plan's months, and next year's (its last-year values are matched by code)
        status_refresh_years_on_commit({spec.year, spec.year + 1})
    if result.counts[("单位", "created")] or result.counts[("单位", "updated")]:
        status_refresh_years_on_commit(None)  # units are shared by every year
    return result


def _load(spec: PlanSpec) -> LoadResult:
    counts = _Tally()
    units = {}
    existing = set(Unit.objects.values_list("code", flat=True))
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
                if u.code in existing:  # a new unit's parent is part of "新增单位"
                    verbose = Unit._meta.get_field(name).verbose_name
                    old = getattr(units[u.code], name)
                    counts.lines.append(f"单位 {_name(units[u.code])}:{verbose} {_show(old)} → {_show(other)}")
                    counts[("单位", "updated")] += 1
                setattr(units[u.code], name, other)
                units[u.code].save(update_fields=[name])

    plan = _upsert(
        Plan,
        counts,
        "方案",
        {"year": spec.year},
        {
            "title": spec.title,
            "issued": spec.issued,
            "issuer": spec.issuer,
            "reporting_from": spec.reporting_from,
            "scoring": spec.scoring,
        },
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
                "city_quorum": m.city_quorum,
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
    for hook in PLAN_LOADED_HOOKS:  # the apps above keep what the file says for them
        hook(plan=plan, spec=spec, counts=counts)
    return LoadResult(counts, counts.lines)


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
        counts.lines.extend(f"删除{label} {_name(o)}" for o in doomed)
        doomed.delete()
        counts[(label, "deleted")] += n
    if kept:
        counts[(label, "kept")] += len(kept)
        counts.lines.extend(f"{label} {_name(o)} 已从文件删除,但已有数据,保留" for o in in_use)


def _sync_assignments(metric: Metric, reporters: list[Unit], counts: Counter) -> None:
    wanted = {u.pk for u in reporters}
    existing = set(metric.assignments.values_list("unit_id", flat=True))
    new = [Assignment(metric=metric, unit_id=unit_id) for unit_id in sorted(wanted - existing)]
    Assignment.objects.bulk_create(new)  # one query: a plan has hundreds of assignments
    counts[("报送分工", "created")] += len(new)
    if new and existing:  # a new metric's reporters are part of "新增目标指标"
        names = ", ".join(Unit.objects.filter(pk__in=[a.unit_id for a in new]).values_list("code", flat=True))
        counts.lines.append(f"目标指标 {metric.code}:新增报送单位 {names}")
    with_figures = set(Figure.objects.filter(metric=metric).values_list("unit_id", flat=True).distinct())
    stale = existing - wanted - with_figures
    if stale:
        names = ", ".join(Unit.objects.filter(pk__in=stale).values_list("code", flat=True))
        counts.lines.append(f"目标指标 {metric.code}:不再由 {names} 报送")
        Assignment.objects.filter(metric=metric, unit_id__in=stale).delete()
        counts[("报送分工", "deleted")] += len(stale)


def _sync_benchmarks(metric: Metric, benchmarks, counts: Counter) -> None:
    wanted = {name: (value, kind) for name, value, kind in benchmarks}
    for name, (value, kind) in wanted.items():
        _upsert(Benchmark, counts, "对标值", {"metric": metric, "name": name}, {"value": value, "kind": kind})
    stale = metric.benchmarks.exclude(name__in=wanted)
    if stale.exists():
        counts.lines.extend(f"目标指标 {metric.code}:删除对标值 {name}" for name in stale.values_list("name", flat=True))
        counts[("对标值", "deleted")] += stale.count()
        stale.delete()
