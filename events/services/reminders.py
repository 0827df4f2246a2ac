"""Before and after the event: reminders N days before, "still coming?" and the seats released the day
before, attendance, and the follow-up email."""

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from wagtail.log_actions import log

from events.emails import send_follow_up, send_released_email, send_reminder
from events.models.records import EventState, Registration, event_pages
from events.services.seats import lock_event
from events.services.waiting_list import promote_waiting

State = Registration.State


def send_reminders(now=None):
    """N days before (per event), one reminder per confirmed registration, with the online link."""
    now = now or timezone.now()
    horizon = now + datetime.timedelta(days=31)
    events = (
        event_pages().live().filter(start__gt=now, start__lte=horizon).exclude(state=EventState.CANCELLED)
    )
    sent = 0
    for event in events.iterator():
        if event.start - datetime.timedelta(days=event.reminder_days) > now:
            continue
        due = Registration.objects.filter(event=event, state=State.CONFIRMED, reminder_sent_at__isnull=True)
        for registration in due.iterator():
            with transaction.atomic():
                if not Registration.objects.filter(pk=registration.pk, reminder_sent_at__isnull=True).update(
                    reminder_sent_at=now
                ):
                    continue
                send_reminder(registration, event)
                sent += 1
    return sent


def confirm_presence(registration):
    Registration.objects.filter(pk=registration.pk, presence_confirmed_at__isnull=True).update(
        presence_confirmed_at=timezone.now()
    )


def release_unconfirmed(now=None):
    """For events that asked "still coming?", seats not confirmed one day before go to the waiting list."""
    now = now or timezone.now()
    events = (
        event_pages()
        .live()
        .filter(ask_still_coming=True, start__gt=now, start__lte=now + datetime.timedelta(days=1))
    )
    released = 0
    for event in events.iterator():
        with transaction.atomic():
            event = lock_event(event.pk)
            unconfirmed = Registration.objects.filter(
                event=event,
                state=State.CONFIRMED,
                reminder_sent_at__isnull=False,
                presence_confirmed_at__isnull=True,
            )
            for registration in unconfirmed:
                registration.state = State.CANCELLED
                registration.save(update_fields=["state", "updated_at"])
                log(instance=registration, action="events.registration.released")
                send_released_email(registration)
                released += 1
            promote_waiting(event, now)
    return released


def mark_attendance(event, attended_by_pk):
    with transaction.atomic():
        for registration in Registration.objects.filter(event=event, state=State.CONFIRMED):
            value = attended_by_pk.get(registration.pk)
            Registration.objects.filter(pk=registration.pk).update(attended=value)


def send_follow_ups(now=None):
    now = now or timezone.now()
    events = (
        event_pages()
        .live()
        .filter(end__lte=now, end__gte=now - datetime.timedelta(days=14), follow_up_sent_at__isnull=True)
    )
    sent = 0
    for event in events.exclude(state=EventState.CANCELLED).iterator():
        with transaction.atomic():
            if (
                not event_pages()
                .filter(pk=event.pk, follow_up_sent_at__isnull=True)
                .update(follow_up_sent_at=now)
            ):
                continue
            present = Registration.objects.filter(event=event, state=State.CONFIRMED).filter(
                Q(attended__gt=0) | Q(attended__isnull=True)
            )
            for registration in present.iterator():
                send_follow_up(registration, event)
                sent += 1
    return sent
