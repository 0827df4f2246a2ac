"""Content-Security-Policy and Permissions-Policy on every response.

Public pages get CONTENT_SECURITY_POLICY: scripts only from this site (or an inline script carrying the
request's nonce, `<script nonce="{{ request.csp_nonce }}">`), no inline style attributes, nothing
embedded but the video providers of EMBED_FRAME_SOURCES. The Wagtail admin runs inline scripts and
styles of its own (editors, choosers, previews), so addresses under ADMIN_CSP_PREFIXES get the looser
ADMIN_CONTENT_SECURITY_POLICY instead.
"""

from csp.middleware import CSPMiddleware
from django.conf import settings


class SecurityHeadersMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if (
            not report_only
            and parts.config is None
            and request.path_info.startswith(settings.ADMIN_CSP_PREFIXES)
        ):
            parts.config = settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]
        return parts

    def process_response(self, request, response):
        response = super().process_response(request, response)
        if settings.PERMISSIONS_POLICY and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = settings.PERMISSIONS_POLICY
        return response
