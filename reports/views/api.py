"""A small read-only JSON API behind login, for the charts and other tools: the same
data as the dashboard pages, cut to what the user may see. Errors are JSON with a
Chinese message: 400 for a bad month or year, 401 not signed in, 403, 404."""

from __future__ import annotations

from datetime import date
from functools import wraps

from django.http import HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from actions import access, clock
from indicators.models import Metric
from indicators.rules.periods import PeriodError, format_month, parse_month
from indicators.selectors import as_of_for, plan_for_year
from indicators.status.cache import rows_cached
from reports.selectors.common import board_cached, status_rows_json
from reports.selectors.completeness import completeness_board, completeness_cached, completeness_json, completeness_key
from reports.selectors.metric import metric_series_compute, series_json, series_months
from reports.selectors.overview import overview

JSON = "application/json"


def _error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": message}, status=status, json_dumps_params={"ensure_ascii": False})


def _ok(data: dict) -> JsonResponse:
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


def api_login_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return _error("请先登录。", 401)
        return view(request, *args, **kwargs)

    return wrapped


def _month(request):
    raw = request.GET.get("period")
    if not raw:
        raise PeriodError("请用 period=YYYY-MM 指定月份,例如 period=2022-06")
    return parse_month(raw)


@require_GET
@api_login_required
def status(request):
    try:
        period = _month(request)
    except PeriodError as exc:
        return _error(str(exc), 400)
    plan = plan_for_year(period.year)
    if plan is None:
        return _error(f"没有{period.year}年的方案。", 404)

    def body() -> bytes:
        ov = overview(plan=plan, period=period, user=request.user)
        data = {
            "period": format_month(period),
            "totals": {s.value: n for s, n in ov.totals.items()},
            "areas": [
                {"code": a.area.code, "name": a.area.name, **{s.value: n for s, n in a.counts.items()}} for a in ov.area_counts
            ],
            "rows": status_rows_json(ov.visible_rows),
        }
        return _ok(data).content

    # The month's JSON, kept as bytes per what the user may see, while its stored rows are unchanged.
    return HttpResponse(board_cached("api-status", plan, period, [access.visibility(request.user)], body), content_type=JSON)


@require_GET
@api_login_required
def metric_series(request, code):
    raw = request.GET.get("year", "")
    try:
        year = int(raw)
    except ValueError:
        return _error(f"年度“{raw}”格式不正确,应为四位数字,例如 year=2022", 400)
    metric = Metric.objects.select_related("plan", "indicator", "relative_metric").filter(plan__year=year, code=code).first()
    if metric is None:
        return _error(f"{year}年方案中没有编码为“{code}”的指标。", 404)
    if not access.can_view_metric(request.user, metric):
        return _error("您无权查看该指标的全市及各单位数据。", 403)
    # The year's JSON as bytes (reading the series back from the cache costs more than
    # its JSON), kept while the rows of the year's months with figures are unchanged.
    as_of = as_of_for(date(year, 12, 1))
    months = series_months(year)

    def body() -> bytes:
        return _ok(series_json(metric_series_compute(metric, year, as_of, months))).content

    body = rows_cached("api-series", [metric.pk, year, as_of], months, body)
    return HttpResponse(body, content_type=JSON)


@require_GET
@api_login_required
def completeness(request):
    if not access.can_view_completeness(request.user):
        return _error("报送情况仅市优化办和领导可以查看。", 403)
    try:
        period = _month(request)
    except PeriodError as exc:
        return _error(str(exc), 400)
    today = clock.today()

    def body() -> bytes:
        return _ok(completeness_json(completeness_board(period=period, today=today))).content

    # The month's JSON as bytes, kept while its reporting rows, its dates and the day are unchanged.
    return HttpResponse(completeness_cached("api", completeness_key(period=period, today=today), body), content_type=JSON)
