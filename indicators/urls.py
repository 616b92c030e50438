"""URLs of the indicators app."""

from django.urls import path  # noqa: F401

app_name = "indicators"
urlpatterns: list = []
