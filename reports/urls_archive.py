"""URLs: urls_archive."""

urlpatterns: list = []
