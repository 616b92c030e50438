"""URL map: each app owns its URLs under its own prefix."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from hengyang_ybe import views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("actions/", include("actions.urls")),
    path("indicators/", include("indicators.urls")),
    path("reports/", include("reports.urls")),
    path("api/v1/", include("reports.urls_api")),
    path("admin/", admin.site.urls),
]
