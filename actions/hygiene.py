"""The Django side of text hygiene (actions.text): a form mixin that removes
control characters from every text a user sends, used by the entry sheet, the workflow
forms and every admin form, so that no input path stores them."""

from django import forms

from actions.text import clean_text


class CleanTextMixin:
    """Every text a user sends loses its control characters before any field reads it
    (Django's own check would refuse a NUL with a misleading "不允许是用空字符串"), and
    every str in cleaned_data again before the form's own checks in clean() and before
    a ModelForm builds its instance."""

    def full_clean(self):
        if self.is_bound and self.data:
            if hasattr(self.data, "getlist"):  # a QueryDict
                data = self.data.copy()
                for key in data:
                    data.setlist(key, [clean_text(v) if isinstance(v, str) else v for v in data.getlist(key)])
            else:
                data = {k: clean_text(v) if isinstance(v, str) else v for k, v in self.data.items()}
            self.data = data
        super().full_clean()

    def clean(self):
        data = super().clean()
        for name, value in list(self.cleaned_data.items()):
            if isinstance(value, str):
                self.cleaned_data[name] = clean_text(value)
        return data


class CleanTextModelForm(CleanTextMixin, forms.ModelForm):
    """The admin's forms (ModelAdmin.form and inlines)."""
