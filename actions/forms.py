"""Form fields shared by the apps above: evidence files (several at once, each read
capped and checked by its content, actions.evidence), for the task ledger's reports
and 督查督办's answers and findings alike."""

from __future__ import annotations

from django import forms

from actions.evidence import MAX_FILES_PER_ANSWER, EvidenceRejected, evidence_check, read_upload

ACCEPT = ".pdf,.png,.jpg,.jpeg,.docx,.xlsx,.pptx"  # what the file picker offers (the content decides)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Several files; each is read (capped) and checked by its content. Cleaned to a list
    of actions.evidence.CheckedFile; a refused file is named in the message."""

    widget = MultipleFileInput(attrs={"accept": ACCEPT})

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(uploads) > MAX_FILES_PER_ANSWER:
            raise forms.ValidationError(f"每次最多上传 {MAX_FILES_PER_ANSWER} 个佐证材料。")
        checked = []
        for up in uploads:
            try:
                checked.append(evidence_check(data=read_upload(up), name=up.name))
            except EvidenceRejected as e:
                raise forms.ValidationError(f"“{up.name[:60]}”:{e}") from None
        if self.required and not checked:
            raise forms.ValidationError("请上传佐证材料。")
        return checked
