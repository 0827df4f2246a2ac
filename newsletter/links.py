"""The subscriber's links (confirm, preferences, unsubscribe, consent renewal): signed, expiring tokens at fixed
addresses, so a moved page never breaks a sent email."""

import functools

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from newsletter.models import SignupRequest, Subscriber
from website.i18n import absolute_reverse
from website.tokens import DAY, make_token, names_an_object, object_from_token, object_token, read_token

TOKEN_AGES = {
    "newsletter.confirm": 30 * DAY,
    "newsletter.preferences": 400 * DAY,
    "newsletter.unsubscribe": 800 * DAY,
    # Asked 30 days before an implied consent lapses: the link outlives the consent by a fortnight.
    "newsletter.renew": 45 * DAY,
    # Shown in Mon espace beside a pending subscription; the page is made anew at each visit.
    "newsletter.resend": 2 * DAY,
    "newsletter.cancel": 2 * DAY,
}
URL_NAMES = {
    "newsletter.confirm": "newsletter:confirm",
    "newsletter.preferences": "newsletter:preferences",
    "newsletter.unsubscribe": "newsletter:unsubscribe",
    "newsletter.renew": "newsletter:renew",
    "newsletter.resend": "newsletter:resend",
    "newsletter.cancel": "newsletter:cancel",
}


def path(subscriber, purpose, language=None):
    """The address of a subscriber's page, in `language` (default: the active one)."""
    with translation.override(language or translation.get_language()):
        return reverse(URL_NAMES[purpose], args=[object_token(purpose, subscriber)])


def link(subscriber, purpose, language=None):
    """The absolute address, for emails: in the subscriber's language unless told otherwise."""
    return absolute_reverse(
        URL_NAMES[purpose], language=language or subscriber.language, args=[object_token(purpose, subscriber)]
    )


def fast_link(subscriber, purpose, language):
    """`link(subscriber, purpose, language)`, the route resolved once per purpose and language (a send
    makes two links per recipient)."""
    before, after = _around_token(purpose, language, settings.SITE_URL)
    return before + object_token(purpose, subscriber) + after


@functools.lru_cache(maxsize=32)
def _around_token(purpose, language, site_url):
    # Tokens hold only characters that reverse() leaves as they are (URL-safe base64 and ":").
    placeholder = "maillon-token"
    before, after = absolute_reverse(URL_NAMES[purpose], language=language, args=[placeholder]).split(
        placeholder
    )
    return before, after


def subscriber_from_token(token, purpose):
    return object_from_token(Subscriber.objects.all(), token, purpose, TOKEN_AGES[purpose])


def confirm_link(subscriber, signup_request=None):
    """The link of a confirmation email. With a request, confirming applies what was asked."""
    values = [subscriber.pk, subscriber.secret]
    language = subscriber.language
    if signup_request is not None:
        values.append(signup_request.key)
        language = signup_request.language
    token = make_token("newsletter.confirm", *values)
    return absolute_reverse(URL_NAMES["newsletter.confirm"], language=language, args=[token])


def confirmation_from_token(token):
    """(subscriber, signup request or None) named by a confirmation token, or None if it is forged,
    expired, or names a request that was replaced or already used."""
    values = read_token(token, "newsletter.confirm", TOKEN_AGES["newsletter.confirm"])
    if not (names_an_object(values, 2) or names_an_object(values, 3)):
        return None
    subscriber = Subscriber.objects.filter(pk=values[0], secret=values[1]).first()
    if subscriber is None:
        return None
    if len(values) == 2:
        return subscriber, None
    signup_request = SignupRequest.objects.filter(subscriber=subscriber, key=values[2]).first()
    return (subscriber, signup_request) if signup_request is not None else None
