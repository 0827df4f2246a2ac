"""What events hold about a person (registrations: names, needs, answers): found, exported and erased
through website.privacy, and how long it is kept after the event (`apply_retention`)."""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import Registration
from events.services import lock_event, promote_waiting
from website.privacy import Erased, Found, PersonalDataSource, forget_log_entries, months_before
from website.tokens import new_secret

logger = logging.getLogger(__name__)
State = Registration.State

# What an anonymised registration keeps: its event, organisation, seats, state, attendance and dates,
# which the network's figures count. Nothing says any more who came or what they needed.
ANONYMOUS = {
    "contact_name": "",
    "email": "",
    "attendee_names": [],
    "dietary_needs": "",
    "accessibility_needs": "",
    "answers": {},
    "newsletter_consent": False,
    "offer_expires_at": None,
}


def anonymise(registrations):
    """Anonymise a queryset of registrations; their emailed links stop working."""
    pks = list(registrations.values_list("pk", flat=True))
    forget_log_entries(Registration, pks)  # their labels name the person
    return Registration.objects.filter(pk__in=pks).update(
        **ANONYMOUS, secret=new_secret(), updated_at=timezone.now()
    )


class EventsSource(PersonalDataSource):
    name = "events"
    label = _("Événements")

    @staticmethod
    def registrations(email):
        return Registration.objects.filter(email__iexact=email).select_related("event").order_by("created_at")

    def find(self, email):
        return [
            Found(
                "registrations",
                _("Inscriptions"),
                [f"{r.event.title} — {r.get_state_display()} ({r.seats})" for r in self.registrations(email)],
            )
        ]

    def export(self, email):
        return {
            "registrations": [
                {
                    "event": r.event.title,
                    "start": r.event.start,
                    "state": r.get_state_display(),
                    "contact_name": r.contact_name,
                    "email": r.email,
                    "organisation": r.organisation,
                    "seats": r.seats,
                    "attendee_names": r.attendee_names,
                    "dietary_needs": r.dietary_needs,
                    "accessibility_needs": r.accessibility_needs,
                    "answers": r.answers,
                    "newsletter_consent": r.newsletter_consent,
                    "language": r.language,
                    "registered_at": r.created_at,
                    "presence_confirmed_at": r.presence_confirmed_at,
                    "attended": r.attended,
                }
                for r in self.registrations(email)
            ]
        }

    def erase(self, email):
        """A registration for an event that is over and that counted (confirmed) is anonymised: the
        event's figures keep its organisation and seats. Any other goes; one that held seats for an
        event to come gives them to the waiting list."""
        now = timezone.now()
        anonymised = deleted = 0
        with transaction.atomic():
            registrations = self.registrations(email)
            counted = registrations.filter(event__end__lte=now, state=State.CONFIRMED)
            anonymised = anonymise(counted)
            for registration in self.registrations(email):
                event = lock_event(registration.event_id)
                forget_log_entries(Registration, [registration.pk])
                registration.delete()
                deleted += 1
                if event.end > now:
                    promote_waiting(event)
        return [Erased("registrations", _("Inscriptions"), deleted=deleted, anonymised=anonymised)]


def apply_retention(now=None):
    """RETENTION_ATTENDEES_MONTHS after an event ends, its registrations lose names, addresses, needs
    and answers (all of them, whatever their state)."""
    now = now or timezone.now()
    cutoff = months_before(now, settings.RETENTION_ATTENDEES_MONTHS)
    with transaction.atomic():
        old = Registration.objects.filter(event__end__lt=cutoff).exclude(email="", contact_name="")
        counts = {"registrations_anonymised": anonymise(old)}
    logger.info("retention (événements): %s", counts)
    return counts
