"""Account pages (password change) and the user's in-app notifications."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from actions.ids import BadId, parse_id
from actions.models import Notification
from actions.services import notifications_mark_read


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change.html"
    success_url = reverse_lazy("actions:password-change-done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "registration/password_change_done.html"


@login_required
def notifications(request):
    qs = Notification.objects.filter(user=request.user)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "actions/notifications.html", {"page": page})


@require_POST
@login_required
def notifications_read(request):
    """Mark one notification (and follow its link) or all of them as read."""
    if "id" in request.POST:  # one notification; a bad id marks nothing (not all of them)
        try:
            pk = parse_id(request.POST["id"])
        except BadId as exc:
            raise BadRequest(f"{exc},未做任何处理。") from None
        notifications_mark_read(user=request.user, ids=[pk])
        n = Notification.objects.filter(user=request.user, pk=pk).first()
        if n and n.url and url_has_allowed_host_and_scheme(n.url, allowed_hosts={request.get_host()}):
            return redirect(n.url)
    else:
        count = notifications_mark_read(user=request.user)
        messages.success(request, f"已将 {count} 条通知标为已读。")
    return redirect("actions:notifications")
