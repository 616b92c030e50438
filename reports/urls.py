"""URLs of the reports app: dashboards (reports/urls_dashboard.py) and the report
archive (reports/urls_archive.py)."""

from django.urls import include, path

app_name = "reports"
urlpatterns: list = [
    path("", include("reports.urls_dashboard")),
    path("archive/", include("reports.urls_archive")),
    path("supervision/", include("reports.supervision.urls")),
]
