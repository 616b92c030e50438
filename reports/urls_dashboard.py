"""URLs: urls_dashboard."""

urlpatterns: list = []
