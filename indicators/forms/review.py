"""Forms of the workflow steps around the entry sheet: a return's reason, the month page's
bulk step, a correction request and its decision, and the month's two dates."""

from __future__ import annotations

from django import forms

from actions.hygiene import CleanTextMixin
from actions.ids import parse_id
from indicators.forms.entry import TEXT_MAX
from indicators.models import ReportingMonth


class ReturnForm(CleanTextMixin, forms.Form):
    reason = forms.CharField(label="退回原因", max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3}))


class BulkStepForm(forms.Form):
    """The month page's bulk step: the ticked units (ids), accept or return, and the one
    reason a return needs. Ids are checked against the database by the service."""

    unit = forms.TypedMultipleChoiceField(
        coerce=parse_id,  # "99999999999999999999" is an invalid choice, not an overflow in the query
        error_messages={"required": "请先勾选要处理的单位。", "invalid_choice": "所选单位“%(value)s”无效,未做任何处理。"},
    )
    action = forms.ChoiceField(
        choices=[("accept", "采纳"), ("return", "退回")], error_messages={"invalid_choice": "未知的操作。"}
    )
    reason = forms.CharField(label="退回原因", required=False, max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any whole number passes here: whether such a unit exists is the service's check.
        self.fields["unit"].valid_value = lambda value: True

    def clean(self):
        data = super().clean()
        if data.get("action") == "return" and not (data.get("reason") or "").strip():
            self.add_error("reason", "批量退回须填写退回原因(将发给所选的每个单位)。")
        return data


class CorrectionRequestForm(CleanTextMixin, forms.Form):
    reason = forms.CharField(label="更正理由", max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3}))


class CorrectionDecisionForm(CleanTextMixin, forms.Form):
    decision = forms.ChoiceField(label="审批结果", choices=[("approve", "批准更正"), ("refuse", "不予更正")])
    note = forms.CharField(label="审批意见", required=False, max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2}))


class ReportingMonthForm(forms.ModelForm):
    class Meta:
        model = ReportingMonth
        fields = ["deadline", "lock_date"]
        # A date picker reads only ISO dates; the zh-hans default ("2022/07/06") leaves it blank.
        widgets = {
            "deadline": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
            "lock_date": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        }
