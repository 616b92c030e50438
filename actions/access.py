"""Who may see and change what: one place for every view to ask.

A user has one unit and one role (actions.Membership). Reporters and approvers work on
their own unit; a lead unit sees every unit's figures for the indicators it leads; the
office sees and manages everything; leaders read everything and change nothing."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q

from actions.models import Membership, Unit

Role = Membership.Role
OFFICE_ROLES = {Role.OFFICE, Role.ADMIN}
READ_ALL_ROLES = {Role.OFFICE, Role.ADMIN, Role.LEADER}
# Who can enter or approve a unit's month (can_edit_unit, can_approve_unit): the only
# accounts a 催报 asks to act, and the ones a unit needs to report at all.
UNIT_ACTING_ROLES = {Role.REPORTER, Role.APPROVER}


def membership_of(user) -> Membership | None:
    if not user.is_authenticated:
        return None
    try:
        return user.membership
    except Membership.DoesNotExist:
        return None


def role_of(user) -> str | None:
    if user.is_authenticated and user.is_superuser:
        m = membership_of(user)
        return m.role if m else Role.ADMIN
    m = membership_of(user)
    return m.role if m else None


def is_office(user) -> bool:
    return role_of(user) in OFFICE_ROLES


def reads_everything(user) -> bool:
    return role_of(user) in READ_ALL_ROLES


def unit_of(user) -> Unit | None:
    m = membership_of(user)
    return m.unit if m else None


def visibility(user) -> str:
    """What decides which figures `user` may see, as a key for cached pages: everything,
    or their role and unit (see can_view_metric_of_unit)."""
    if reads_everything(user):
        return "all"
    own = unit_of(user)
    return f"{role_of(user)}:{own.pk if own else '-'}"


def can_view_unit(user, unit: Unit) -> bool:
    """Whether the user may see this unit's figures at all (lead units: see
    `can_view_metric_of_unit` for the indicators they lead)."""
    return can_view_unit_code(user, unit.code)


def can_view_unit_code(user, code: str) -> bool:
    """can_view_unit for a unit known by its code (rankings carry codes, not rows)."""
    return reads_everything(user) or _is_own(unit_of(user), code)


def _is_own(own: Unit | None, code: str) -> bool:
    """A unit sees its own figures: the one definition, for one check or many."""
    return own is not None and own.code == code


def can_edit_unit(user, unit: Unit) -> bool:
    """Only a unit's own reporters enter its figures; the office corrects through the
    recorded correction workflow, never by typing silently."""
    own = unit_of(user)
    return role_of(user) == Role.REPORTER and own is not None and own.pk == unit.pk


def can_approve_unit(user, unit: Unit) -> bool:
    own = unit_of(user)
    return role_of(user) == Role.APPROVER and own is not None and own.pk == unit.pk


def can_view_metric_of_unit(user, metric, unit: Unit) -> bool:
    return metric_of_unit_viewer(user)(metric, unit)


def metric_of_unit_viewer(user) -> Callable[[object, Unit], bool]:
    """can_view_metric_of_unit(user, …) for many rows (a province month has 8,000): the
    user's role and unit looked up once. A unit's own figures, and a lead unit's the
    indicators it leads; everything for those who read everything."""
    if reads_everything(user):
        return lambda metric, unit: True
    own = unit_of(user)
    if own is None:
        return lambda metric, unit: False
    leads = role_of(user) == Role.LEAD
    return lambda metric, unit: _is_own(own, unit.code) or (leads and metric.indicator.lead_unit_id == own.pk)


def role_required(*roles):
    """View decorator: signed in, and holding one of `roles` (403 otherwise)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if role_of(request.user) not in roles:
                raise PermissionDenied("您的角色无权访问此页面。")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


# -- dashboards (reports app) ---------------------------------------------------------
def can_view_metric(user, metric) -> bool:
    """Whether the user may see a metric as a whole (every unit's figures and its city
    trend): those who read everything, and the unit that leads its indicator."""
    if reads_everything(user):
        return True
    own = unit_of(user)
    return role_of(user) == Role.LEAD and own is not None and metric.indicator.lead_unit_id == own.pk


def can_view_completeness(user) -> bool:
    """Who reported and who did not, across all units: the office and leaders."""
    return reads_everything(user)


def can_send_reminders(user) -> bool:
    """催报 is the office's job; leaders read only."""
    return is_office(user)


def can_issue_reports(user) -> bool:
    """印发 (and a 更正 issued at once) is the office's act; its 印发人 is that person."""
    return user is not None and user.is_authenticated and is_office(user)


def can_manage_baselines(user) -> bool:
    """Last year's values are the office's data: only the office loads and edits them."""
    return is_office(user)


def can_confirm_assumptions(user) -> bool:
    """Confirming an assumption of the plan (待核定) is the office's act, recorded in its name."""
    return user is not None and user.is_authenticated and is_office(user)


# -- 督查督办 (reports.supervision) ------------------------------------------------------
# An order has a unit and, when it is about a target, a metric whose indicator has a lead
# unit (指标长); about a task-ledger deliverable, the lead unit of its task's indicator.
# A unit sees and answers only its own orders; a lead department sees the orders on its
# indicators (and their tasks' deliverables) and reviews their answers; the office
# raises, returns and closes; leaders read.
def orders_filter(user) -> Q | None:
    """Which orders `user` may see, as a filter on SupervisionOrder (None: none at all)."""
    if reads_everything(user):
        return Q()
    own = unit_of(user)
    role = role_of(user)
    if own is None or role not in (Role.REPORTER, Role.APPROVER, Role.LEAD):
        return None
    q = Q(unit_id=own.pk)
    if role == Role.LEAD:  # the indicator's, or the deliverable's task's indicator's, lead unit
        q |= Q(metric__indicator__lead_unit_id=own.pk) | Q(deliverable__task__lead_indicator__lead_unit_id=own.pk)
    return q


def _leads_order(user, order) -> bool:
    own = unit_of(user)
    return role_of(user) == Role.LEAD and own is not None and order.lead_unit_pk == own.pk


def _own_order(user, order) -> bool:
    own = unit_of(user)
    return own is not None and own.pk == order.unit_id and role_of(user) in (Role.REPORTER, Role.APPROVER, Role.LEAD)


def can_view_order(user, order) -> bool:
    return reads_everything(user) or _own_order(user, order) or _leads_order(user, order)


def can_answer_order(user, order) -> bool:
    """The unit's reporters answer its orders (a lead unit's own orders too)."""
    own = unit_of(user)
    return own is not None and own.pk == order.unit_id and role_of(user) in (Role.REPORTER, Role.LEAD)


def can_approve_order_answer(user, order) -> bool:
    return can_approve_unit(user, order.unit)


def can_review_order(user, order) -> bool:
    """The lead department (指标长) of the order's indicator reviews the answer."""
    return _leads_order(user, order)


def can_manage_orders(user) -> bool:
    """Raising orders, returning or closing them, findings and proposals: the office."""
    return is_office(user)


def can_view_findings(user) -> bool:
    """Complaints and 暗访 findings name people and places: the office and leaders."""
    return reads_everything(user)


# -- the task ledger (任务台账): deliverables of the plan's tasks ---------------------


def can_report_deliverables(user, unit: Unit) -> bool:
    """Only a unit's own reporters report its deliverables' monthly state."""
    return can_edit_unit(user, unit)


def can_view_task_ledger(user, task) -> bool:
    """A task's deliverables across every responsible unit: the office and leaders, and
    the lead unit of the task's indicator (指标长), which coordinates them."""
    if reads_everything(user):
        return True
    own = unit_of(user)
    return role_of(user) == Role.LEAD and own is not None and task.lead_indicator.lead_unit_id == own.pk


def can_view_deliverable_report(user, report) -> bool:
    """A report and its evidence: its own unit, those who read everything, the task's lead."""
    return can_view_unit(user, report.unit) or can_view_task_ledger(user, report.deliverable.task)
