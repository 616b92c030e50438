"""Forms of the indicators app: the monthly entry sheet (figures and task progress of one
unit and month) and the office's month dates. Each figure is checked by the pure rules
(`rules.inputs.clean_figure`, `rules.status.target_status`), the same ones the live
status endpoint and the Excel upload use."""

from __future__ import annotations

from dataclasses import dataclass, field

from django import forms

from actions.models import TaskReport
from indicators.models import Metric, ReportingMonth
from indicators.rules.inputs import CleanFigure, clean_figure
from indicators.rules.status import target_status
from indicators.rules.types import MilestoneState, Reading, Status
from indicators.selectors import EntryRow, EntrySheet, as_of_for

TEXT_MAX = 2000


def input_names(metric: Metric) -> list[str]:
    """Which inputs a metric has, by how it is measured."""
    names = {
        Metric.Measure.RATIO: ["numerator", "denominator"],
        Metric.Measure.AVERAGE: ["value", "cases"],
        Metric.Measure.MILESTONE: ["state"],
    }.get(metric.measure, ["value"])
    # 上年同期值 is the office's data (indicators.baselines): shown beside the inputs, never typed.
    return names


INPUT_LABELS = {
    "value": "数值",
    "numerator": "分子",
    "denominator": "分母",
    "cases": "件数",
    "state": "完成状态",
    "last_year": "上年同期值",
    "explanation": "情况说明",
    "measures": "整改措施",
}


@dataclass
class RowCheck:
    """One metric's inputs checked: the cleaned figure, its status, and errors by input."""

    figure: CleanFigure
    last_year: object = None
    status: Status = Status.GREY
    errors: dict[str, str] = field(default_factory=dict)

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
        require_complete=submit,
    )
    check = RowCheck(figure=figure, errors=dict(figure.errors))
    last_year = row.last_year_value
    if submit and figure.is_empty and not check.errors:
        check.errors["state" if m.measure == Metric.Measure.MILESTONE else input_names(m)[0]] = "请填写本月数据"
    if not check.errors:
        reading = Reading(
            value=figure.value,
            numerator=figure.numerator,
            denominator=figure.denominator,
            cases=figure.cases,
            state=MilestoneState(figure.state) if figure.state else None,
        )
        check.status = target_status(
            m.target,
            m.measure,
            reading,
            as_of=as_of_for(period),
            period=period,
            last_year=last_year,
            other=other if other is not None else row.other_value,
        )
    if check.needs_explanation:
        for name in ("explanation", "measures"):
            if not (raw.get(name) or "").strip():
                check.errors[name] = f"{check.status.label}的指标须填写{INPUT_LABELS[name]}"
    return check


class EntryForm(forms.Form):
    """The whole sheet of one unit and month: a hidden version (optimistic locking), the
    inputs of every assigned metric, and a state and narrative for every task."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, sheet: EntrySheet, submit: bool = False, **kwargs):
        self.sheet, self.submit = sheet, submit
        kwargs.setdefault("initial", self.initial_from(sheet))
        super().__init__(*args, **kwargs)
        for row in sheet.rows:
            m = row.metric
            for name in input_names(m):
                if name == "state":
                    choices = [("", "—请选择—")] + [(s.value, s.label) for s in MilestoneState]
                    self.fields[f"{m.code}-state"] = forms.ChoiceField(label="完成状态", choices=choices, required=False)
                else:
                    self.fields[f"{m.code}-{name}"] = forms.CharField(
                        label=INPUT_LABELS[name],
                        required=False,
                        max_length=30,
                        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "size": 8}),
                    )
            for name in ("explanation", "measures"):
                self.fields[f"{m.code}-{name}"] = forms.CharField(
                    label=INPUT_LABELS[name],
                    required=False,
                    max_length=TEXT_MAX,
                    widget=forms.Textarea(attrs={"rows": 2, "cols": 30}),
                )
        for task, _report in sheet.tasks:
            self.fields[f"task-{task.code}-state"] = forms.ChoiceField(label="进展", choices=TaskReport.State.choices)
            self.fields[f"task-{task.code}-narrative"] = forms.CharField(
                label="进展情况", required=False, max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2, "cols": 40})
            )
        self.checks: dict[int, RowCheck] = {}

    @staticmethod
    def initial_from(sheet: EntrySheet) -> dict:
        def text(v):
            if v is None:
                return ""
            from indicators.rules.types import format_number

            return format_number(v)

        initial = {"version": sheet.submission.version}
        for row in sheet.rows:
            f, code = row.figure, row.metric.code
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
            }
        for task, report in sheet.tasks:
            initial[f"task-{task.code}-state"] = report.state if report else TaskReport.State.NOT_STARTED
            initial[f"task-{task.code}-narrative"] = report.narrative if report else ""
        return initial

    def raw_of(self, row: EntryRow) -> dict:
        code = row.metric.code
        keys = [*input_names(row.metric), "explanation", "measures"]
        return {k: self.cleaned_data.get(f"{code}-{k}", "") for k in keys}

    def clean(self):
        data = super().clean()
        values = {}
        for row in self.sheet.rows:
            raw = self.raw_of(row)
            other = values.get(row.metric.relative_metric_id)
            check = check_row(row, raw, period=self.sheet.period, submit=self.submit, other=other)
            self.checks[row.metric.pk] = check
            if not check.errors:
                from indicators.rules.aggregate import reading_value

                values[row.metric.pk] = reading_value(
                    row.metric.measure,
                    Reading(value=check.figure.value, numerator=check.figure.numerator, denominator=check.figure.denominator),
                )
            for name, message in check.errors.items():
                self.add_error(f"{row.metric.code}-{name}", message)
        if self.submit:
            for task, _ in self.sheet.tasks:
                key = f"task-{task.code}"
                if data.get(f"{key}-state") == TaskReport.State.DELAYED and not (data.get(f"{key}-narrative") or "").strip():
                    self.add_error(f"{key}-narrative", "进度滞后的任务须说明原因和下一步措施")
        return data

    def figure_values(self) -> dict[int, dict]:
        """Per metric id, the values to store (only valid after is_valid())."""
        out = {}
        for row in self.sheet.rows:
            check = self.checks[row.metric.pk]
            raw = self.raw_of(row)
            f = check.figure
            out[row.metric.pk] = {
                "value": f.value,
                "numerator": f.numerator,
                "denominator": f.denominator,
                "cases": f.cases,
                "state": f.state,
                "explanation": (raw.get("explanation") or "").strip(),
                "measures": (raw.get("measures") or "").strip(),
            }
        return out

    def task_values(self) -> dict[int, dict]:
        return {
            task.pk: {
                "state": self.cleaned_data[f"task-{task.code}-state"],
                "narrative": (self.cleaned_data.get(f"task-{task.code}-narrative") or "").strip(),
            }
            for task, _ in self.sheet.tasks
        }


class ReturnForm(forms.Form):
    reason = forms.CharField(label="退回原因", max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3}))


class CorrectionRequestForm(forms.Form):
    reason = forms.CharField(label="更正理由", max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3}))


class CorrectionDecisionForm(forms.Form):
    decision = forms.ChoiceField(label="审批结果", choices=[("approve", "批准更正"), ("refuse", "不予更正")])
    note = forms.CharField(label="审批意见", required=False, max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2}))


class ReportingMonthForm(forms.ModelForm):
    class Meta:
        model = ReportingMonth
        fields = ["deadline", "lock_date"]
        widgets = {"deadline": forms.DateInput(attrs={"type": "date"}), "lock_date": forms.DateInput(attrs={"type": "date"})}


class UploadForm(forms.Form):
    file = forms.FileField(label="填好的 Excel 模板(.xlsx)")


class BaselineForm(forms.ModelForm):
    """One of last year's values, as the office edits it: the month as YYYY-MM (empty
    for the whole of last year), the unit empty for the city."""

    month = forms.CharField(label="上年月份", required=False, help_text="如 2021-06;留空表示上年全年")

    class Meta:
        from indicators.models import Baseline

        model = Baseline
        fields = ["metric", "unit", "value", "note"]
        labels = {"unit": "单位(留空为全市)"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metric"].queryset = Metric.objects.select_related("plan").order_by("-plan__year", "sort_order")
        self.fields["metric"].label_from_instance = lambda m: f"{m.plan.year} · {m.name}"
        if self.instance.period:
            self.initial["month"] = f"{self.instance.period:%Y-%m}"

    def clean(self):
        from indicators.rules.periods import PeriodError, parse_month

        data = super().clean()
        text = (data.get("month") or "").strip()
        period = None
        if text:
            try:
                period = parse_month(text)
            except PeriodError as exc:
                self.add_error("month", str(exc))
                return data
        metric = data.get("metric")
        if metric and period and period.year != metric.plan.year - 1:
            self.add_error("month", f"上年基数的月份应在{metric.plan.year - 1}年内")
        self.instance.period = period
        return data
