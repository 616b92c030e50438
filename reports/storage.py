"""Where the report archive keeps its files: one folder per report under MEDIA_ROOT, for
its versions, their issued files, the office's final Word files and its 更正通知. Shared by
the services that write them and the sweep (reports.jobs) that removes what a dead build left."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings


def report_dir(kind: str, key: str) -> Path:
    return Path(settings.MEDIA_ROOT) / "reports" / kind / key
