"""The Content-Security-Policy middleware: django-csp's, plus the Chart.js CDN's origin
read from settings.CHARTJS_CDN_URL at request time (the dashboards may load Chart.js
from a CDN instead of the local copy), so the policy follows that one setting."""

import re
from urllib.parse import urlsplit

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.views.debug import SafeExceptionReporterFilter

DEFAULT_CHARTJS_CDN = "https://cdn.jsdelivr.net"


def chartjs_origin() -> str:
    url = getattr(settings, "CHARTJS_CDN_URL", None) or DEFAULT_CHARTJS_CDN
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else DEFAULT_CHARTJS_CDN


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only:
            update = dict(parts.update or {})
            update["script-src"] = [*update.get("script-src", []), chartjs_origin()]
            parts.update = update
        return parts


# user:password@ inside any URL-like value (a broker, cache or database URL).
URL_PASSWORD = re.compile(r"(?P<head>[a-z][a-z0-9+.-]*://[^:/@\s]*:)[^@\s]+@", re.IGNORECASE)


class SecretsReporterFilter(SafeExceptionReporterFilter):
    """Django hides settings whose name says KEY, PASS, TOKEN…; CELERY_BROKER_URL and
    CACHE_URL say none of that but carry a password. Mask the password of every URL in
    error reports (debug pages, error mails), whatever the setting is called."""

    def cleanse_setting(self, key, value):
        value = super().cleanse_setting(key, value)
        if type(value) is str:  # not lazy objects that merely look like strings
            return URL_PASSWORD.sub(lambda m: m.group("head") + self.cleansed_substitute + "@", value)
        return value
