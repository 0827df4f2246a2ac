"""Deployment checks of our own (`manage.py check --deploy`), for what Django's do not cover."""

from csp.constants import NONCE
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.utils.module_loading import import_string

# Script sources that let an injected <script> or event handler run.
UNSAFE_SCRIPT_SOURCES = {
    "'unsafe-inline'",
    "'unsafe-eval'",
    "'unsafe-hashes'",
    "*",
    "http:",
    "https:",
    "data:",
}
NOT_FOR_PRODUCTION_EMAIL = (
    "django.core.mail.backends.filebased.EmailBackend",
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
)
KNOWN_WEAK_KEYS = ("dev-only", "test-secret", "django-insecure", "change-me", "changeme")


@register(Tags.security, deploy=True)
def check_webhook_secret(app_configs=None, **kwargs):
    """A provider's webhooks unsubscribe people on bounces and complaints: anyone could forge them
    without a secret."""
    if not settings.EMAIL_BACKEND.startswith("anymail."):
        return []
    user, _, password = settings.ANYMAIL.get("WEBHOOK_SECRET", "").partition(":")
    if user and len(password) >= 16:
        return []
    return [
        Error(
            "ANYMAIL_WEBHOOK_SECRET manque ou est trop faible alors qu'EMAIL_BACKEND est celui d'un fournisseur.",
            hint="ANYMAIL_WEBHOOK_SECRET=utilisateur:mot-de-passe (16 caractères ou plus), ici et dans "
            "l'adresse du webhook chez le fournisseur.",
            id="maillon.E001",
        )
    ]


def _csp_middleware_installed():
    for path in settings.MIDDLEWARE:
        try:
            cls = import_string(path)
        except ImportError:
            continue
        if isinstance(cls, type) and issubclass(cls, CSPMiddleware):
            return True
    return False


@register(Tags.security, deploy=True)
def check_content_security_policy(app_configs=None, **kwargs):
    directives = (getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}).get("DIRECTIVES") or {}
    if not _csp_middleware_installed() or not directives:
        return [
            Warning(
                "Aucune Content-Security-Policy n'est envoyée.",
                hint="Gardez website.security_headers.SecurityHeadersMiddleware dans MIDDLEWARE et "
                "CONTENT_SECURITY_POLICY dans les réglages.",
                id="maillon.W002",
            )
        ]
    scripts = directives.get("script-src") or directives.get("default-src") or []
    unsafe = sorted(str(s) for s in scripts if s is not NONCE and str(s) in UNSAFE_SCRIPT_SOURCES)
    if not scripts or unsafe:
        return [
            Warning(
                f"La Content-Security-Policy laisse s'exécuter des scripts en ligne ou d'ailleurs sur les "
                f"pages publiques ({', '.join(unsafe) or 'aucun script-src'}).",
                hint="script-src : 'self' et le nonce de la requête seulement; l'administration a sa "
                "propre politique (ADMIN_CONTENT_SECURITY_POLICY).",
                id="maillon.W003",
            )
        ]
    if not getattr(settings, "PERMISSIONS_POLICY", ""):
        return [Warning("Aucun en-tête Permissions-Policy n'est envoyé.", id="maillon.W007")]
    return []


@register(Tags.security, deploy=True)
def check_secret_key(app_configs=None, **kwargs):
    key = str(settings.SECRET_KEY)
    if len(key) >= 50 and len(set(key)) >= 20 and not any(weak in key.lower() for weak in KNOWN_WEAK_KEYS):
        return []
    return [
        Warning(
            "SECRET_KEY est une clé de développement ou trop faible (50 caractères ou plus, dont 20 différents).",
            hint='python -c "import secrets; print(secrets.token_urlsafe(60))"',
            id="maillon.W004",
        )
    ]


@register(Tags.security, deploy=True)
def check_site_url(app_configs=None, **kwargs):
    if settings.DEBUG or settings.SITE_URL.startswith("https://"):
        return []
    return [
        Warning(
            f"SITE_URL ({settings.SITE_URL}) n'est pas en https : les liens des courriels circuleraient en clair.",
            hint="SITE_URL=https://votre.domaine",
            id="maillon.W005",
        )
    ]


@register(Tags.security, deploy=True)
def check_email_backend(app_configs=None, **kwargs):
    if settings.EMAIL_BACKEND not in NOT_FOR_PRODUCTION_EMAIL:
        return []
    return [
        Warning(
            f"EMAIL_BACKEND ({settings.EMAIL_BACKEND}) ne livre aucun courriel à personne.",
            hint="Définissez EMAIL_URL (smtp://…) ou EMAIL_BACKEND pour un fournisseur.",
            id="maillon.W006",
        )
    ]
