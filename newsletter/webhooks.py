"""The email providers' webhooks (django-anymail), routed at /anymail/<provider>/tracking/.

django-anymail treats an empty ANYMAIL_WEBHOOK_SECRET as "no authentication": anyone could post a
complaint and unsubscribe any address. Here every webhook answers 404 until a secret is configured;
once it is, anymail checks the HTTP basic auth ("user:password") of every request.
"""

import functools

from anymail import urls as anymail_urls
from anymail.utils import get_anymail_setting
from django.http import Http404
from django.urls import URLPattern


def webhook_secrets():
    """The configured basic-auth credentials, as anymail reads them ([] when none)."""
    secret = get_anymail_setting("webhook_secret", default=[])
    if isinstance(secret, str):
        return [secret] if secret else []
    return [value for value in secret if value]


def requires_secret(view):
    @functools.wraps(view)
    def guarded(request, *args, **kwargs):
        if not webhook_secrets():
            raise Http404("Webhooks are off: no ANYMAIL_WEBHOOK_SECRET.")
        return view(request, *args, **kwargs)

    return guarded


app_name = anymail_urls.app_name
urlpatterns = [
    URLPattern(pattern.pattern, requires_secret(pattern.callback), pattern.default_args, pattern.name)
    for pattern in anymail_urls.urlpatterns
]
