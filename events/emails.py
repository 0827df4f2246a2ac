"""Every email events sends: one function writes one email to one registration (`email_registration`);
the others say which template, tag and key (the outbox sends a key only once).

The emails of a change of state (`send_state_email`, `send_promoted_email`, `send_released_email`) are
decided under the event's lock but rendered and queued once the transaction commits (`after_commit`):
every registration of the event waits for that lock, so rendering (templates, the `.ics`, the cost
share) under it would make each one wait for the others' emails. A transaction that rolls back sends
nothing; a commit sends each email once. The price: a process killed between the commit and its
callbacks loses those emails (logged if a callback fails)."""

import copy

from django.db.transaction import on_commit
from wagtail.log_actions import log

from events.calendars import event_calendar
from events.models.records import Registration
from events.services.costs import registration_share
from events.services.tokens import manage_url
from website.i18n import page_url
from website.outbox import queue_templated_email

State = Registration.State
STATE_TEMPLATES = {
    State.CONFIRMED: "events/emails/confirmed",
    State.PENDING: "events/emails/pending",
    State.WAITING: "events/emails/waiting",
    State.OFFERED: "events/emails/offered",
    State.CANCELLED: "events/emails/cancelled",
    State.REJECTED: "events/emails/rejected",
}


def email_registration(template, registration, *, event=None, tag, key=None, attachments=(), **extra):
    """Queue one email to a registration's contact, rendered in the language they registered in, with
    their magic link and the event's address in that language."""
    event = event or registration.event
    context = {
        "event": event,
        "registration": registration,
        "manage_url": manage_url(registration),
        "event_url": page_url(event, registration.language, absolute=True),
        **extra,
    }
    return queue_templated_email(
        template,
        context,
        [registration.email],
        language=registration.language,
        key=key,
        tag=tag,
        attachments=attachments,
    )


def calendar_attachment(registration):
    return {
        "filename": "evenement.ics",
        "content": event_calendar(registration.event, registration.language).decode(),
        "mimetype": "text/calendar",
    }


def after_commit(render_and_queue):
    """`render_and_queue(registration, …)` run when the current transaction commits, outside the
    event's lock, on a copy of the registration as it is now (later changes in the same transaction do
    not change what this email says); never if the transaction rolls back."""

    def deferred(registration, *args, **kwargs):
        snapshot = copy.copy(registration)

        def send():  # a function, not a partial: Django logs a robust callback's failure by __qualname__
            render_and_queue(snapshot, *args, **kwargs)

        on_commit(send, robust=True)

    deferred.__doc__ = render_and_queue.__doc__
    return deferred


def state_email(registration, template=None, previous_state=None):
    """The email for the registration's new state (confirmed ones carry the `.ics`); `previous_state`
    lets it say what changed (a cancelled waiting-list request gave back no seats)."""
    confirmed = registration.state == State.CONFIRMED
    email_registration(
        template or STATE_TEMPLATES[registration.state],
        registration,
        previous_state=previous_state,
        share=registration_share(registration),
        attachments=[calendar_attachment(registration)] if confirmed else [],
        tag=f"events.{registration.state}",
    )


def promoted_email(registration):
    """A waiting entry got seats (or, with a hold, is offered them)."""
    offered = registration.state == State.OFFERED
    state_email(registration, None if offered else "events/emails/promoted")


def released_email(registration):
    state_email(registration, "events/emails/released")


send_state_email = after_commit(state_email)
send_promoted_email = after_commit(promoted_email)
send_released_email = after_commit(released_email)


def send_final_share(registration, event, *, organisation, seats, amount, organisations):
    email_registration(
        "events/emails/final_share",
        registration,
        event=event,
        organisation=organisation,
        seats=seats,
        amount=amount,
        organisations=organisations,
        key=f"events.final_share:{registration.pk}",
        tag="events.final_share",
    )


def send_reminder(registration, event):
    email_registration(
        "events/emails/reminder",
        registration,
        event=event,
        key=f"events.reminder:{registration.pk}:{event.start:%Y%m%d%H%M}",
        tag="events.reminder",
    )


def send_follow_up(registration, event):
    email_registration(
        "events/emails/follow_up",
        registration,
        event=event,
        key=f"events.follow_up:{registration.pk}",
        tag="events.follow_up",
    )


def email_everyone(event, template, key_prefix, **extra):
    """One email per registration that still counts (confirmed, pending, offered, waiting)."""
    active = Registration.objects.filter(event=event).exclude(state__in=[State.CANCELLED, State.REJECTED])
    for registration in active.iterator():
        email_registration(
            template,
            registration,
            event=event,
            key=f"{key_prefix}:{registration.pk}",
            tag="events.broadcast",
            **extra,
        )


def bulk_email(event, subject, body, states, user=None):
    """An editor writes to the registrations in `states` (Inscriptions → Écrire); logged on the event."""
    count = 0
    for registration in Registration.objects.filter(event=event, state__in=states).iterator():
        email_registration(
            "events/emails/bulk", registration, event=event, subject=subject, body=body, tag="events.bulk"
        )
        count += 1
    log(instance=event, action="events.event.emailed", user=user, data={"subject": subject, "count": count})
    return count
