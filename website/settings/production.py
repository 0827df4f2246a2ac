"""Production: secrets from the environment only, HTTPS everywhere, static files through WhiteNoise."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import ANYMAIL, DATABASES, EMAIL_BACKEND, MIDDLEWARE, env

DEBUG = False
SECRET_KEY = env("SECRET_KEY", default="")
if not SECRET_KEY or SECRET_KEY.startswith("dev-only") or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY doit être défini (50 caractères ou plus) en production.")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
if EMAIL_BACKEND.endswith("filebased.EmailBackend"):
    raise ImproperlyConfigured("EMAIL_URL ou EMAIL_BACKEND doit être défini en production.")
# A provider's webhooks report bounces and complaints, which unsubscribe people: without a secret they
# are refused (newsletter/webhooks.py), so a provider backend needs one ("user:password", basic auth).
_webhook_user, _, _webhook_password = ANYMAIL["WEBHOOK_SECRET"].partition(":")
if EMAIL_BACKEND.startswith("anymail.") and not (_webhook_user and len(_webhook_password) >= 16):
    raise ImproperlyConfigured(
        "ANYMAIL_WEBHOOK_SECRET doit être défini (utilisateur:mot-de-passe, 16 caractères ou plus) avec "
        "un fournisseur d'envoi (EMAIL_BACKEND=anymail…) en production."
    )

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Not an assert: `python -O` removes those, and this must hold in every production process.
if MIDDLEWARE[1:2] != ["whitenoise.middleware.WhiteNoiseMiddleware"]:
    raise ImproperlyConfigured("WhiteNoiseMiddleware doit suivre SecurityMiddleware en production.")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz/"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Django reads this per database (a top-level CONN_MAX_AGE setting would be ignored).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
