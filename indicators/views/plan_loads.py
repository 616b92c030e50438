"""The office's page of plan loads (方案载入记录): which plan file was loaded when, by
whom, and what it changed (`load_plan`, fixtures/PLAN_FORMAT.md "Who owns what")."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django_tables2 import RequestConfig

from actions import access
from actions.models import PlanLoad
from indicators.tables import PlanLoadTable


@login_required
def plan_loads(request):
    if not access.is_office(request.user):
        raise PermissionDenied("只有市优化办可以查看方案载入记录。")
    table = PlanLoadTable(PlanLoad.objects.select_related("loaded_by"))
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(request, "indicators/plan_loads.html", {"table": table})
