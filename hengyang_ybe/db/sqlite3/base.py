"""The embedded default's database backend: Django's SQLite backend, where a busy
database is waited for instead of failing a save. SQLite lets one writer at a time, and
its busy handler is no queue: with many writers an unlucky one can wait past the
timeout (issue 19: 2 of 87 saves failed with "database is locked" after 20 s). Only
what is safe to repeat is repeated: a BEGIN (the transaction has done nothing yet) and a
single statement outside a transaction (SQLite refused it whole), until
settings.SQLITE_BUSY_RETRY_SECONDS have passed beyond the first timeout."""

from __future__ import annotations

import logging
import random
import time

from django.conf import settings
from django.db.backends.sqlite3 import base

log = logging.getLogger(__name__)


def _busy(exc: Exception) -> bool:
    text = str(exc)
    return "database is locked" in text or "database is busy" in text


class CursorWrapper(base.SQLiteCursorWrapper):
    def execute(self, query, params=None):
        if self.connection.in_transaction:  # inside BEGIN … COMMIT: the caller decides
            return super().execute(query, params)
        deadline = None
        while True:
            try:
                return super().execute(query, params)
            except base.Database.OperationalError as exc:
                if not _busy(exc):
                    raise
                now = time.monotonic()
                deadline = deadline or now + getattr(settings, "SQLITE_BUSY_RETRY_SECONDS", 60)
                if now >= deadline:
                    raise
                log.warning("SQLite busy, trying again: %s", query[:60])
                time.sleep(random.uniform(0.005, 0.05))


class DatabaseWrapper(base.DatabaseWrapper):
    def create_cursor(self, name=None):
        return self.connection.cursor(factory=CursorWrapper)
