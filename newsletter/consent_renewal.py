"""CASL implied consent: asked once to renew, one click makes it express.

An implied consent (an import, an event registration) lapses `IMPLIED_CONSENT_LIFETIME` after it was
given (`Subscriber.consent_expires_at`). Each day, `ask_renewals` finds the subscribers whose implied
consent lapses within `RENEWAL_NOTICE` (30 days) and who were not asked for that expiry yet, and queues
one email each through the outbox (a row first, keyed by subscriber and expiry, so never twice). The
email is rendered once per language with markers for the personal parts (the link, the unsubscribe link,
the date), then each copy replaces them. Unsubscribed and bounced people are not confirmed, so never
asked; an address on the suppression list (erased at the person's request) is never written to.

The link (`newsletter.renew`, signed, expiring) shows a button; only its POST acts (`renew_consent`):
the consent becomes express (`consent_expires_at` cleared) with a ledger line saying how, when and from
where. A mail scanner that follows the link changes nothing."""

import datetime
import secrets

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from newsletter.links import link
from newsletter.models import RENEWAL_NOTICE, ConsentRecord, Subscriber
from newsletter.services import record
from website.models import SuppressedAddress
from website.outbox import queue_email
from website.privacy import address_digest

EXPIRING_SOON = datetime.timedelta(days=90)  # what editors see coming
BATCH = 500
SLOTS = ("renew_url", "unsubscribe_url", "expires_on")
TEMPLATE = "newsletter/emails/renew"

RENEWAL_WORDING = _(
    "Je veux continuer de recevoir l'infolettre du réseau de mutualisation par courriel. "
    "Je peux me désabonner en tout temps par le lien présent dans chaque envoi."
)


def on_implied_consent(queryset=None):
    queryset = Subscriber.objects.all() if queryset is None else queryset
    return queryset.filter(state=Subscriber.State.CONFIRMED, consent_expires_at__isnull=False)


def expiring(within=EXPIRING_SOON, now=None, queryset=None):
    """Confirmed subscribers whose implied consent lapses within `within` (soonest first)."""
    now = now or timezone.now()
    return (
        on_implied_consent(queryset)
        .filter(consent_expires_at__gt=now, consent_expires_at__lte=now + within)
        .order_by("consent_expires_at", "pk")
    )


def due_for_renewal(now=None):
    """Whose consent lapses within the notice and who were not asked for this expiry."""
    not_asked = (
        Q(renewal_asked_for__isnull=True)
        | Q(renewal_asked_for__lt=F("consent_expires_at"))
        | Q(renewal_asked_for__gt=F("consent_expires_at"))
    )
    return expiring(RENEWAL_NOTICE, now).filter(not_asked)


def ask_renewals(now=None):
    """Queue one renewal email per subscriber due (see the module's docstring). Returns how many."""
    now = now or timezone.now()
    rendered = {}
    asked = 0
    while True:
        with transaction.atomic():
            rows = due_for_renewal(now)
            if connection.features.has_select_for_update_skip_locked:
                rows = rows.select_for_update(skip_locked=True)
            batch = list(rows[:BATCH])
            if not batch:
                return asked
            suppressed = set(
                SuppressedAddress.objects.filter(
                    digest__in=[address_digest(s.email) for s in batch]
                ).values_list("digest", flat=True)
            )
            for subscriber in batch:
                if address_digest(subscriber.email) not in suppressed:
                    queue_renewal_email(subscriber, rendered)
                    asked += 1
            # Marked asked even when suppressed: never written to, and not looked at again.
            Subscriber.objects.filter(pk__in=[s.pk for s in batch]).update(
                renewal_asked_for=F("consent_expires_at")
            )


def render_once(language, rendered):
    """(subject, body, markers) of the email in `language`, rendered the first time it is asked for."""
    if language not in rendered:
        markers = {name: f"maillon-{secrets.token_hex(16)}-{name}" for name in SLOTS}
        with translation.override(language):
            context = {"site_url": settings.SITE_URL, **markers}
            subject = render_to_string(f"{TEMPLATE}_subject.txt", context, using="text").strip()
            body = render_to_string(f"{TEMPLATE}.txt", context, using="text")
        rendered[language] = (subject, body, markers)
    return rendered[language]


def queue_renewal_email(subscriber, rendered):
    subject, body, markers = render_once(subscriber.language, rendered)
    with translation.override(subscriber.language):
        expires_on = date_format(timezone.localtime(subscriber.consent_expires_at), "DATE_FORMAT")
    values = {
        "renew_url": link(subscriber, "newsletter.renew"),
        "unsubscribe_url": link(subscriber, "newsletter.unsubscribe"),
        "expires_on": expires_on,
    }
    for name, marker in markers.items():
        body = body.replace(marker, values[name])
    return queue_email(
        [subscriber.email],
        subject,
        body,
        key=f"newsletter.renewal:{subscriber.pk}:{subscriber.consent_expires_at.isoformat()}",
        headers={
            "List-Unsubscribe": f"<{values['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
        tag="newsletter.renewal",
    )


def renew_consent(subscriber, *, ip=None):
    """The person clicked "keep receiving": (subscriber, True) if their consent became express now;
    False if there was nothing to renew (already express, or no longer subscribed)."""
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        if subscriber.state != Subscriber.State.CONFIRMED or subscriber.consent_expires_at is None:
            return subscriber, False
        implied_until = subscriber.consent_expires_at
        subscriber.consent_expires_at = None
        subscriber.save(update_fields=["consent_expires_at"])
        with translation.override(subscriber.language):
            wording = str(RENEWAL_WORDING)
        record(
            subscriber,
            ConsentRecord.Action.RENEWED,
            ConsentRecord.Method.LINK,
            kind=ConsentRecord.Kind.EXPRESS,
            wording=wording,
            ip=ip,
            implied_until=implied_until.isoformat(),
        )
    return subscriber, True
