"""Figures from a file (import_figures), all or nothing: every row is checked in memory
by the pure input rules, then the changes are written in bulk with their history, the
unit-months' versions and submissions, and a correction of closed months."""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from actions.models import Unit
from actions.text import clean_text
from indicators.models import Assignment, CorrectionRequest, Figure, Metric, Submission
from indicators.months import reporting_months_get
from indicators.rules.inputs import clean_figure
from indicators.rules.periods import PeriodError, parse_month
from indicators.rules.reporting import is_asked
from indicators.rules.workflow import import_block, is_late
from indicators.services.bulk import BATCH, _insert, _update
from indicators.services.workflow import corrections_announce, now_and_today, reporting_month_ensure
from indicators.status.board import plan_month_expected
from indicators.status.refresh import status_refresh_on_commit


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


EMPTY = {"value": None, "numerator": None, "denominator": None, "cases": None, "state": "", "no_business": False}
NEW_FIGURE = EMPTY | {"last_year_value": None, "explanation": "", "measures": "", "checkpoints_reached": {}}


@transaction.atomic
def _figures_write(cleaned, *, user, source, reason, correction="") -> ImportResult:
    """Write the checked rows in bulk: one locked read of the touched unit-months'
    figures and submissions, the closed-month check in memory, then the figures, their
    history, the submissions and any correction requests in a few batched statements."""
    now, today = now_and_today()
    pairs = {(unit.pk, period) for unit, _m, period, *_rest in cleaned}
    periods = {p for _u, p in pairs}
    unit_ids = {u for u, _p in pairs}
    units = {unit.pk: unit for unit, *_rest in cleaned}
    held: dict[tuple, dict[int, Figure]] = {}  # (unit_id, period) -> {metric_id: figure}
    figures = Figure.objects.select_for_update(of=("self",)).filter(period__in=periods, unit_id__in=unit_ids)
    for f in figures.order_by("pk"):
        if (f.unit_id, f.period) in pairs:
            held.setdefault((f.unit_id, f.period), {})[f.metric_id] = f
    subs = {
        (s.unit_id, s.period): s
        for s in Submission.objects.select_for_update(of=("self",))
        .filter(period__in=periods, unit_id__in=unit_ids)
        .order_by("pk")
        if (s.unit_id, s.period) in pairs
    }

    changes = []  # (unit, metric, period, figure or None, new values)
    for unit, metric, period, values, note, no_business in cleaned:
        f = held.get((unit.pk, period), {}).get(metric.pk)
        new = {name: getattr(values, name) for name in FIGURE_FIELDS} | {"no_business": no_business}
        if note:
            new["explanation"] = note
        if f is None or any(getattr(f, k) != v for k, v in new.items()):
            changes.append((unit, metric, period, f, new))
    changed_months = {(unit.pk, period) for unit, _m, period, _f, _n in changes}
    corrected = _closed_months_check(changed_months, units, held, subs, correction=correction, user=user, now=now, today=today)

    user_id = user.pk if user else None
    created, updated, corrections = [], [], []  # created: the new rows' columns
    history = []  # one record per written figure: who, when, the values, why
    for unit, metric, period, f, new in changes:
        is_correction = (unit.pk, period) in corrected
        why = f"更正:{correction}" if is_correction else reason
        written = {"source": source, "entered_by_id": user_id, "updated_at": now}  # bulk writes leave auto_now alone
        if f is None:
            row = NEW_FIGURE | new | written | {"unit_id": unit.pk, "metric_id": metric.pk, "period": period}
            created.append(row)
            f = SimpleNamespace(**row)
            held.setdefault((unit.pk, period), {})[metric.pk] = f
            old, kind = None, "+"
        else:
            old = SimpleNamespace(**{k: getattr(f, k) for k in EMPTY}) if is_correction else None
            kind = "~"
            for k, v in (new | written).items():
                setattr(f, k, v)
            updated.append(f)
        history.append((f, kind, why))
        if is_correction:
            corrections.append((unit, metric, period, old, f))
    for row, pk in zip(created, _insert(Figure, created, returning=True), strict=True):
        row["id"] = pk
        held[(row["unit_id"], row["period"])][row["metric_id"]].id = pk
    _update(Figure, updated, [*FIGURE_FIELDS, "no_business", "explanation", "source", "entered_by", "updated_at"])
    tracked = [f.attname for f in Figure.history.model.tracked_fields]
    reason_length = Figure.history.model._meta.get_field("history_change_reason").max_length
    records = [
        {a: getattr(f, a) for a in tracked}
        | {"history_date": now, "history_type": kind, "history_user_id": user_id, "history_change_reason": why[:reason_length]}
        for f, kind, why in history
    ]
    _insert(Figure.history.model, records, returning=False)
    _months_mark(
        pairs, changed_months, corrected, held, subs, correction=correction, user=user, submit=source == Figure.Source.IMPORT
    )
    status_refresh_on_commit(periods)
    if corrections:  # after the refresh: the notices read the corrected statuses
        _corrections_announce(corrections, user=user)
    unchanged = len(cleaned) - len(changes)
    return ImportResult(len(created), len(updated), unchanged, corrected=len(corrected))


def _closed_months_check(unit_months, units, held, subs, *, correction: str, user, now, today) -> set:
    """The unit-months among `unit_months` ((unit_id, period)) that are closed to a plain
    import. Without a correction reason they refuse the whole file; with one, each is
    recorded as a correction approved by the importing user."""
    months = reporting_months_get({p for _u, p in unit_months})
    closed = {}
    for unit_id, period in sorted(unit_months, key=lambda um: (um[1], units[um[0]].sort_order, units[um[0]].code)):
        sub = subs.get((unit_id, period))
        block = import_block(
            state=sub.state if sub else Submission.State.DRAFT,
            reopened=bool(sub and sub.reopened),
            has_figures=bool(held.get((unit_id, period))),
            today=today,
            lock_date=months[period].lock_date,
        )
        if block:
            closed[(unit_id, period)] = f"{units[unit_id].name} {period:%Y-%m}:{block}"
    if closed and not correction:
        raise FigureImportError(
            [f"{line},文件导入不能直接修改。" for line in closed.values()]
            + ['如确需修改,请加上 --correction "更正理由" 重新导入,修改将记录为更正。文件中的数据均未导入。']
        )
    requests = []
    for unit_id, period in closed:
        req = CorrectionRequest(
            unit_id=unit_id,
            period=period,
            reason=correction,
            state=CorrectionRequest.State.APPROVED,
            requested_by=user,
            decided_by=user,
            decided_at=now,
            decision_note="文件导入时一并更正(import_figures --correction)",
        )
        req._change_reason, req._history_user = f"文件导入更正:{correction}", user
        requests.append(req)
    bulk_create_with_history(requests, CorrectionRequest, batch_size=BATCH)
    return set(closed)


def _months_mark(pairs, changed_months, corrected, held, subs, *, correction: str, user, submit: bool) -> None:
    """The touched unit-months' submissions, in bulk: a changed month's version
    moves on (a form or an Excel template opened before the import must not overwrite
    it; a month nobody opened gets its first version), and a month the file completes is
    submitted (late if past its deadline), since figures imported from a file count the
    same as figures typed in for every completeness figure."""
    now, today = now_and_today()
    complete = _complete_months(pairs, held) if submit else set()
    deadlines = {}
    new, changed = [], []
    for key in sorted(pairs, key=lambda um: (um[1], um[0])):
        sub = subs.get(key)
        to_submit = key in complete and not (sub and sub.counts_as_submitted)
        if key not in changed_months and not to_submit:
            continue
        why = []
        if sub is None:
            sub = Submission(unit_id=key[0], period=key[1], version=0)
            new.append(sub)
        else:
            sub.updated_at = now  # bulk_update leaves auto_now alone
            changed.append(sub)
        if key in changed_months:
            sub.version += 1
            why.append(f"文件导入更正:{correction}" if key in corrected else "文件导入")
        if to_submit:
            if key[1] not in deadlines:  # once per month: its deadline, and whether the plan expects it
                deadlines[key[1]] = (reporting_month_ensure(key[1]).deadline, plan_month_expected(key[1]))
            sub.state = Submission.State.SUBMITTED
            sub.submitted_at = sub.submitted_at or now
            sub.last_submitted_at, sub.submitted_by = now, user
            deadline, expected_month = deadlines[key[1]]
            sub.is_late = is_late(submitted_on=today, deadline=deadline, expected_month=expected_month)
            why.append("文件导入补齐全部数据,视同提交")
        sub._change_reason, sub._history_user = ";".join(why), user
    bulk_create_with_history(new, Submission, batch_size=BATCH)
    fields = ["version", "state", "submitted_at", "last_submitted_at", "submitted_by", "is_late", "updated_at"]
    _update(Submission, changed, fields)
    Submission.history.bulk_history_create(changed, batch_size=BATCH, update=True)


def _complete_months(pairs, held) -> set:
    """The unit-months whose every assigned metric of the year has a figure (a value, a
    ratio, a state, or 无业务), once the file is written."""
    years = {p.year for _u, p in pairs}
    assigned: dict[tuple, set] = {}
    rows = Assignment.objects.filter(unit_id__in={u for u, _p in pairs}, metric__plan__year__in=years)
    year_end_only = set()
    for unit_id, metric_id, year, once in rows.values_list("unit_id", "metric_id", "metric__plan__year", "metric__year_end_only"):
        assigned.setdefault((unit_id, year), set()).add(metric_id)
        if once:
            year_end_only.add(metric_id)
    out = set()
    for unit_id, period in pairs:
        # A year-end-only target is asked for in December only (rules.reporting.is_asked).
        wanted = {
            m for m in assigned.get((unit_id, period.year), ()) if is_asked(year_end_only=m in year_end_only, period=period)
        }
        figures = held.get((unit_id, period), {})
        if wanted and all(m in figures and _entered(figures[m]) for m in wanted):
            out.add((unit_id, period))
    return out


def _entered(f: Figure) -> bool:
    return f.value is not None or f.numerator is not None or bool(f.state) or f.no_business


def _corrections_announce(corrections, *, user) -> None:
    """A correction by file is the office's own (it records the correction as approved
    and accepted by the importing user): every issued document that printed a corrected
    unit-month gets a draft 更正通知 for the office to review and issue, as after a
    correction accepted on the web. `corrections`: (unit, metric, period, before, now)."""
    unit_months = list(dict.fromkeys((unit, period) for unit, _metric, period, _old, _new in corrections))
    corrections_announce(unit_months=unit_months, user=user)
