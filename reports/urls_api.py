"""URLs of the read-only JSON API (/api/v1/…), documented in the README."""

from django.urls import path

from reports.views import api

app_name = "api"
urlpatterns = [
    path("status", api.status, name="status"),
    path("metrics/<slug:code>/series", api.metric_series, name="metric-series"),
    path("completeness", api.completeness, name="completeness"),
]
