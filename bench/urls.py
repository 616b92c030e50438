"""URLs while benchmarking (BENCH=1): the product's URLs plus the floor view."""

from django.urls import include, path

from bench.views import floor

urlpatterns = [
    path("bench/floor/", floor, name="bench-floor"),
    path("", include("hengyang_ybe.urls")),
]
