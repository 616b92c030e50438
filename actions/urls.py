"""URLs of the actions app."""

from django.urls import path  # noqa: F401

app_name = "actions"
urlpatterns: list = []
