"""Public forms pre-filled for a person who came through their space's link (website.space).

Visiting `/mon-espace/<token>/` leaves a signed cookie (COOKIE: HttpOnly, SameSite=Lax, Secure where
sessions are, MAX_AGE 30 days) holding the verified address and the name and organisation the person
last typed. The board's post form, an event's registration form, the newsletter sign-up and the support
request form read it (`initial`) and say so in the response (`keep_private`): `Cache-Control: private`
and `Vary: Cookie`, so no shared cache keeps the page. The anonymous page cache (website/page_cache.py)
never serves or stores a page for a visitor carrying any cookie but the CSRF one, so a pre-filled
page is never stored, and nobody else is ever served one. "Log out" and an erasure delete the cookie.
"""

import json

from django.conf import settings
from django.core import signing
from django.utils.cache import patch_cache_control, patch_vary_headers

from website.tokens import DAY

COOKIE = "maillon_prefill"
SALT = "maillon.prefill"
MAX_AGE = 30 * DAY
FIELDS = {"email": 254, "name": 120, "first_name": 80, "organisation": 200}


def remember(response, **values):
    """Leave the cookie on `response` with the known `values` (see FIELDS)."""
    kept = {key: str(values[key])[:limit] for key, limit in FIELDS.items() if values.get(key)}
    response.set_signed_cookie(
        COOKIE,
        json.dumps(kept),
        salt=SALT,
        max_age=MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


def forget(response):
    response.delete_cookie(COOKIE, samesite="Lax")
    return response


def read(request):
    """The values the cookie holds ({} without a valid one)."""
    try:
        raw = request.get_signed_cookie(COOKIE, salt=SALT, max_age=MAX_AGE)
        values = json.loads(raw)
    except (KeyError, signing.BadSignature, ValueError):
        return {}
    if not isinstance(values, dict):
        return {}
    return {key: values[key][:limit] for key, limit in FIELDS.items() if isinstance(values.get(key), str)}


def initial(request, **fields):
    """The initial values of a form: `initial(request, contact_email="email", contact_name="name")`
    maps each form field to the value it takes; {} without the cookie."""
    values = read(request)
    return {field: values[key] for field, key in fields.items() if values.get(key)}


def keep_private(request, response):
    """A response that may hold pre-filled values is for this browser only."""
    patch_vary_headers(response, ["Cookie"])
    if COOKIE in request.COOKIES:
        patch_cache_control(response, private=True)
    return response
