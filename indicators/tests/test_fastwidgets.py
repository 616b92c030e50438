"""The entry sheet's widgets are drawn in Python (indicators.forms.fastwidgets): each one
gives exactly the HTML Django's own widget template gives, for a sheet as loaded and a
sheet sent back with errors."""

from datetime import date

from django import forms

from actions.models import Unit
from indicators.forms import fastwidgets as fast
from indicators.forms.entry import EntryForm
from indicators.selectors import entry_sheet

DJANGO = {
    fast.TextInput: forms.TextInput,
    fast.HiddenInput: forms.HiddenInput,
    fast.CheckboxInput: forms.CheckboxInput,
    fast.Textarea: forms.Textarea,
    fast.Select: forms.Select,
    fast.DateInput: forms.DateInput,
}


def drawn_both_ways(form) -> list[tuple[str, str]]:
    """Each field as drawn, then as Django's template for the same widget draws it."""
    out = []
    for name in form.fields:
        fast_html = str(form[name])
        widget = form.fields[name].widget
        plain = DJANGO[type(widget)](attrs=widget.attrs)
        if isinstance(widget, forms.widgets.Input):  # Input.__init__ took `type` out of the attrs
            plain.input_type = widget.input_type
        if isinstance(widget, forms.Select):
            plain.choices = widget.choices
        form.fields[name].widget = plain
        out.append((fast_html, str(form[name])))
        form.fields[name].widget = widget
    return out


def test_every_widget_of_a_loaded_sheet_is_drawn_as_django_draws_it(plan_2022):
    sheet = entry_sheet(unit=Unit.objects.get(code="hengnan"), period=date(2022, 6, 1))
    form = EntryForm(sheet=sheet)
    assert {type(f.widget) for f in form.fields.values()} == set(DJANGO)  # every kind is compared

    pairs = drawn_both_ways(form)

    assert len(pairs) > 20
    for fast_html, django_html in pairs:
        assert fast_html == django_html


def test_a_sheet_sent_back_with_odd_text_and_errors_is_drawn_as_django_draws_it(plan_2022):
    sheet = entry_sheet(unit=Unit.objects.get(code="hengnan"), period=date(2022, 6, 1))
    data = {"version": "x"}
    for name in EntryForm(sheet=sheet).fields:
        if name.endswith(("-value", "-numerator", "-denominator", "-cases")):
            data[name] = '12"<b>&'  # not a number: an error, the text kept as typed
        elif name.endswith(("-explanation", "-measures", "-narrative")):
            data[name] = '说明 <script>alert(1)</script> & "引号"\n第二行'
        elif name.endswith("-no_business"):
            data[name] = "on"
        elif name.endswith("-state"):
            data[name] = "not-a-choice"
    form = EntryForm(data, sheet=sheet, submit=True)
    assert not form.is_valid()

    for fast_html, django_html in drawn_both_ways(form):
        assert fast_html == django_html
