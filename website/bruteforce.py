"""Brute force on the admin: login attempts (django-axes) and password-reset emails (rate limits).

Logins: after AXES_FAILURE_LIMIT wrong passwords for one username from one address, that pair is
locked for AXES_COOLOFF_TIME, even with the right password; other addresses are not affected.
Attempts are kept in the database (axes' database handler), so the lock holds with Redis down.

Password reset: at most PASSWORD_RESET_RATE_PER_ADDRESS emails per address and PASSWORD_RESET_RATE_PER_IP
requests per client address. Over either, the page answers as usual and sends nothing (it never says
whether an address has an account). These counters live in the cache: if Redis is down they count in
each process's memory (website/cache.py), and a cache that still fails lets requests through (logged)
rather than break the page.

The client address is the one the public-form rate limits use: `RATELIMIT_IP_META_KEY` behind a proxy,
else REMOTE_ADDR.
"""

import logging

import redis
from axes.backends import AxesStandaloneBackend
from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import messages
from django.template.response import TemplateResponse
from django.utils.translation import ngettext
from django_ratelimit.core import is_ratelimited
from wagtail.admin.forms.auth import PasswordResetForm as WagtailPasswordResetForm
from wagtail.admin.views.account import get_user_login_form, password_reset_enabled

from website.http import client_ip

logger = logging.getLogger(__name__)


class ClientAddressMiddleware:
    """Behind a proxy, leaves one valid address in the RATELIMIT_IP_META_KEY header for everything that
    reads it (django-ratelimit answers 500 to a list such as X-Forwarded-For's "a, b", or to junk)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = settings.RATELIMIT_IP_META_KEY
        if key and key != "REMOTE_ADDR":
            request.META[key] = client_ip(request)
        return self.get_response(request)


class LoginAttemptsBackend(AxesStandaloneBackend):
    """Refuses a locked-out username and address before any password is checked. Logins that are not
    HTTP requests (a shell, `Client.login` in tests) have no address to count and pass through."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def locked_out(request, original_response=None, credentials=None):
    """The admin login page again, status 429, saying why and for how long (AXES_LOCKOUT_CALLABLE)."""
    minutes = max(1, round(get_cool_off(request).total_seconds() / 60))
    messages.error(
        request,
        ngettext(
            "Trop de tentatives de connexion. Par sécurité, la connexion à ce compte depuis votre "
            "adresse est bloquée pendant %(minutes)d minute. Vous pouvez aussi réinitialiser votre "
            "mot de passe.",
            "Trop de tentatives de connexion. Par sécurité, la connexion à ce compte depuis votre "
            "adresse est bloquée pendant %(minutes)d minutes. Vous pouvez aussi réinitialiser votre "
            "mot de passe.",
            minutes,
        )
        % {"minutes": minutes},
    )
    response = TemplateResponse(
        request,
        "wagtailadmin/login.html",
        {
            "form": get_user_login_form()(request),
            "show_password_reset": password_reset_enabled(),
            "next": request.POST.get("next", ""),
        },
        status=429,
    )
    return response.render()


def _over(request, group, key, rate):
    try:
        return is_ratelimited(request, group=group, key=key, rate=rate, method="POST", increment=True)
    except redis.RedisError:
        logger.warning("Limite de %s non vérifiée : Redis ne répond pas.", group)
        return False


def password_reset_allowed(request, email):
    """Count this request for the address and for the client; False once either is over its rate."""
    address = email.strip().lower()
    over_address = _over(
        request,
        "admin-password-reset-address",
        lambda group, request: address,
        settings.PASSWORD_RESET_RATE_PER_ADDRESS,
    )
    over_ip = _over(
        request,
        "admin-password-reset-ip",
        lambda group, request: client_ip(request),
        settings.PASSWORD_RESET_RATE_PER_IP,
    )
    return not (over_address or over_ip)


class PasswordResetForm(WagtailPasswordResetForm):
    """WAGTAILADMIN_USER_PASSWORD_RESET_FORM: sends nothing once the address or the client is over its
    rate; the page the person sees is the same either way."""

    def save(self, request=None, **kwargs):
        if request is not None and not password_reset_allowed(request, self.cleaned_data["email"]):
            logger.info("Réinitialisation de mot de passe limitée (%s).", client_ip(request))
            return
        super().save(request=request, **kwargs)
