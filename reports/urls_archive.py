"""URLs of the report archive (under /reports/archive/)."""

from django.urls import path

from actions import ids  # noqa: F401 (registers <id:…>)
from indicators import converters  # noqa: F401 (registers <period_key:…>)
from reports.views import archive as views

urlpatterns: list = [
    path("", views.archive_list, name="archive"),
    path("build/", views.archive_build, name="archive-build"),
    path("version/<id:pk>/review/", views.archive_review, name="archive-review"),
    path("version/<id:pk>/issue/", views.archive_issue, name="archive-issue"),
    path("notice/<id:pk>/review/", views.notice_review, name="archive-notice-review"),
    path("notice/<id:pk>/issue/", views.notice_issue, name="archive-notice-issue"),
    path("notice/<id:pk>/download/<str:fmt>/", views.notice_download, name="archive-notice-download"),
    path("version/<id:pk>/upload/", views.archive_upload, name="archive-upload"),
    path("version/<id:pk>/download/<str:fmt>/", views.archive_download, name="archive-download"),
    path("settings/", views.archive_settings, name="archive-settings"),
    path("notes/<period_key:key>/", views.archive_notes, name="archive-notes"),
    path("notes/<id:pk>/delete/", views.archive_note_delete, name="archive-note-delete"),
    path("<str:kind>/<period_key:key>/", views.archive_detail, name="archive-detail"),
    path("<str:kind>/<period_key:key>/rebuild/", views.archive_rebuild, name="archive-rebuild"),
    path("<str:kind>/<period_key:key>/job/", views.archive_job, name="archive-job"),
]
