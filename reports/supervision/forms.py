"""Forms of 督查督办: raising (one or a batch), answering with evidence, the decisions
of each step, findings and proposals. Files are checked by content (actions.forms'
EvidenceField, the ledger's too)."""

from __future__ import annotations

from datetime import timedelta

from django import forms

from actions import clock
from actions.forms import EvidenceField
from actions.models import Unit
from reports.supervision.models import Finding, SupervisionOrder, SupervisionSettings

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def default_due():
    return clock.today() + timedelta(days=SupervisionSettings.current().answer_days)


class RaiseForm(forms.Form):
    required = forms.CharField(
        label="整改要求",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        initial="请分析原因,制定整改措施,明确完成时限,按期答复并附佐证材料。",
    )
    due = forms.DateField(label="答复期限", widget=DATE)
    level = forms.ChoiceField(label="督办级别", choices=SupervisionOrder.Level.choices)


class BatchForm(RaiseForm):
    keys = forms.MultipleChoiceField(
        label="督办目标", widget=forms.CheckboxSelectMultiple, error_messages={"required": "请至少选择一个目标。"}
    )

    def __init__(self, *args, cells=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keys"].choices = [(c.key, c.key) for c in cells]


class FindingOrderForm(RaiseForm):
    problem = forms.CharField(label="问题", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


class AnswerForm(forms.Form):
    measures = forms.CharField(label="已采取措施", max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    progress = forms.CharField(label="整改进展", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    expected_done = forms.DateField(label="预计完成时间", widget=DATE)
    files = EvidenceField(label="佐证材料", required=False, help_text="PDF、图片或 Office 文件,每个不超过 10 MB")
    version = forms.IntegerField(widget=forms.HiddenInput)


class DecisionForm(forms.Form):
    note = forms.CharField(label="意见或理由", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class FindingForm(forms.Form):
    source = forms.ChoiceField(label="来源", choices=Finding.Source.choices)
    received = forms.DateField(label="受理日期", widget=DATE)
    unit = forms.ModelChoiceField(label="涉及单位", queryset=Unit.objects.all())
    description = forms.CharField(label="问题描述", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    files = EvidenceField(label="佐证材料", required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class SettingsForm(forms.ModelForm):
    class Meta:
        model = SupervisionSettings
        fields = [
            "red_supervise",
            "red_listed",
            "overdue_interview",
            "green_close",
            "deliverable_supervise",
            "answer_days",
            "overdue_points",
            "overdue_points_confirmed",
        ]
