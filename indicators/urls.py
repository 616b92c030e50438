"""URLs of the indicators app: monthly entry, Excel round trip, workflow, office pages."""

from django.urls import path

from actions import ids  # noqa: F401 (registers <id:…>)
from indicators import converters  # noqa: F401 (registers <month:…>)
from indicators.ledger import views as ledger_views
from indicators.views import assumptions, baselines, entry, excel, history, month, plan_loads

app_name = "indicators"
urlpatterns = [
    path("entry/", entry.entry_home, name="entry-home"),
    path("entry/<slug:unit_code>/<month:period>/", entry.entry, name="entry"),
    path("entry/<slug:unit_code>/<month:period>/status/", entry.entry_status, name="entry-status"),
    path("entry/<slug:unit_code>/<month:period>/step/<slug:step>/", entry.entry_step, name="entry-step"),
    path("entry/<slug:unit_code>/<month:period>/excel/", excel.excel_download, name="excel-download"),
    path("entry/<slug:unit_code>/<month:period>/excel/upload/", excel.excel_upload, name="excel-upload"),
    path("entry/<slug:unit_code>/<month:period>/excel/confirm/", excel.excel_confirm, name="excel-confirm"),
    path("months/<month:period>/", month.month, name="month"),
    path("months/<month:period>/dates/", month.month_dates, name="month-dates"),
    path("months/<month:period>/bulk/", month.month_bulk, name="month-bulk"),
    path("corrections/", month.corrections, name="corrections"),
    path("corrections/<id:pk>/", month.correction_decide_view, name="correction-decide"),
    path("figures/<id:pk>/history/", history.figure_history, name="figure-history"),
    path("baselines/", baselines.baselines, name="baselines"),
    path("baselines/new/", baselines.baseline_edit, name="baseline-new"),
    path("baselines/<id:pk>/", baselines.baseline_edit, name="baseline-edit"),
    path("plan-loads/", plan_loads.plan_loads, name="plan-loads"),
    path("assumptions/", assumptions.assumptions, name="assumptions"),
    # 任务台账 (indicators/ledger)
    path("ledger/", ledger_views.ledger_home, name="ledger-home"),
    path("ledger/units/<slug:unit_code>/<month:period>/", ledger_views.ledger_unit, name="ledger-unit"),
    path("ledger/units/<slug:unit_code>/<month:period>/<id:pk>/", ledger_views.ledger_report, name="ledger-report"),
    path("ledger/tasks/<int:year>/<slug:code>/", ledger_views.ledger_task, name="ledger-task"),
    path("ledger/evidence/<id:pk>/", ledger_views.ledger_evidence, name="ledger-evidence"),
]
