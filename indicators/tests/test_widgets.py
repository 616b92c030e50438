"""The entry sheet's direct-rendering widgets give the same HTML as Django's templates,
with every value and attribute escaped."""

import pytest
from django import forms
from django.test.html import parse_html

from indicators import widgets

VALUES = [None, "", "0.5", "1,234", '<script>alert("x")</script>', "=cmd|' /C calc'!A0", "第一行\n第二行", 0, 12]
ATTRS = [
    None,
    {"id": "id_x-value"},
    {"id": "id_x-value", "required": True, "aria-invalid": "true", "disabled": False},
    {"id": "id_x", "maxlength": "30", "aria-describedby": 'a"b'},
]
PAIRS = [
    (widgets.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "size": 8}), forms.TextInput),
    (widgets.Textarea(attrs={"rows": 2, "cols": 30}), forms.Textarea),
]


@pytest.mark.parametrize("value", VALUES)
@pytest.mark.parametrize("attrs", ATTRS)
@pytest.mark.parametrize(("fast", "django_class"), PAIRS)
def test_same_html_as_djangos_template(fast, django_class, value, attrs):
    slow = django_class(attrs=fast.attrs)
    ours = fast.render("x-value", value, attrs=attrs)
    theirs = slow.render("x-value", value, attrs=attrs)
    assert parse_html(ours) == parse_html(theirs)
    assert "<script>" not in ours
