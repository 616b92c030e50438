"""URLs of the dashboards (names reports:dashboard-…)."""

from django.urls import path

from indicators import converters  # noqa: F401 (registers <month:…>)
from reports.views import completeness as c
from reports.views import dashboard as v

urlpatterns: list = [
    path("dashboard/", v.overview, name="dashboard-overview"),
    path("dashboard/list/", v.StatusListView.as_view(), name="dashboard-list"),
    path("dashboard/figure/<slug:metric_code>/<slug:unit_code>/<month:period>/", v.figure, name="dashboard-figure"),
    path("dashboard/metrics/<int:year>/<slug:code>/", v.metric, name="dashboard-metric"),
    path("dashboard/units/mine/", v.my_unit, name="dashboard-my-unit"),
    path("dashboard/units/<slug:code>/", v.unit, name="dashboard-unit"),
    path("dashboard/rankings/", v.rankings, name="dashboard-rankings"),
    path("dashboard/completeness/", c.CompletenessView.as_view(), name="dashboard-completeness"),
    path("dashboard/completeness/remind/", c.remind, name="dashboard-remind"),
]
