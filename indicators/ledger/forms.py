"""The form a unit's reporter fills for one deliverable in one month: state, note,
evidence files (checked by content, actions.evidence) and, for a step back from
已完成, the reason. 已完成 without evidence is refused by the service, in Chinese."""

from __future__ import annotations

from django import forms

from actions.evidence import ACCEPTED_TEXT
from actions.forms import EvidenceField
from indicators.ledger.models import DeliverableReport


class DeliverableReportForm(forms.Form):
    state = forms.ChoiceField(label="本月进展", choices=DeliverableReport.State.choices)
    note = forms.CharField(
        label="进展说明",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="本月做了什么、下一步安排;滞后的请说明原因。",
    )
    files = EvidenceField(label="佐证材料", required=False, help_text=f"“已完成”须上传:{ACCEPTED_TEXT},每个不超过10MB。")
    reason = forms.CharField(label="变更原因", required=False, max_length=100, help_text="将“已完成”改为其他状态时必填。")
