"""A figure's history of changes (audit)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render

from actions import access
from indicators.models import Figure
from indicators.rules.inputs import entry_text
from indicators.rules.periods import format_month


@login_required
def figure_history(request, pk: int):
    """Every change to one figure: who, when, old and new value, and why."""
    figure = get_object_or_404(Figure.objects.select_related("unit", "metric__indicator"), pk=pk)
    if not access.can_view_metric_of_unit(request.user, figure.metric, figure.unit):
        raise PermissionDenied("您无权查看该单位的数据。")
    records = list(figure.history.select_related("history_user").order_by("history_date", "history_id"))
    entries, previous = [], None
    for h in records:
        entries.append(
            {
                "h": h,
                "who": (h.history_user.first_name or h.history_user.username) if h.history_user else "系统",
                "old": (entry_text(previous) or "(空)") if previous else "—",
                "new": entry_text(h) or "(空)",
                "explanation_changed": previous is not None
                and (previous.explanation, previous.measures) != (h.explanation, h.measures),
            }
        )
        previous = h
    entries.reverse()
    return render(
        request,
        "indicators/figure_history.html",
        {"figure": figure, "entries": entries, "period_text": format_month(figure.period)},
    )
