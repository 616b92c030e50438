"""Template helpers of the dashboards: the Chart.js loader and status badges."""

from django import template
from django.conf import settings
from django.templatetags.static import static

from indicators.rules.types import format_number
from reports import dashboards as d
from reports.tables import status_html

register = template.Library()


@register.inclusion_tag("reports/dashboard/_chartjs.html", takes_context=True)
def chartjs(context):
    """Chart.js from the pinned CDN file (with SRI) and the local copy as fallback, or
    the local copy only when settings.CHARTJS_LOCAL. The loader is an inline script, so
    it carries the request's CSP nonce."""
    return {
        "request": context.get("request"),
        "local": settings.CHARTJS_LOCAL,
        "cdn_url": settings.CHARTJS_CDN_URL,
        "sri": settings.CHARTJS_SRI,
        "local_url": static("vendor/chart.umd.min.js"),
    }


@register.filter
def status_badge(status):
    return status_html(status)


@register.filter
def row_value(row):
    return d.row_value_text(row) if row is not None else ""


@register.filter
def metric_value(value, metric):
    return d.value_text(metric, value)


@register.filter
def plain(value):
    """A number as people write it (0.50 → 0.5); "—" when missing."""
    return "—" if value is None else format_number(value)


@register.filter
def get_item(mapping, key):
    return mapping.get(key)
