"""Form widgets drawn in Python with exactly the markup of Django's own widget templates
(django/forms/widgets/input.html, textarea.html, select.html, select_option.html,
attrs.html). An open entry sheet has some 150 inputs; each drawn through the template
engine cost about 1 ms at province size (bench/run), most of the sheet's time.
indicators/tests/test_fastwidgets.py compares every widget with Django's rendering."""

from __future__ import annotations

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe


def _text(value) -> str:
    """`{{ value|stringformat:'s' }}` in a template: str(), escaped unless already safe."""
    return conditional_escape(value if isinstance(value, str) else str(value))


def _attrs(attrs: dict) -> str:
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(f" {conditional_escape(name)}" if value is True else f' {conditional_escape(name)}="{_text(value)}"')
    return "".join(out)


def _input(w: dict) -> str:
    value = "" if w["value"] is None else f' value="{_text(w["value"])}"'
    return f'<input type="{conditional_escape(w["type"])}" name="{conditional_escape(w["name"])}"{value}{_attrs(w["attrs"])}>'


def _textarea(w: dict) -> str:
    value = conditional_escape(w["value"]) if w["value"] else ""
    return f'<textarea name="{conditional_escape(w["name"])}"{_attrs(w["attrs"])}>\n{value}</textarea>'


def _select(w: dict) -> str:
    out = [f'<select name="{conditional_escape(w["name"])}"{_attrs(w["attrs"])}>']
    for group_name, group_choices, _index in w["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in group_choices:
            label = conditional_escape(option["label"])
            out.append(f'\n  <option value="{_text(option["value"])}"{_attrs(option["attrs"])}>{label}</option>\n')
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)


class _InPython:
    """Draws the widget from its context (Widget.get_context) without the template engine."""

    draw = staticmethod(_input)

    def _render(self, template_name, context, renderer=None):
        return mark_safe(self.draw(context["widget"]))  # noqa: S308 (every part escaped above)


class TextInput(_InPython, forms.TextInput):
    pass


class HiddenInput(_InPython, forms.HiddenInput):
    pass


class CheckboxInput(_InPython, forms.CheckboxInput):
    pass


class Textarea(_InPython, forms.Textarea):
    draw = staticmethod(_textarea)


class Select(_InPython, forms.Select):
    draw = staticmethod(_select)


class DateInput(_InPython, forms.DateInput):
    pass
