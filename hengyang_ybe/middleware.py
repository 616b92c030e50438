"""Site-wide request rules about the signed-in session: nothing a signed-in user sees is
kept by browsers or proxies, and a session ends after SESSION_IDLE_TIMEOUT seconds
without a request."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.utils.cache import add_never_cache_headers

LAST_SEEN = "_last_seen"
# Refresh the session (one write) at most this often, not on every request: on SQLite
# every write takes the database lock.
TOUCH_EVERY = 60


class PrivateNoStoreMiddleware:
    """Cache-Control: no-store, private on every page, download and API answer given to a
    signed-in user, and on any response that sets a session cookie (the sign-in itself).
    Static files are answered by WhiteNoise before this runs and keep their caching."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if settings.SESSION_COOKIE_NAME in response.cookies or (user is not None and user.is_authenticated):
            add_never_cache_headers(response)  # no-cache, no-store, must-revalidate, private, max-age=0
        return response


class IdleTimeoutMiddleware:
    """Sign out a session idle for longer than SESSION_IDLE_TIMEOUT. The session's own
    expiry (SESSION_COOKIE_AGE, the same number) is pushed forward when it is touched."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get(LAST_SEEN)
            if last is not None and now - last > settings.SESSION_IDLE_TIMEOUT:
                logout(request)
                messages.info(request, "您已较长时间未操作,为保护数据安全已自动退出,请重新登录。")
            elif last is None or now - last >= TOUCH_EVERY:
                session_touch(request)
        return self.get_response(request)


def session_touch(request) -> None:
    """Restart the idle clock (and, by saving, the session's own expiry)."""
    request.session[LAST_SEEN] = int(time.time())
