"""The landing page after login."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from actions.models import Plan


@login_required
def home(request):
    plan = Plan.objects.order_by("-year").first()
    context = {"plan": plan}
    if plan:
        context |= {
            "areas": list(plan.areas.all()),
            "task_count": plan.tasks.count(),
            "metric_count": plan.metrics.count(),
        }
    return render(request, "home.html", context)
