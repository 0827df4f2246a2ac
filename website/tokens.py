"""Signed, expiring tokens for the links in emails (no login needed). One salt per purpose, so a
token made for one action can never be used for another."""

import functools
import secrets

from django.core import signing

DAY = 24 * 3600
# Primary keys are 64-bit integers.
MAX_ID = 2**63 - 1


def make_token(purpose, *values):
    return signing.dumps(list(values), salt=f"maillon.{purpose}", compress=True)


def read_token(token, purpose, max_age):
    """The values signed in `token`, or None if it is forged, altered, expired or for another purpose."""
    try:
        return signing.loads(token, salt=f"maillon.{purpose}", max_age=max_age)
    except signing.BadSignature:  # SignatureExpired is a BadSignature too
        return None


def object_token(purpose, obj, secret_field="secret"):
    """A token naming `obj` and its revocable secret: changing the secret voids every link to it."""
    return make_token(purpose, obj.pk, getattr(obj, secret_field))


def names_an_object(values, length=2):
    """True if the values read from a token have the shape `object_token` signs: an id, then strings.
    A token signed with our key but another shape (an old format, a bug) names nothing, rather than
    reaching the database with a value it cannot compare."""
    if not isinstance(values, list) or len(values) != length:
        return False
    pk, *rest = values
    valid_pk = isinstance(pk, int) and not isinstance(pk, bool) and 0 < pk <= MAX_ID
    return valid_pk and all(isinstance(value, str) for value in rest)


def object_from_token(queryset, token, purpose, max_age, secret_field="secret"):
    """The object a token from `object_token` names, or None."""
    values = read_token(token, purpose, max_age)
    if not names_an_object(values):
        return None
    return queryset.filter(pk=values[0], **{secret_field: values[1]}).first()


def link_target(resolve, invalid):
    """View decorator for magic links: `resolve(token)` gives the object or None; a view receives
    (request, token, obj), and a forged or expired token gets `invalid(request)` with nothing changed."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, token):
            obj = resolve(token)
            if obj is None:
                return invalid(request)
            return view(request, token, obj)

        return wrapper

    return decorator


def new_secret():
    """A fresh revocable secret for an object's magic links (the default of every `secret` field)."""
    return secrets.token_urlsafe(16)
