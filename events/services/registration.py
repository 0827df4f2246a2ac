"""Registering, changing and cancelling, each decided under the event's lock: capacity counts people,
what does not fit goes on the waiting list, and seats given back go to it."""

from django.db import transaction
from wagtail.log_actions import log

from events.emails import send_state_email
from events.models.records import Registration
from events.services.seats import RegistrationError, lock_event, seats_taken, visitor_may_change
from events.services.waiting_list import promote_waiting
from events.signals import registration_created
from website.i18n import current_language

State = Registration.State
ACTIVE = (State.CONFIRMED, State.PENDING, State.OFFERED, State.WAITING)


def register(event, *, seats, allow_partial=False, language=None, **fields):
    """Register `seats` people: confirmed (or pending approval) if they fit in the free seats, or if
    they accept the fewer seats that are left; otherwise on the waiting list, in arrival order.

    Taking free seats never jumps the queue: every change that frees seats promotes the waiting list
    first, so seats still free are seats no waiting entry can use."""
    registration = Registration(
        event_id=event.pk,
        seats=seats,
        allow_partial=allow_partial,
        language=language or current_language(),
        **fields,
    )
    with transaction.atomic():
        # Every registration of the event waits for its lock: what needs no seat count is done before it
        # (finding or creating the member organisation: several queries when the name is new; the
        # newsletter's subscription of a registrant who ticked its box), and the emails after it.
        registration.link_organisation()
        registration_created.send(sender=Registration, registration=registration)
        event = lock_event(event.pk)
        if not event.registration_is_open():
            raise RegistrationError("closed")
        if seats > event.max_seats:
            raise RegistrationError("too_many")  # more only through an editor (change_seats)
        free = event.capacity - seats_taken(event)
        if seats > free and allow_partial and free > 0:
            registration.seats_requested = seats
            registration.seats = seats = free
            registration.attendee_names = registration.attendee_names[:free]
        if seats <= free:
            state = State.PENDING if event.requires_approval else State.CONFIRMED
        else:
            state = State.WAITING
        registration.event, registration.state = event, state
        registration.save()
        log(instance=registration, action=f"events.registration.{state}")
        send_state_email(registration)  # rendered and queued once the transaction commits
    return registration


def move(registration, allowed, to, action, *, user=None, promote=False, **fields):
    """Under the event's lock, move a registration from one of `allowed` to `to`, log it and email the
    person; with `promote`, the seats it gave back go to the waiting list."""
    with transaction.atomic():
        event = lock_event(registration.event_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.state not in allowed:
            raise RegistrationError(registration.state)
        previous_state = registration.state
        registration.state = to
        for name, value in fields.items():
            setattr(registration, name, value)
        registration.save(update_fields=["state", "updated_at", *fields])
        log(instance=registration, action=action, user=user)
        send_state_email(registration, previous_state=previous_state)
        if promote:
            promote_waiting(event)
    return registration


def cancel(registration, user=None, *, visitor=False):
    """Idempotent: cancelling what is already cancelled or refused changes nothing. A visitor (the
    magic link) cannot cancel once the event has started."""
    if visitor and not visitor_may_change(registration):
        raise RegistrationError("started")
    try:
        return move(
            registration, ACTIVE, State.CANCELLED, "events.registration.cancelled", user=user, promote=True
        )
    except RegistrationError:
        return Registration.objects.get(pk=registration.pk)


def change_seats(registration, seats, names=None, needs=None, *, user=None):
    """Fewer seats free them for the waiting list; more are given only if they are free now.
    `needs`: new dietary and accessibility needs ({field: text}), changed with the seats.

    Without `user` the change comes from the visitor's magic link: refused once the event has started,
    and never above the event's maximum per registration (a number an editor set above it may be kept
    or lowered). An editor (`user`) may go past the maximum, at any time, within the free seats."""
    with transaction.atomic():
        event = lock_event(registration.event_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if user is None:
            if event.has_started():
                raise RegistrationError("started")
            if seats > max(event.max_seats, registration.seats):
                raise RegistrationError("too_many")
        if names is not None:
            registration.attendee_names = names[:seats]
        for name, value in (needs or {}).items():
            setattr(registration, name, value)
        if seats > registration.seats and registration.holds_seats:
            if seats - registration.seats > event.capacity - seats_taken(event):
                raise RegistrationError("full")
        registration.seats = seats
        if registration.seats_requested and seats >= registration.seats_requested:
            registration.seats_requested = None  # what was asked for is now held
        registration.save(
            update_fields=["seats", "seats_requested", "attendee_names", *(needs or {}), "updated_at"]
        )
        log(instance=registration, action="events.registration.changed", user=user, data={"seats": seats})
        promote_waiting(event)  # seats freed, or a waiting entry that now fits
    return registration


def accept_offer(registration):
    if not visitor_may_change(registration):
        raise RegistrationError("started")
    to = State.PENDING if registration.event.requires_approval else State.CONFIRMED
    return move(registration, [State.OFFERED], to, "events.registration.accepted", offer_expires_at=None)


def approve(registration, user=None):
    return move(registration, [State.PENDING], State.CONFIRMED, "events.registration.approved", user=user)


def reject(registration, user=None):
    return move(
        registration,
        [State.PENDING, State.WAITING],
        State.REJECTED,
        "events.registration.rejected",
        user=user,
        promote=True,
    )
