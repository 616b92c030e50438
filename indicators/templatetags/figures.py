"""Template filters for showing figures to people: a ratio as its computed share."""

from django import template

from indicators.forms.entry import ratio_text
from indicators.rules.types import format_figure

register = template.Library()


@register.filter
def ratio(figure) -> str:
    """A figure's numerator ÷ denominator in percent ("52.72%"), or "" without one."""
    return ratio_text(getattr(figure, "numerator", None), getattr(figure, "denominator", None), getattr(figure, "metric", None))


@register.filter
def figure(value) -> str:
    """A stored number as every page writes it (format_figure): 0.55, not 0.550000."""
    return "" if value is None else format_figure(value)
