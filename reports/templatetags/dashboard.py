"""Template helpers of the dashboards: the Chart.js loader and status badges."""

from functools import lru_cache
from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from actions import access
from indicators.rules.status import STATUS_RULE
from indicators.rules.types import format_number
from indicators.status import cache as result_cache
from reports.selectors.common import row_value_text, value_formatter, value_text
from reports.tables import status_html, unit_url_pattern

register = template.Library()

# How long the CDN may take before the local copy of Chart.js is loaded instead.
CDN_WAIT_MS = 3000


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
        "wait_ms": CDN_WAIT_MS,
    }


@register.simple_tag
def status_rule() -> str:
    """How statuses are judged, in the office's words (one text: rules.status.STATUS_RULE)."""
    return STATUS_RULE


@register.filter
def status_badge(status):
    return status_html(status)


@register.filter
def row_value(row):
    return row_value_text(row) if row is not None else ""


@register.simple_tag
def matrix_cells(row, period_text, columns=None):
    """The units' cells of one metric's row of the overview's matrix, each linked to its
    figure (None: an empty cell); only those of the page `columns` of the units when
    given (Overview.columns_page). Written in Python, a row at a time: a province month
    has some 26,000 cells, which the template language took about a second to render."""
    base = _figure_url(period_text).replace("__metric__", row.metric.code, 1)
    text = value_formatter(row.metric)
    cells = row.cells if columns is None else row.cells[columns.start_index() - 1 : columns.end_index()]
    out = []
    for c in cells:
        if c is None:
            out.append('<td class="cell"></td>')
            continue
        status = c.status
        out.append(
            f'<td class="cell cell-{status.value}" title="{_escaped(c.unit.name)} · {status.label}">'
            f'<a href="{base.replace("__unit__", c.unit.code, 1)}"><span class="ico">{status.icon}</span> {status.label}'
            f'<span class="v">{escape(text(c.value, c.reading.state))}</span></a></td>'
        )
    return mark_safe("".join(out))  # noqa: S308 (every text escaped above; codes are slugs)


@register.simple_tag
def query_with(params: dict, **more) -> str:
    """`params` and `more` as a URL's query string (escaped by the template)."""
    return urlencode({**params, **more})


@register.simple_tag
def matrix_heads(columns, user, period_text):
    """The units' column heads of the overview's matrix, each linked to the unit's page
    when `user` may open it. Written in Python like matrix_cells: a province has 600."""
    base = unit_url_pattern() + "?" + urlencode({"period": period_text})
    out = []
    for u in columns:
        name = escape(u.name)
        if access.can_view_unit(user, u):
            head = f'<a href="{escape(base.replace("__unit__", u.code, 1))}" class="unit-head">{name}</a>'
        else:
            head = f'<span class="unit-head">{name}</span>'
        out.append(f'<th scope="col" title="{escape(u.get_kind_display())}">{head}</th>')
    return mark_safe("".join(out))  # noqa: S308 (names escaped; codes are slugs)


@register.simple_tag
def metric_unit_rows(series):
    """The rows of a metric page's units table (名次, unit linked to its figure, value,
    status, the explanation's first 60 characters). Written in Python like
    matrix_cells: a province metric has 600 units."""
    base = _figure_url(f"{series.period:%Y-%m}").replace("__metric__", series.metric.code, 1)
    text = value_formatter(series.metric)
    out = []
    for place, uv in enumerate(series.units, start=1):
        row = uv.row
        explanation = Truncator((row.figure.explanation if row.figure else "") or "").chars(60)
        out.append(
            f'<tr><td class="num">{place if row.value is not None else "—"}</td>'
            f'<td><a href="{base.replace("__unit__", uv.unit.code, 1)}">{escape(uv.unit.name)}</a></td>'
            f'<td class="num">{escape(text(row.value, row.reading.state))}</td><td>{status_html(row.status)}</td>'
            f'<td class="small">{escape(explanation)}</td></tr>'
        )
    return mark_safe("".join(out))  # noqa: S308 (every text escaped above; codes are slugs)


@register.simple_tag
def rank_history_rows(history):
    """The rows of a group's month-by-month ranks (reports.selectors.rankings.Rankings
    .history): a unit's rank each month, ▲/▼ where it moved. Written in Python: a
    province group has 600 units × 12 months, which the template language took about
    a second to render."""
    out = []
    for h in history:
        cells = []
        for r in h["months"]:
            if r is None:
                cells.append('<td class="num">—</td>')
                continue
            move = ""
            if r.movement and r.movement > 0:
                move = f'<span class="move-up" title="上升{r.movement}位">▲</span>'
            elif r.movement:
                move = '<span class="move-down" title="下降">▼</span>'
            cells.append(f'<td class="num">{r.rank}{move}</td>')
        out.append(f"<tr><td>{escape(h['ranked'].name)}</td>{''.join(cells)}</tr>")
    return mark_safe("".join(out))  # noqa: S308 (names escaped; ranks and movements are integers)


@lru_cache(maxsize=4096)
def _escaped(text: str) -> str:
    """A unit's name escaped once per process, not once per cell (a province matrix has 8,000)."""
    return escape(text)


@lru_cache(maxsize=64)
def _figure_url(period_text: str) -> str:
    """The figure page's URL of a month with placeholders (codes are slugs: no escaping)."""
    return reverse("reports:dashboard-figure", args=["__metric__", "__unit__", period_text])


@register.filter
def metric_value(value, metric):
    return value_text(metric, value)


@register.filter
def plain(value):
    """A number as people write it (0.50 → 0.5); "—" when missing."""
    return "—" if value is None else format_number(value)


@register.filter
def may_view_unit(user, unit) -> bool:
    """{% if user|may_view_unit:unit %}: link a unit's page only for those who may open it."""
    return access.can_view_unit(user, unit)


@register.filter
def may_view_metric(user, metric) -> bool:
    """{% if user|may_view_metric:metric %}: link a metric's page only for those who may open it."""
    return access.can_view_metric(user, metric)


@register.filter
def get_item(mapping, key):
    return mapping.get(key)


@register.tag("cached")
def do_cached(parser, token):
    """{% cached key %}…{% endcached %}: the block's HTML from the cache under `key`
    (reports.selectors.common.html_key, which changes with every refresh of the rows it shows), rendered and kept on a
    miss, rendered every time when `key` is empty. The view passes the data as lazy
    objects, so a hit computes nothing."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("{% cached %} takes one argument: the key")
    nodelist = parser.parse(("endcached",))
    parser.delete_first_token()
    return CachedNode(nodelist, parser.compile_filter(bits[1]))


class CachedNode(template.Node):
    def __init__(self, nodelist, key):
        self.nodelist, self.key = nodelist, key

    def render(self, context):
        key = self.key.resolve(context)
        if not key:
            return self.nodelist.render(context)
        html = result_cache.cache_get(key)
        if html is None:
            html = self.nodelist.render(context)
            result_cache.cache_put(key, html)
        return html
