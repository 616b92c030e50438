"""URLs of the actions app: account pages and notifications."""

from django.urls import path

from actions import views

app_name = "actions"
urlpatterns = [
    path("password/", views.PasswordChangeView.as_view(), name="password-change"),
    path("password/done/", views.PasswordChangeDoneView.as_view(), name="password-change-done"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications-read"),
]
