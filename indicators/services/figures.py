"""Figures from a file (import_figures), all or nothing: every row is checked in memory
by the pure input rules, then the changes are written in bulk with their history, the
unit-months' versions and submissions, and a correction of closed months."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from actions.models import Unit
from indicators.models import Assignment, CorrectionRequest, Figure, Metric, Submission
from indicators.rules.inputs import clean_figure
from indicators.rules.periods import PeriodError, parse_month
from indicators.rules.text import clean_text
from indicators.rules.workflow import import_block
from indicators.selectors import reporting_month_get
from indicators.services.workflow import now_and_today, reporting_month_ensure, submission_for_update
from indicators.status_store import status_refresh_on_commit


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
        sub = submission_for_update(unit, period)
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
    now, today = now_and_today()
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
    now, today = now_and_today()
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
