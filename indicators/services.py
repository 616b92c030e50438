"""Writes to the plan and the figures. Views, commands and tasks call these; nothing
else writes these models."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from actions.models import ActionArea, Indicator, Plan, Task, Unit
from indicators.models import Assignment, Benchmark, Figure, Metric
from indicators.planfile import PlanSpec

HOW = {"created": "新增", "updated": "更新", "deleted": "删除", "kept": "已从文件删除但因已有数据而保留"}


@dataclass
class LoadResult:
    counts: Counter

    def summary(self) -> str:
        if not any(v for k, v in self.counts.items() if k[1] != "unchanged"):
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
        parent = units[u.parent] if u.parent else None
        if units[u.code].parent_id != (parent.pk if parent else None):
            units[u.code].parent = parent
            units[u.code].save(update_fields=["parent"])

    plan = _upsert(Plan, counts, "方案", {"year": spec.year}, {"title": spec.title, "issued": spec.issued, "issuer": spec.issuer})
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
                "source": m.source,
                "reading": m.reading,
                "sort_order": m.sort_order,
            },
        )
        _sync_assignments(saved[m.code], [units[c] for c in m.reporters], counts)
        _sync_benchmarks(saved[m.code], m.benchmarks, counts)
    _drop_stale(plan, spec, counts)
    return LoadResult(counts)


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
    wanted = dict(benchmarks)
    for name, value in wanted.items():
        _upsert(Benchmark, counts, "对标值", {"metric": metric, "name": name}, {"value": value})
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

    def summary(self) -> str:
        return f"导入完成:新增 {self.created} 条,更新 {self.updated} 条,未变化 {self.unchanged} 条。"


FIGURE_COLUMNS = ["unit", "metric", "period", "value", "numerator", "denominator", "cases", "note"]
FIGURE_FIELDS = ("value", "numerator", "denominator", "cases", "state")


def figures_import(
    *, rows: list[dict], user=None, source: str = Figure.Source.IMPORT, only_unit: Unit | None = None, reason: str = ""
) -> ImportResult:
    """Write figures from file rows (dicts keyed by FIGURE_COLUMNS, plus `line`), all or
    nothing: every problem of every row is collected first, and one problem writes nothing.

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
        values = clean_figure(
            metric.measure,
            value=row.get("value"),
            numerator=row.get("numerator"),
            denominator=row.get("denominator"),
            cases=row.get("cases"),
            allow_negative=metric.allows_negative,
        )
        for name, message in values.errors.items():
            bad("value" if name == "state" else name, message)
        if values.is_empty and not values.errors:
            bad("value", f"“{metric.name}”没有填写数据")
        note = (row.get("note") or "").strip()
        if len(note) > 2000:
            bad("note", "说明超过 2000 字")
        cleaned.append((unit, metric, period, values, note))
    if not rows:
        problems.append("文件中没有数据行")
    if problems:
        raise FigureImportError(problems)
    return _figures_write(cleaned, user=user, source=source, reason=reason or "文件导入")


@transaction.atomic
def _figures_write(cleaned, *, user, source, reason) -> ImportResult:
    existing = {}
    periods = {c[2] for c in cleaned}
    metric_ids = {c[1].pk for c in cleaned}
    for f in Figure.objects.select_for_update().filter(period__in=periods, metric_id__in=metric_ids):
        existing[(f.unit_id, f.metric_id, f.period)] = f
    created = updated = unchanged = 0
    for unit, metric, period, values, note in cleaned:
        f = existing.get((unit.pk, metric.pk, period))
        new = {name: getattr(values, name) for name in FIGURE_FIELDS}
        if note:
            new["explanation"] = note
        if f is None:
            f = Figure(unit=unit, metric=metric, period=period, source=source, entered_by=user, **new)
            f._change_reason = reason
            f.save()
            created += 1
            continue
        if all(getattr(f, k) == v for k, v in new.items()):
            unchanged += 1
            continue
        for k, v in new.items():
            setattr(f, k, v)
        f.source, f.entered_by = source, user
        f._change_reason = reason
        f.save()
        updated += 1
    return ImportResult(created, updated, unchanged)
