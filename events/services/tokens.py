"""The magic link of a registration: its token, its address, and the registration a token names."""

from events.models.records import Registration
from website.i18n import absolute_reverse
from website.tokens import DAY, object_from_token, object_token

MANAGE_MAX_AGE = 365 * DAY


def manage_token(registration):
    return object_token("registration.manage", registration)


def manage_url(registration, name="events:registration_manage"):
    """The magic link, in the language the person registered in (`/en/…` for English)."""
    return absolute_reverse(name, language=registration.language, args=[manage_token(registration)])


def registration_from_token(token):
    registrations = Registration.objects.select_related("event")
    return object_from_token(registrations, token, "registration.manage", MANAGE_MAX_AGE)
