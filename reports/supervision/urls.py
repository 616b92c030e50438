"""URLs of 督查督办, under /reports/supervision/."""

from django.urls import path

from actions import ids  # noqa: F401 (registers <id:…>)
from reports.supervision import deliverable_views, views

urlpatterns = [
    path("", views.OrderListView.as_view(), name="supervision-list"),
    path("raise/", views.raise_from_red, name="supervision-raise"),
    path(
        "raise/deliverable/<id:pk>/<slug:unit_code>/",
        deliverable_views.raise_on_deliverable,
        name="supervision-raise-deliverable",
    ),
    path("<id:pk>/", views.order_detail, name="supervision-detail"),
    path("<id:pk>/answer/", views.order_answer, name="supervision-answer"),
    path("<id:pk>/<slug:step>/", views.order_step, name="supervision-step"),
    path("evidence/<id:pk>/", views.evidence_download, name="supervision-evidence"),
    path("findings/", views.findings, name="supervision-findings"),
    path("findings/<id:pk>/close/", views.finding_close, name="supervision-finding-close"),
    path("findings/<id:pk>/order/", views.finding_order, name="supervision-finding-order"),
    path("proposals/", views.proposals, name="supervision-proposals"),
    path("proposals/<id:pk>/", views.proposal_decide, name="supervision-proposal-decide"),
    path("remind/", views.remind, name="supervision-remind"),
    path("settings/", views.settings_edit, name="supervision-settings"),
]
