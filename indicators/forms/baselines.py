"""The office's form for one of last year's values (上年基数)."""

from __future__ import annotations

from django import forms

from actions.hygiene import CleanTextMixin
from indicators.baselines import baseline_value
from indicators.models import Baseline, Metric
from indicators.rules.periods import PeriodError, parse_month
from indicators.rules.types import format_number


class BaselineForm(CleanTextMixin, forms.ModelForm):
    """One of last year's values, as the office edits it: the month as YYYY-MM (empty
    for the whole of last year), the unit empty for the city."""

    month = forms.CharField(label="上年月份", required=False, help_text="如 2021-06;留空表示上年全年")
    # Read by the one number reader (baselines.baseline_value), not Django's DecimalField.
    value = forms.CharField(label="上年值", max_length=40, help_text="比率类指标填百分数,如 52.72 表示 52.72%")
    reason = forms.CharField(
        label="修改原因", required=False, max_length=100, help_text="记入修改历史,如“统计年报更正”;修改已有数值时必填"
    )

    class Meta:
        model = Baseline
        fields = ["metric", "unit", "value", "note"]
        labels = {"unit": "单位(留空为全市)"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metric"].queryset = Metric.objects.select_related("plan").order_by("-plan__year", "sort_order")
        self.fields["metric"].label_from_instance = lambda m: f"{m.plan.year} · {m.name}"
        if self.instance.period:
            self.initial["month"] = f"{self.instance.period:%Y-%m}"
        if self.instance.value is not None and not self.is_bound:
            self.initial["value"] = format_number(self.instance.value)  # 0.55, not 0.550000

    def clean(self):
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
        if self.instance.pk and not (data.get("reason") or "").strip():
            self.add_error("reason", "修改已有的上年基数请填写修改原因(记入修改历史)")
        self.instance.period = period
        if metric and "value" in data:
            try:
                data["value"] = baseline_value(metric, data["value"])
            except ValueError as exc:
                self.add_error("value", str(exc))
        return data
