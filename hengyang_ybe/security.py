"""The Content-Security-Policy middleware: django-csp's, plus the Chart.js CDN's origin
read from settings.CHARTJS_CDN_URL at request time (the dashboards may load Chart.js
from a CDN instead of the local copy), so the policy follows that one setting."""

from urllib.parse import urlsplit

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings

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
