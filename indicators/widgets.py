"""Widgets of the entry sheet rendered directly, without a template per field.

A unit-month sheet has about 120 inputs; Django renders each widget through its own
template (django/forms/widgets/input.html and attrs.html), which was half the time of
the page (bench/RESULTS.md). These produce the same HTML as those templates: the value
and every attribute escaped, a true boolean attribute written bare, a false one left
out. Only TextInput and Textarea, the two the sheet has by the hundred."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html


class TextInput(forms.TextInput):
    def render(self, name, value, attrs=None, renderer=None):
        value = self.format_value(value)
        shown = format_html(' value="{}"', value) if value is not None else ""
        return format_html(
            '<input type="{}" name="{}"{}{}>', self.input_type, name, shown, flatatt(self.build_attrs(self.attrs, attrs))
        )


class Textarea(forms.Textarea):
    def render(self, name, value, attrs=None, renderer=None):
        value = self.format_value(value)
        return format_html(
            '<textarea name="{}"{}>\n{}</textarea>', name, flatatt(self.build_attrs(self.attrs, attrs)), value or ""
        )
