"""The red/green dashboards: overview, status list (table + export), a figure, a metric,
a unit's scorecard, rankings and the completeness board. Each view checks access through
actions.access, reads through reports.selectors, and renders."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import SimpleLazyObject, cached_property
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView
from django_tables2 import RequestConfig, SingleTableMixin
from django_tables2.export import ExportMixin

from actions import access
from actions.models import Unit
from indicators.models import Metric
from indicators.months import month_finality
from indicators.pending import pending_of
from indicators.rules.periods import PeriodError, format_month, parse_month
from indicators.selectors import as_of_for, plan_for_year
from indicators.status.read import freshness
from reports.exports import PlainTableExport
from reports.filters import OverviewFilter
from reports.rankings import scoring_formula_text
from reports.selectors.common import dashboard_month, html_key, months_to, months_with_figures
from reports.selectors.metric import metric_series, series_months
from reports.selectors.overview import figure_detail
from reports.selectors.overview import overview as month_overview
from reports.selectors.rankings import rankings_by_month, rankings_deduction, rankings_months
from reports.selectors.unit import unit_scorecard
from reports.tables import RankingTable, StatusTable


def month_from(request, default=None) -> tuple[date | None, str | None]:
    """The month asked for (?period=YYYY-MM), else `default()` (the dashboards: the
    latest month with data); a bad month is reported in Chinese and the default shown."""
    default = default or dashboard_month
    raw = (request.GET.get("period") or "").strip()
    if raw:
        try:
            return parse_month(raw), None
        except PeriodError as exc:
            return default(), str(exc)
    return default(), None


def _month_context(period, error):
    return {
        "period": period,
        "finality": SimpleLazyObject(lambda: month_finality(period=period)) if period else None,
        "period_text": format_month(period) if period else "",
        "period_error": error,
        "months": [format_month(p) for p in months_with_figures()],
        "freshness": freshness(period),
    }


def _plan_or_none(period):
    return plan_for_year(period.year) if period else None


@login_required
@require_GET
def overview(request):
    period, error = month_from(request)
    plan = _plan_or_none(period)
    context = _month_context(period, error)
    if plan is None:
        return render(request, "reports/dashboard/overview.html", context)
    lead_unit = access.unit_of(request.user) if access.role_of(request.user) == access.Role.LEAD else None
    filterset = OverviewFilter(request.GET or None, plan=plan, lead_unit=lead_unit)
    filters = filterset.values()
    # Computed only when the page's cached HTML is stale (templates: {% cached %}).
    data = SimpleLazyObject(lambda: month_overview(plan=plan, period=period, user=request.user, **filters))
    can_see_metric = SimpleLazyObject(lambda: {r.metric.pk: access.can_view_metric(request.user, r.metric) for r in data.rows})
    units_page = request.GET.get("units", "")
    units_page = min(int(units_page), 1000) if units_page.isdigit() else 1  # one cached page per number, not per string
    columns = SimpleLazyObject(lambda: data.columns_page(units_page))
    parts = [plan.pk, period, as_of_for(period), access.visibility(request.user), units_page]
    shown = {k: getattr(v, "pk", v) for k, v in filters.items() if v}  # the cleaned filters
    key = html_key("overview", [*parts, *shown.items()], [period])
    context |= {
        "plan": plan,
        "filter": filterset,
        "ov": data,
        "columns": columns,
        # The cached matrix's links carry the month and the filters it was drawn for, never
        # the raw query of whoever drew it first (an ignored parameter, a stale filter).
        "matrix_query": {"period": format_month(period), **shown},
        "query": request.GET.urlencode(),
        "can_see_metric": can_see_metric,
        "html_key": key,
        "html_key_matrix": key and f"{key}:matrix",
    }
    return render(request, "reports/dashboard/overview.html", context)


class StatusListView(LoginRequiredMixin, ExportMixin, SingleTableMixin, TemplateView):
    """The overview as one sortable, paginated list, exported as shown (filters applied)."""

    template_name = "reports/dashboard/list.html"
    table_class = StatusTable
    export_class = PlainTableExport
    export_formats = ("xlsx", "csv")
    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        self.period, self.error = month_from(request)
        self.plan = _plan_or_none(self.period)
        self.filterset = OverviewFilter(request.GET or None, plan=self.plan) if self.plan else None
        return super().get(request, *args, **kwargs)

    def get_export_filename(self, export_format):
        return f"status-{format_month(self.period)}.{export_format}" if self.period else f"status.{export_format}"

    def get_dataset_kwargs(self):
        return {"title": f"{format_month(self.period)}达标状态" if self.period else "达标状态"}

    def get_table_data(self):
        return self.rows

    @cached_property
    def rows(self) -> list[dict]:
        """The month's rows, read once: an export asks for its table twice (the page's
        context, then the file)."""
        if self.plan is None:
            return []
        data = month_overview(plan=self.plan, period=self.period, user=self.request.user, **self.filterset.values())
        user = self.request.user
        return StatusTable.rows_from(data.visible_rows, self.period, lambda m: access.can_view_metric(user, m))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        params.pop("_export", None)
        for key in ("page", "sort"):
            params.pop(key, None)
        context |= _month_context(self.period, self.error) | {
            "plan": self.plan,
            "filter": self.filterset,
            "export_query": params.urlencode(),
        }
        return context


@login_required
@require_GET
def figure(request, metric_code, unit_code, period: date):
    month = period  # <month:…> in the URL: a real month, else 404
    metric = get_object_or_404(
        Metric.objects.select_related("plan", "indicator", "area"), plan__year=month.year, code=metric_code
    )
    unit = get_object_or_404(Unit, code=unit_code)
    if not access.can_view_metric_of_unit(request.user, metric, unit):
        raise PermissionDenied("您无权查看该单位的这项数据。")
    detail = figure_detail(metric=metric, unit=unit, period=month)
    return render(
        request,
        "reports/dashboard/figure.html",
        {
            "metric": metric,
            "unit": unit,
            "period": month,
            "period_text": period,
            "can_see_metric": access.can_view_metric(request.user, metric),
            "can_see_unit": access.can_view_unit(request.user, unit),
            **detail,
        },
    )


@login_required
@require_GET
def metric(request, year, code):
    m = get_object_or_404(
        Metric.objects.select_related("plan", "area", "indicator", "indicator__lead_unit", "task", "relative_metric"),
        plan__year=year,
        code=code,
    )
    if not access.can_view_metric(request.user, m):
        raise PermissionDenied("您无权查看该指标的全市及各单位数据。")
    # Computed only when the page's cached HTML is stale (templates: {% cached %}).
    months = series_months(m.plan.year)
    series = SimpleLazyObject(lambda: metric_series(metric=m, months=months))
    as_of = as_of_for(date(m.plan.year, 12, 1))
    context = {"metric": m, "series": series, "html_key": html_key("metric", [m.pk, as_of], months)}
    context["pending"] = pending_of(m)
    return render(request, "reports/dashboard/metric.html", context)


@login_required
@require_GET
def unit(request, code):
    u = get_object_or_404(Unit, code=code)
    if not access.can_view_unit(request.user, u):
        raise PermissionDenied("您只能查看本单位的计分卡。")
    period, error = month_from(request)
    plan = _plan_or_none(period)
    context = _month_context(period, error) | {"unit": u}
    if plan is not None:
        # Computed only when the page's cached HTML is stale (templates: {% cached %}).
        card = SimpleLazyObject(lambda: unit_scorecard(plan=plan, unit=u, period=period))
        # links follow the viewer's access
        parts = [plan.pk, u.pk, period, as_of_for(period), access.visibility(request.user)]
        context |= {"plan": plan, "card": card, "html_key": html_key("scorecard", parts, months_to(period))}
    return render(request, "reports/dashboard/unit.html", context)


@login_required
@require_GET
def my_unit(request):
    own = access.unit_of(request.user)
    if own is None:
        messages.info(request, "您的账号不属于任何单位,已为您打开全市总览。")
        return redirect("reports:dashboard-overview")
    return redirect("reports:dashboard-unit", code=own.code)


@login_required
@require_GET
def rankings(request):
    period, error = month_from(request)
    plan = _plan_or_none(period)
    context = _month_context(period, error)
    if plan is not None:

        def tables_of(data):
            tables = {}
            for group, label in data.labels.items():
                rows = RankingTable.rows_from(data.current.groups[group], data.current.inputs[group])
                for row in rows:
                    row["link"] = access.can_view_unit_code(request.user, row["code"])
                table = RankingTable(rows, prefix=f"{group}-")
                RequestConfig(request, paginate=False).configure(table)
                tables[group] = {"label": label, "table": table, "history": data.history(group)}
            return tables

        # Computed only when the page's cached HTML is stale (templates: {% cached %}); the
        # overdue 督办单 deduction is read first: what it takes off is part of the key.
        deduction = rankings_deduction(period)
        data = SimpleLazyObject(lambda: rankings_by_month(plan=plan, period=period, deduction=deduction))
        sorting = [(k, v) for k, v in sorted(request.GET.items()) if k.endswith("-sort") and len(v) < 40]
        context |= {
            "plan": plan,
            "rk": data,
            "tables": SimpleLazyObject(lambda: tables_of(data)),
            "html_key": html_key(
                "rankings",
                [plan.pk, period, as_of_for(period), access.visibility(request.user), deduction.stamp, *sorting],
                rankings_months(period),
            ),
            "overdue_scoring": deduction.text,  # 逾期督办: shown outside the cached tables
            "formula": scoring_formula_text(plan)[0],
            "formula_terms": scoring_formula_text(plan)[1],
        }
    return render(request, "reports/dashboard/rankings.html", context)
