"""The waiting list: free seats go to waiting entries in arrival order, whole or, for those who accept
it, partly; with a hold, they are offered first and withdrawn if not accepted in time."""

import datetime

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from events.emails import send_promoted_email
from events.models.records import EventState, Registration
from events.services.seats import lock_event, seats_taken

State = Registration.State


def promote_waiting(event, now=None):
    """Give free seats to waiting entries in arrival order (the caller holds the event's lock).

    An entry that fits whole is promoted. One that does not fit is offered the seats that remain if it
    accepted partial seats; otherwise it keeps its place and the next entry that fits is promoted."""
    now = now or timezone.now()
    free = event.capacity - seats_taken(event)
    if free <= 0 or event.state == EventState.CANCELLED:
        return []
    promoted = []
    waiting = Registration.objects.select_for_update().filter(event=event, state=State.WAITING)
    for entry in waiting.order_by("created_at", "pk"):
        if free <= 0:
            break
        if entry.seats > free:
            if not entry.allow_partial:
                continue
            entry.seats_requested = entry.seats_requested or entry.seats
            entry.seats = free
            entry.attendee_names = entry.attendee_names[:free]
        promote(entry, event, now)
        free -= entry.seats
        promoted.append(entry)
    return promoted


def promote(entry, event, now):
    """Give a waiting entry the seats it now has: offered for `hold_hours`, or taken at once."""
    if event.hold_hours:
        entry.state = State.OFFERED
        entry.offer_expires_at = now + datetime.timedelta(hours=event.hold_hours)
    else:
        entry.state = State.PENDING if event.requires_approval else State.CONFIRMED
    entry.save(
        update_fields=[
            "state",
            "seats",
            "seats_requested",
            "attendee_names",
            "offer_expires_at",
            "updated_at",
        ]
    )
    log(instance=entry, action="events.registration.promoted", data={"seats": entry.seats})
    send_promoted_email(entry)


def expire_offers(now=None):
    """Offers not accepted in time are withdrawn; their seats go to the next entries."""
    now = now or timezone.now()
    events = set()
    expired = Registration.objects.filter(state=State.OFFERED, offer_expires_at__lt=now)
    for registration in expired.iterator():
        with transaction.atomic():
            event = lock_event(registration.event_id)
            updated = Registration.objects.filter(pk=registration.pk, state=State.OFFERED).update(
                state=State.CANCELLED, offer_expires_at=None
            )
            if updated:
                log(instance=registration, action="events.registration.offer_expired")
                promote_waiting(event, now)
                events.add(event.pk)
    return len(events)
