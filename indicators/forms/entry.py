"""The monthly entry sheet's form (figures and task progress of one unit and month) and
the Excel upload's file field. Each figure is checked by the pure rules
(`rules.inputs.clean_figure`, `rules.status.target_status`), the same ones the live
status endpoint and the Excel upload use.

A draft always saves: only a malformed number is kept back (with its error), everything
else typed is stored. Completeness and the notes of red and yellow rows are asked for
only when the sheet is submitted."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django import forms

from actions import clock
from actions.hygiene import CleanTextMixin
from actions.ids import ID_MAX
from actions.models import TaskReport
from indicators.forms import fastwidgets as fast
from indicators.models import Metric
from indicators.rules.aggregate import reading_value
from indicators.rules.inputs import CleanFigure, clean_figure
from indicators.rules.milestones import NOTE_MAX, checkpoints_reached, reached_dates, reached_problems
from indicators.rules.reporting import is_asked
from indicators.rules.status import judge
from indicators.rules.types import Checkpoint, GreyReason, MilestoneState, Reading, Status, format_figure, format_number
from indicators.selectors import EntryRow, EntrySheet, as_of_for

TEXT_MAX = 2000
FIGURE_KEYS = ("value", "numerator", "denominator", "cases", "state")


def ratio_text(numerator, denominator, metric: Metric | None = None) -> str:
    """A ratio's computed share as people read it ("52.72%"), or "" without one; the
    number is the rules' own (aggregate.reading_value), rounded for display only, with
    the decimals its metric's target needs (format_figure)."""
    value = reading_value(Metric.Measure.RATIO, Reading(numerator=numerator, denominator=denominator))
    if value is None:
        return ""
    return format_figure(value, metric.target.thresholds if metric is not None else ()) + "%"


def input_names(metric: Metric) -> list[str]:
    """Which inputs a metric has, by how it is measured."""
    names = {
        Metric.Measure.RATIO: ["numerator", "denominator"],
        Metric.Measure.AVERAGE: ["value", "cases"],
        Metric.Measure.MILESTONE: ["state"],
    }.get(metric.measure, ["value"])
    # 上年同期值 is the office's data (indicators.baselines): shown beside the inputs, never typed.
    return names


def checkpoint_fields(metric: Metric) -> list[tuple[str, str, Checkpoint]]:
    """A milestone's checkpoints (节点) as the sheet asks for them: (date input, note
    input, checkpoint) in the order of their due dates; none for other metrics."""
    if metric.measure != Metric.Measure.MILESTONE:
        return []
    return [(f"cp{i}-date", f"cp{i}-note", c) for i, c in enumerate(metric.target.checkpoints, 1)]


def reached_from(get, metric: Metric) -> dict:
    """The checkpoint entries typed for `metric` (`get(input name)` gives what was typed,
    a date or text) in the stored form: {name: {"date": …, "note": …}}; a checkpoint left
    blank is not reached."""
    out = {}
    for date_key, note_key, c in checkpoint_fields(metric):
        on, note = get(date_key), (get(note_key) or "").strip()
        if on in (None, "") and not note:
            continue
        out[c.name] = {"date": on.isoformat() if isinstance(on, date) else str(on or "").strip(), "note": note}
    return out


INPUT_LABELS = {
    "value": "数值",
    "numerator": "分子",
    "denominator": "分母",
    "cases": "件数",
    "state": "完成状态",
    "last_year": "上年同期值",
    "explanation": "情况说明",
    "measures": "整改措施",
    "no_business": "本月无此项业务",
}


@dataclass
class RowCheck:
    """One metric's inputs checked: the cleaned figure, its status, and errors by input."""

    figure: CleanFigure
    last_year: object = None
    status: Status = Status.GREY
    errors: dict[str, str] = field(default_factory=dict)
    grey_reason: GreyReason | None = None

    @property
    def label(self) -> str:
        """达标 / 预警 / 未达标, or for grey its reason (未报送, 本月无此项业务 …)."""
        return self.grey_reason.label if self.status is Status.GREY and self.grey_reason else self.status.label

    @property
    def needs_explanation(self) -> bool:
        return self.status in (Status.RED, Status.YELLOW)


def check_row(row: EntryRow, raw: dict, *, period, submit: bool, other=None) -> RowCheck:
    """Check the inputs typed for one metric (strings keyed by input name) and judge them."""
    m = row.metric
    figure = clean_figure(
        m.measure,
        value=raw.get("value"),
        numerator=raw.get("numerator"),
        denominator=raw.get("denominator"),
        cases=raw.get("cases"),
        state=raw.get("state"),
        allow_negative=m.allows_negative,
        unit_of_measure=m.unit_of_measure,
        require_complete=submit,
    )
    check = RowCheck(figure=figure, errors=dict(figure.errors))
    if _ticked(raw.get("no_business")):
        # 本月无此项业务: reported with no figure, not judged (grey), no explanation asked.
        if not figure.is_empty:
            first = "state" if m.measure == Metric.Measure.MILESTONE else input_names(m)[0]
            check.errors = {first: "已勾选“本月无此项业务”,请清空本月数据,或取消勾选"}
        check.figure = CleanFigure()
        check.grey_reason = GreyReason.NO_BUSINESS
        return check
    last_year = row.last_year_value
    if submit and figure.is_empty and not check.errors and is_asked(year_end_only=m.year_end_only, period=period):
        check.errors["state" if m.measure == Metric.Measure.MILESTONE else input_names(m)[0]] = "请填写本月数据"
    reached = _checkpoints_check(m, raw.get("checkpoints_reached"), check)
    if not check.errors:
        reading = Reading(
            value=figure.value,
            numerator=figure.numerator,
            denominator=figure.denominator,
            cases=figure.cases,
            state=MilestoneState(figure.state) if figure.state else None,
            reached=reached,
        )
        judgement = judge(
            m.target,
            m.measure,
            reading,
            as_of=as_of_for(period),
            period=period,
            last_year=last_year,
            other=other if other is not None else row.other_value,
        )
        check.status, check.grey_reason = judgement.status, judgement.grey_reason
    if submit and check.needs_explanation:  # asked for at submit only: a draft always saves
        for name in ("explanation", "measures"):
            if not (raw.get(name) or "").strip():
                check.errors[name] = f"{check.status.label}的指标须填写{INPUT_LABELS[name]}"
    return check


def _checkpoints_check(m: Metric, stored, check: RowCheck) -> int | None:
    """A milestone's checkpoint entries checked (rules.milestones.reached_problems), their
    errors added to `check` under their inputs; how many were reached on time."""
    fields = checkpoint_fields(m)
    if not fields:
        return None
    problems = reached_problems(stored, [c.name for *_keys, c in fields], today=clock.today())
    for date_key, note_key, c in fields:
        if c.name in problems:
            message = problems[c.name]
            check.errors[date_key if "日期" in message else note_key] = message
    return checkpoints_reached(m.target.checkpoints, reached_dates(stored))


def _ticked(raw) -> bool:
    # A checkbox arrives as True from cleaned_data, "on" from raw POST data.
    return raw is True or raw in ("on", "true", "1")


class EntryForm(CleanTextMixin, forms.Form):
    """The whole sheet of one unit and month: a hidden version (optimistic locking), the
    inputs of every assigned metric, and a state and narrative for every task."""

    version = forms.IntegerField(widget=fast.HiddenInput, min_value=0, max_value=ID_MAX)

    def __init__(self, *args, sheet: EntrySheet, submit: bool = False, **kwargs):
        self.sheet, self.submit = sheet, submit
        self.stored = self.initial_from(sheet)  # what a key the form did not send keeps
        kwargs.setdefault("initial", self.stored)
        super().__init__(*args, **kwargs)
        for row in sheet.rows:
            m = row.metric
            for name in input_names(m):
                if name == "state":
                    choices = [("", "—请选择—")] + [(s.value, s.label) for s in MilestoneState]
                    self.fields[f"{m.code}-state"] = forms.ChoiceField(
                        label="完成状态", choices=choices, required=False, widget=fast.Select
                    )
                else:
                    self.fields[f"{m.code}-{name}"] = forms.CharField(
                        label=INPUT_LABELS[name],
                        required=False,
                        max_length=30,
                        widget=fast.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "size": 8}),
                    )
            for date_key, note_key, c in checkpoint_fields(m):
                self.fields[f"{m.code}-{date_key}"] = forms.DateField(
                    label=f"{c.name}:达到日期",
                    required=False,
                    widget=fast.DateInput(attrs={"type": "date"}),
                    error_messages={"invalid": "请填写达到该节点的日期(如 2022-06-20)"},
                )
                self.fields[f"{m.code}-{note_key}"] = forms.CharField(
                    label=f"{c.name}:依据", required=False, max_length=NOTE_MAX, widget=fast.TextInput(attrs={"size": 24})
                )
            self.fields[f"{m.code}-no_business"] = forms.BooleanField(
                label=INPUT_LABELS["no_business"], required=False, widget=fast.CheckboxInput
            )
            for name in ("explanation", "measures"):
                self.fields[f"{m.code}-{name}"] = forms.CharField(
                    label=INPUT_LABELS[name],
                    required=False,
                    max_length=TEXT_MAX,
                    widget=fast.Textarea(attrs={"rows": 2, "cols": 30}),
                )
        for task, _report in sheet.tasks:
            # The table's header names the columns; screen readers need each field's own name.
            name = f"{task.area.number}.{task.number} {task.title}"
            self.fields[f"task-{task.code}-state"] = forms.ChoiceField(
                label="进展", choices=TaskReport.State.choices, widget=fast.Select(attrs={"aria-label": f"{name}:进展"})
            )
            self.fields[f"task-{task.code}-narrative"] = forms.CharField(
                label="进展情况",
                required=False,
                max_length=TEXT_MAX,
                widget=fast.Textarea(attrs={"rows": 2, "cols": 40, "aria-label": f"{name}:进展情况"}),
            )
        self.checks: dict[int, RowCheck] = {}

    @staticmethod
    def initial_from(sheet: EntrySheet) -> dict:
        def text(v):
            if v is None:
                return ""
            return format_number(v)

        initial = {"version": sheet.submission.version}
        for row in sheet.rows:
            f, code = row.figure, row.metric.code
            # Checkpoints reached stay reached: a new month starts from last month's entries.
            kept = (f or row.last_month).checkpoints_reached if (f or row.last_month) else {}
            for date_key, note_key, c in checkpoint_fields(row.metric):
                entry = (kept or {}).get(c.name) or {}
                initial[f"{code}-{date_key}"] = entry.get("date", "")
                initial[f"{code}-{note_key}"] = entry.get("note", "")
            if f is None:
                continue
            initial |= {
                f"{code}-value": text(f.value),
                f"{code}-numerator": text(f.numerator),
                f"{code}-denominator": text(f.denominator),
                f"{code}-cases": text(f.cases),
                f"{code}-state": f.state,
                f"{code}-explanation": f.explanation,
                f"{code}-measures": f.measures,
                f"{code}-no_business": f.no_business,
            }
        for task, report in sheet.tasks:
            initial[f"task-{task.code}-state"] = report.state if report else TaskReport.State.NOT_STARTED
            initial[f"task-{task.code}-narrative"] = report.narrative if report else ""
        return initial

    def raw_of(self, row: EntryRow) -> dict:
        """What was sent for one metric. A key the form did not send at all keeps what
        is stored (a missing key is not an empty value): a POST without a row's inputs
        blanks nothing. A row that is sent is read as a browser sends it, where an
        unticked checkbox is simply absent."""
        code = row.metric.code
        keys = [*input_names(row.metric), "explanation", "measures", "no_business"]
        sent = {k for k in keys if f"{code}-{k}" in self.data}
        if not sent - {"no_business"}:
            sent = set()  # the row was not sent: the checkbox's absence says nothing either
        stored = self.stored if row.figure is not None else {}
        raw = {
            k: self.cleaned_data.get(f"{code}-{k}", "")
            if k in sent or (k == "no_business" and sent)
            else stored.get(f"{code}-{k}", "")
            for k in keys
        }
        if checkpoint_fields(row.metric):
            raw["checkpoints_reached"] = reached_from(lambda k: self._checkpoint_input(row, k), row.metric)
        return raw

    def _checkpoint_input(self, row: EntryRow, key: str):
        # Sent and well-formed: what was typed; not sent or malformed: what is stored
        # (the field's own error says what is wrong with it).
        name = f"{row.metric.code}-{key}"
        if name in self.data and name not in getattr(self, "invalid_fields", ()):
            return self.cleaned_data.get(name)
        return self.stored.get(name, "") if row.figure is not None else ""

    def clean(self):
        data = super().clean()
        # Fields that failed their own checks (too long, not a choice): what they hold is
        # kept back, never stored as blank in place of what was saved before.
        self.invalid_fields = set(self._errors)
        self.kept_back: set[int] = set()  # metrics whose typed figure is not stored
        self.checkpoints_kept_back: set[int] = set()  # milestones whose checkpoint entries are not stored
        values = {}
        for row in self.sheet.rows:
            code = row.metric.code
            raw = self.raw_of(row)
            other = values.get(row.metric.relative_metric_id)
            draft = check_row(row, raw, period=self.sheet.period, submit=False, other=other)
            self.checks[row.metric.pk] = draft
            bad_inputs = {f"{code}-{n}" for n in input_names(row.metric) if n != "last_year"} & self.invalid_fields
            if bad_inputs or set(draft.errors) & set(FIGURE_KEYS):
                self.kept_back.add(row.metric.pk)
            cp_inputs = {f"{code}-{k}" for d, n, _c in checkpoint_fields(row.metric) for k in (d, n)}
            if cp_inputs & (self.invalid_fields | {f"{code}-{k}" for k in draft.errors}):
                self.checkpoints_kept_back.add(row.metric.pk)
            elif not draft.figure.is_empty:
                values[row.metric.pk] = reading_value(
                    row.metric.measure,
                    Reading(value=draft.figure.value, numerator=draft.figure.numerator, denominator=draft.figure.denominator),
                )
            errors = draft.errors
            if self.submit:
                errors = check_row(row, raw, period=self.sheet.period, submit=True, other=other).errors
            for name, message in errors.items():
                if f"{code}-{name}" not in self.invalid_fields:
                    self.add_error(f"{code}-{name}", message)
        if self.submit:
            for task, _ in self.sheet.tasks:
                key = f"task-{task.code}"
                if data.get(f"{key}-state") == TaskReport.State.DELAYED and not (data.get(f"{key}-narrative") or "").strip():
                    self.add_error(f"{key}-narrative", "进度滞后的任务须说明原因和下一步措施")
        return data

    def attention(self) -> list[dict]:
        """Every row that needs attention, for the summary at the top of the sheet: an
        anchor to the row, its name and what is missing or wrong."""
        if not self.is_bound or not self._errors:
            return []
        out = []

        def problems_of(prefix, names, labels):
            found = []
            for name in names:
                for message in self._errors.get(f"{prefix}-{name}", []):
                    label = labels.get(name, "")
                    found.append(message if not label or label in message else f"{label}:{message}")
            return found

        for row in self.sheet.rows:
            m = row.metric
            cps = checkpoint_fields(m)
            names = [*input_names(m), *(k for d, n, _c in cps for k in (d, n)), "explanation", "measures"]
            labels = INPUT_LABELS | {k: f"节点“{c.name}”" for d, n, c in cps for k in (d, n)}
            found = problems_of(m.code, names, labels)
            if found:
                out.append({"anchor": f"m-{m.code}", "name": m.name, "problems": found})
        for task, _ in self.sheet.tasks:
            found = problems_of(f"task-{task.code}", ["state", "narrative"], {"state": "进展", "narrative": "进展情况"})
            if found:
                name = f"任务 {task.area.number}.{task.number} {task.title}"
                out.append({"anchor": f"t-{task.code}", "name": name, "problems": found})
        return out

    def figure_values(self) -> dict[int, dict]:
        """Per metric id, the values to store (after is_valid(), valid or not): a figure
        kept back (malformed) keeps its stored numbers; its notes are still saved."""
        out = {}
        for row in self.sheet.rows:
            code = row.metric.code
            check = self.checks[row.metric.pk]
            raw = self.raw_of(row)
            f = check.figure
            values = {}
            if row.metric.pk not in self.kept_back:
                values = {"value": f.value, "numerator": f.numerator, "denominator": f.denominator, "cases": f.cases}
                values["state"] = f.state
                values["no_business"] = _ticked(raw.get("no_business"))
            if "checkpoints_reached" in raw and row.metric.pk not in self.checkpoints_kept_back:
                values["checkpoints_reached"] = raw["checkpoints_reached"]
            for name in ("explanation", "measures"):
                if f"{code}-{name}" not in self.invalid_fields:
                    values[name] = (raw.get(name) or "").strip()
            out[row.metric.pk] = values
        return out

    def task_values(self) -> dict[int, dict]:
        out = {}
        for task, report in self.sheet.tasks:
            key = f"task-{task.code}"
            if f"{key}-state" in self.invalid_fields:
                continue
            narrative = (self.cleaned_data.get(f"{key}-narrative") or "").strip()
            if f"{key}-narrative" in self.invalid_fields or f"{key}-narrative" not in self.data:
                narrative = report.narrative if report else ""
            out[task.pk] = {"state": self.cleaned_data[f"{key}-state"], "narrative": narrative}
        return out


class UploadForm(forms.Form):
    file = forms.FileField(label="填好的 Excel 模板(.xlsx)")
