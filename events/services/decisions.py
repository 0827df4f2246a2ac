"""What is decided about a whole event: a change an editor would publish (state, capacity), the go/no-go
on the decision date, the event's cancellation, and the final cost shares once registration closes."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from wagtail.log_actions import log

from events.emails import email_everyone, send_final_share
from events.models.records import EventState, Threshold, event_pages
from events.services.costs import cost_shares, participating
from events.services.seats import lock_event


def publish_change(event, user=None, **fields):
    """Change fields an editor also edits (state, capacity) the way the editor would: a new revision
    of the live page, published. The page editor opens the latest revision, so a change written to the
    row alone would be undone by the next edit. Publishing bumps SEQUENCE when dates or state change
    (EventPage.save) and gives new seats to the waiting list (events.signal_handlers)."""
    with transaction.atomic():
        page = lock_event(event.pk)
        for name, value in fields.items():
            setattr(page, name, value)
        page.save_revision(user=user, log_action=False).publish(user=user)
    return event_pages().get(pk=event.pk)


def set_capacity(event, capacity, user=None):
    return publish_change(event, user, capacity=capacity)


def threshold_reached(event):
    groups = participating(event)
    if event.threshold_unit == Threshold.PEOPLE:
        return sum(seats for _n, seats, _m in groups.values()) >= event.threshold
    return len(groups) >= event.threshold


def decide_thresholds(today=None):
    """On its decision date, an event with a threshold is confirmed or cancelled, and everyone told."""
    today = today or timezone.localdate()
    due = (
        event_pages()
        .live()
        .filter(
            threshold__isnull=False,
            decision_date__lte=today,
            decided_at__isnull=True,
            state=EventState.SCHEDULED,
        )
    )
    decided = []
    for event in due.iterator():
        with transaction.atomic():
            event = lock_event(event.pk)
            if event.decided_at:
                continue
            go = threshold_reached(event)
            event_pages().filter(pk=event.pk).update(decided_at=timezone.now())
            event = publish_change(event, state=EventState.CONFIRMED if go else EventState.CANCELLED)
            log(instance=event, action="events.event.confirmed" if go else "events.event.cancelled")
            email_everyone(
                event,
                "events/emails/event_confirmed" if go else "events/emails/event_cancelled",
                f"events.decision:{event.pk}",
            )
            decided.append((event, go))
    return decided


def cancel_event(event, user=None, message=""):
    with transaction.atomic():
        event = lock_event(event.pk)
        if event.state == EventState.CANCELLED:
            return event
        event = publish_change(event, user, state=EventState.CANCELLED)
        log(instance=event, action="events.event.cancelled", user=user)
        email_everyone(
            event, "events/emails/event_cancelled", f"events.cancelled:{event.pk}", message=message
        )
    return event


def send_final_shares(now=None):
    """When registration has closed, each participating organisation receives its final share."""
    now = now or timezone.now()
    closed = Q(registration_closes__lte=now) | Q(registration_closes__isnull=True, start__lte=now)
    due = (
        event_pages()
        .live()
        .filter(closed, total_cost__isnull=False, shares_sent_at__isnull=True)
        .exclude(state=EventState.CANCELLED)
    )
    sent = 0
    for event in due.iterator():
        with transaction.atomic():
            event = lock_event(event.pk)
            if event.shares_sent_at:
                continue
            groups = participating(event)
            for (name, seats, amount), (_n, _s, members) in zip(
                cost_shares(event, groups), groups.values(), strict=True
            ):
                for registration in members:
                    send_final_share(
                        registration,
                        event,
                        organisation=name,
                        seats=seats,
                        amount=amount,
                        organisations=len(groups),
                    )
                    sent += 1
            event_pages().filter(pk=event.pk).update(shares_sent_at=now)
    return sent
