"""URLs of the indicators app: monthly entry, Excel round trip, workflow, office pages."""

from django.urls import path

from actions import ids  # noqa: F401 (registers <id:…>)
from indicators import assumption_views, baseline_views, converters, plan_views, views  # noqa: F401 (converters: <month:…>)

app_name = "indicators"
urlpatterns = [
    path("entry/", views.entry_home, name="entry-home"),
    path("entry/<slug:unit_code>/<month:period>/", views.entry, name="entry"),
    path("entry/<slug:unit_code>/<month:period>/status/", views.entry_status, name="entry-status"),
    path("entry/<slug:unit_code>/<month:period>/step/<slug:step>/", views.entry_step, name="entry-step"),
    path("entry/<slug:unit_code>/<month:period>/excel/", views.excel_download, name="excel-download"),
    path("entry/<slug:unit_code>/<month:period>/excel/upload/", views.excel_upload, name="excel-upload"),
    path("entry/<slug:unit_code>/<month:period>/excel/confirm/", views.excel_confirm, name="excel-confirm"),
    path("months/<month:period>/", views.month, name="month"),
    path("months/<month:period>/dates/", views.month_dates, name="month-dates"),
    path("months/<month:period>/bulk/", views.month_bulk, name="month-bulk"),
    path("corrections/", views.corrections, name="corrections"),
    path("corrections/<id:pk>/", views.correction_decide_view, name="correction-decide"),
    path("figures/<id:pk>/history/", views.figure_history, name="figure-history"),
    path("baselines/", baseline_views.baselines, name="baselines"),
    path("baselines/new/", baseline_views.baseline_edit, name="baseline-new"),
    path("baselines/<id:pk>/", baseline_views.baseline_edit, name="baseline-edit"),
    path("plan-loads/", plan_views.plan_loads, name="plan-loads"),
    path("assumptions/", assumption_views.assumptions, name="assumptions"),
]
