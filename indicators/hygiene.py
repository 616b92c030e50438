"""The Django side of text hygiene (indicators.rules.text): a form mixin that removes
control characters from every text a user sends, used by the entry sheet, the workflow
forms and every admin form, so that no input path stores them."""

from django import forms

from indicators.rules.text import clean_text


class CleanTextMixin:
    """Every str in cleaned_data loses its control characters before the form's own
    checks in clean() and before a ModelForm builds its instance."""

    def clean(self):
        data = super().clean()
        for name, value in list(self.cleaned_data.items()):
            if isinstance(value, str):
                self.cleaned_data[name] = clean_text(value)
        return data


class CleanTextModelForm(CleanTextMixin, forms.ModelForm):
    """The admin's forms (ModelAdmin.form and inlines)."""
