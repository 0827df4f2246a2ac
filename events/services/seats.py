"""Who holds a seat: the count, and the lock on the event's row under which every change is decided."""

from django.db.models import Sum
from django.utils import timezone

from events.models.records import Registration, event_pages


class RegistrationError(Exception):
    """A request the rules refuse; its message says which rule ("closed", "too_many", "full", "started"…)."""


def seats_taken(event):
    taken = Registration.objects.filter(event=event, state__in=Registration.HOLDING).aggregate(
        n=Sum("seats")
    )["n"]
    return taken or 0


def seats_left(event):
    return max(0, event.capacity - seats_taken(event))


def lock_event(event_id):
    """Lock the event's row for the rest of the transaction: every change of who holds a seat goes
    through here, so two of them never count the same free seat. (On SQLite the transaction itself
    takes the database's write lock first: settings use BEGIN IMMEDIATE.)"""
    return event_pages().select_for_update().get(pk=event_id)


def visitor_may_change(registration, now=None):
    """Through the magic link, seats can be changed or given back only until the event starts; after
    that, only editors change a registration (its seats, attendance, state)."""
    return event_pages().filter(pk=registration.event_id, start__gt=now or timezone.now()).exists()
