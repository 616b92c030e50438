"""The landing page after login: a leader's one glance at the city, a reporter's or
approver's month, everyone's shortcuts and the plan."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from actions import access, clock
from actions.models import Membership, Plan
from indicators.selectors import plan_for_year
from reports.home import lead_home, leader_home, reporter_home
from reports.selectors.common import dashboard_month
from reports.supervision.selectors import overdue_orders

Role = Membership.Role
HOME_OVERDUE_ROLES = {Role.LEADER, Role.OFFICE, Role.ADMIN, Role.REPORTER, Role.APPROVER, Role.LEAD}


@login_required
def home(request):
    plan = Plan.objects.order_by("-year").first()
    role = access.role_of(request.user)
    context = {"plan": plan}
    if role in HOME_OVERDUE_ROLES:  # 督查督办: what is overdue, for those who can act or lead
        context["overdue_orders"] = overdue_orders(user=request.user, today=clock.today(), limit=10)
    if plan and role == Role.LEADER:
        period = dashboard_month()
        month_plan = _plan_of(period, plan)
        if month_plan:  # one glance; the plan's description is one click away
            context["glance"] = leader_home(plan=month_plan, period=period)
            return render(request, "home.html", context)
    unit = access.unit_of(request.user)
    if plan and unit and role in (Role.REPORTER, Role.APPROVER):
        context["mine"] = reporter_home(unit=unit, approver=role == Role.APPROVER)
    # A lead department (指标长) sees the city-wide status of what it leads (lead units are
    # departments: a county's or a park's home asks nothing more).
    if plan and unit and unit.kind == unit.Kind.DEPARTMENT:
        period = dashboard_month()
        month_plan = _plan_of(period, plan)
        if month_plan:
            context["led"] = lead_home(plan=month_plan, unit=unit, period=period)
    if plan:
        context |= {
            "areas": list(plan.areas.all()),
            "task_count": plan.tasks.count(),
            "metric_count": plan.metrics.count(),
        }
    return render(request, "home.html", context)


def _plan_of(period, latest: Plan) -> Plan | None:
    """The plan of the dashboard month's year: the latest plan, already read, when the
    month is in its year (as it is all year long)."""
    if period is None:
        return None
    return latest if period.year == latest.year else plan_for_year(period.year)
