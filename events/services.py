"""Rules of events: capacity under a lock, the waiting list, cost shares, the go/no-go decision,
reminders. Views, admin actions and Celery tasks all call these."""

import datetime
from collections import OrderedDict
from decimal import ROUND_HALF_UP, Decimal

from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from wagtail.log_actions import log

from events.models import EventPage, Registration
from events.signals import registration_created
from website.i18n import absolute_reverse, canonical, current_language, in_active_locale, page_url
from website.outbox import queue_templated_email
from website.tokens import DAY, object_from_token, object_token

State = Registration.State
CENT = Decimal("0.01")
MANAGE_MAX_AGE = 365 * DAY


class RegistrationError(Exception):
    """A request the rules refuse; its message is for the person."""


# Links ------------------------------------------------------------------------------------------


def manage_url(registration, name="events:registration_manage"):
    """The magic link, in the language the person registered in (`/en/…` for English)."""
    token = object_token("registration.manage", registration)
    return absolute_reverse(name, language=registration.language, args=[token])


def registration_from_token(token):
    registrations = Registration.objects.select_related("event")
    return object_from_token(registrations, token, "registration.manage", MANAGE_MAX_AGE)


# Availability -----------------------------------------------------------------------------------


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
    return EventPage.objects.select_for_update().get(pk=event_id)


# Registering, changing, cancelling --------------------------------------------------------------


def register(event, *, seats, allow_partial=False, language=None, **fields):
    """Register `seats` people: confirmed (or pending approval) if they fit in the free seats, or if
    they accept the fewer seats that are left; otherwise on the waiting list, in arrival order.

    Taking free seats never jumps the queue: every change that frees seats promotes the waiting list
    first, so seats still free are seats no waiting entry can use."""
    with transaction.atomic():
        event = lock_event(event.pk)
        if not event.registration_is_open():
            raise RegistrationError("closed")
        if seats > event.max_seats:
            raise RegistrationError("too_many")  # more only through an editor (change_seats)
        free = event.capacity - seats_taken(event)
        if seats > free and allow_partial and free > 0:
            fields["seats_requested"] = seats
            seats = free
            fields["attendee_names"] = fields.get("attendee_names", [])[:free]
        if seats <= free:
            state = State.PENDING if event.requires_approval else State.CONFIRMED
        else:
            state = State.WAITING
        registration = Registration.objects.create(
            event=event,
            seats=seats,
            allow_partial=allow_partial,
            state=state,
            language=language or current_language(),
            **fields,
        )
        log(instance=registration, action=f"events.registration.{state}")
        send_state_email(registration)
        registration_created.send(sender=Registration, registration=registration)
    return registration


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


def send_state_email(registration, template=None, previous_state=None):
    """The email for the registration's new state; `previous_state` lets it say what changed
    (a cancelled waiting-list request gave back no seats)."""
    templates = {
        State.CONFIRMED: "events/emails/confirmed",
        State.PENDING: "events/emails/pending",
        State.WAITING: "events/emails/waiting",
        State.OFFERED: "events/emails/offered",
        State.CANCELLED: "events/emails/cancelled",
        State.REJECTED: "events/emails/rejected",
    }
    template = template or templates[registration.state]
    attachments = []
    if registration.state == State.CONFIRMED:
        from events.calendars import event_calendar

        attachments.append(
            {
                "filename": "evenement.ics",
                "content": event_calendar(registration.event, registration.language).decode(),
                "mimetype": "text/calendar",
            }
        )
    email_registration(
        template,
        registration,
        previous_state=previous_state,
        share=registration_share(registration),
        attachments=attachments,
        tag=f"events.{registration.state}",
    )


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


def visitor_may_change(registration, now=None):
    """Through the magic link, seats can be changed or given back only until the event starts; after
    that, only editors change a registration (its seats, attendance, state)."""
    return EventPage.objects.filter(pk=registration.event_id, start__gt=now or timezone.now()).exists()


def cancel(registration, user=None, *, visitor=False):
    """Idempotent: cancelling what is already cancelled or refused changes nothing. A visitor (the
    magic link) cannot cancel once the event has started."""
    if visitor and not visitor_may_change(registration):
        raise RegistrationError("started")
    active = [State.CONFIRMED, State.PENDING, State.OFFERED, State.WAITING]
    try:
        return move(
            registration, active, State.CANCELLED, "events.registration.cancelled", user=user, promote=True
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


def promote_waiting(event, now=None):
    """Give free seats to waiting entries in arrival order (the caller holds the event's lock).

    An entry that fits whole is promoted. One that does not fit is offered the seats that remain if it
    accepted partial seats; otherwise it keeps its place and the next entry that fits is promoted."""
    now = now or timezone.now()
    free = event.capacity - seats_taken(event)
    if free <= 0 or event.state == EventPage.State.CANCELLED:
        return []
    promoted = []
    for entry in (
        Registration.objects.select_for_update()
        .filter(event=event, state=State.WAITING)
        .order_by("created_at", "pk")
    ):
        if free <= 0:
            break
        if entry.seats > free:
            if not entry.allow_partial:
                continue
            entry.seats_requested = entry.seats_requested or entry.seats
            entry.seats = free
            entry.attendee_names = entry.attendee_names[:free]
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
        send_state_email(entry, "events/emails/promoted" if entry.state != State.OFFERED else None)
        free -= entry.seats
        promoted.append(entry)
    return promoted


def accept_offer(registration):
    if not visitor_may_change(registration):
        raise RegistrationError("started")
    to = State.PENDING if registration.event.requires_approval else State.CONFIRMED
    return move(registration, [State.OFFERED], to, "events.registration.accepted", offer_expires_at=None)


def expire_offers(now=None):
    """Offers not accepted in time are withdrawn; their seats go to the next entries."""
    now = now or timezone.now()
    events = set()
    for registration in Registration.objects.filter(state=State.OFFERED, offer_expires_at__lt=now).iterator():
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


def publish_change(event, user=None, **fields):
    """Change fields an editor also edits (state, capacity) the way the editor would: a new revision
    of the live page, published. The page editor opens the latest revision, so a change written to the
    row alone would be undone by the next edit. Publishing bumps SEQUENCE when dates or state change
    (EventPage.save) and gives new seats to the waiting list (events.wagtail_hooks)."""
    with transaction.atomic():
        page = lock_event(event.pk)
        for name, value in fields.items():
            setattr(page, name, value)
        page.save_revision(user=user, log_action=False).publish(user=user)
    return EventPage.objects.get(pk=event.pk)


def set_capacity(event, capacity, user=None):
    return publish_change(event, user, capacity=capacity)


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


# Cost sharing -----------------------------------------------------------------------------------


def participating(event):
    """Confirmed registrations grouped by organisation: {key: (name, seats, [registrations])}."""
    groups = OrderedDict()
    for registration in Registration.objects.filter(event=event, state=State.CONFIRMED).order_by(
        "created_at", "pk"
    ):
        name, seats, members = groups.get(registration.organisation_key, (registration.organisation, 0, []))
        groups[registration.organisation_key] = (name, seats + registration.seats, [*members, registration])
    return groups


def cost_shares(event, groups=None):
    """[(organisation, seats, amount)] under the event's rule and cap; amounts rounded to the cent."""
    if not event.shares_costs:
        return []
    groups = participating(event) if groups is None else groups
    if not groups:
        return []
    total = event.total_cost
    if event.cost_rule == EventPage.CostRule.PER_SEAT:
        all_seats = sum(seats for _name, seats, _members in groups.values())
        amounts = [total * seats / all_seats for _name, seats, _members in groups.values()]
    else:
        amounts = [total / len(groups)] * len(groups)
    if event.cost_cap is not None:
        amounts = [min(amount, event.cost_cap) for amount in amounts]
    return [
        (name, seats, amount.quantize(CENT, rounding=ROUND_HALF_UP))
        for (name, seats, _members), amount in zip(groups.values(), amounts, strict=True)
    ]


def share_preview(event):
    """What the page shows: the current share per organisation (or per seat), and the next one."""
    if not event.shares_costs:
        return None
    groups = participating(event)
    total, cap = event.total_cost, event.cost_cap
    if event.cost_rule == EventPage.CostRule.PER_SEAT:
        seats = sum(s for _n, s, _m in groups.values())
        per_seat = (total / seats).quantize(CENT) if seats else total
        return {"rule": "per_seat", "current": per_seat, "organisations": len(groups), "seats": seats}
    count = len(groups)
    current = total / max(count, 1)
    following = total / (count + 1)
    if cap is not None:
        current, following = min(current, cap), min(following, cap)
    return {
        "rule": "per_organisation",
        "current": current.quantize(CENT, rounding=ROUND_HALF_UP),
        "next": following.quantize(CENT, rounding=ROUND_HALF_UP),
        "organisations": count,
    }


def registration_share(registration):
    """How the cost applies to one registration, for its page and its emails (None: nothing to pay).

    `amount` is its organisation's share today (confirmed registrations only); it can still go down
    until registration closes, unless the final shares are sent (`final`)."""
    event = registration.event
    if not event.shares_costs:
        return None
    preview = share_preview(event)
    amount = None
    if registration.state == State.CONFIRMED:
        groups = participating(event)
        for key, (_name, _seats, share) in zip(groups, cost_shares(event, groups), strict=True):
            if key == registration.organisation_key:
                amount = share
    return {
        **preview,
        "total": event.total_cost,
        "cap": event.cost_cap,
        "amount": amount,
        "final": bool(event.shares_sent_at),
    }


def send_final_shares(now=None):
    """When registration has closed, each participating organisation receives its final share."""
    now = now or timezone.now()
    closed = Q(registration_closes__lte=now) | Q(registration_closes__isnull=True, start__lte=now)
    due = (
        EventPage.objects.live()
        .filter(closed, total_cost__isnull=False, shares_sent_at__isnull=True)
        .exclude(state=EventPage.State.CANCELLED)
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
                    email_registration(
                        "events/emails/final_share",
                        registration,
                        event=event,
                        organisation=name,
                        seats=seats,
                        amount=amount,
                        organisations=len(groups),
                        key=f"events.final_share:{registration.pk}",
                        tag="events.final_share",
                    )
                    sent += 1
            EventPage.objects.filter(pk=event.pk).update(shares_sent_at=now)
    return sent


# Go/no-go ---------------------------------------------------------------------------------------


def threshold_reached(event):
    groups = participating(event)
    if event.threshold_unit == EventPage.Threshold.PEOPLE:
        return sum(seats for _n, seats, _m in groups.values()) >= event.threshold
    return len(groups) >= event.threshold


def decide_thresholds(today=None):
    """On its decision date, an event with a threshold is confirmed or cancelled, and everyone told."""
    today = today or timezone.localdate()
    due = EventPage.objects.live().filter(
        threshold__isnull=False,
        decision_date__lte=today,
        decided_at__isnull=True,
        state=EventPage.State.SCHEDULED,
    )
    decided = []
    for event in due.iterator():
        with transaction.atomic():
            event = lock_event(event.pk)
            if event.decided_at:
                continue
            go = threshold_reached(event)
            EventPage.objects.filter(pk=event.pk).update(decided_at=timezone.now())
            event = publish_change(
                event, state=EventPage.State.CONFIRMED if go else EventPage.State.CANCELLED
            )
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
        if event.state == EventPage.State.CANCELLED:
            return event
        event = publish_change(event, user, state=EventPage.State.CANCELLED)
        log(instance=event, action="events.event.cancelled", user=user)
        email_everyone(
            event, "events/emails/event_cancelled", f"events.cancelled:{event.pk}", message=message
        )
    return event


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
    count = 0
    for registration in Registration.objects.filter(event=event, state__in=states).iterator():
        email_registration(
            "events/emails/bulk", registration, event=event, subject=subject, body=body, tag="events.bulk"
        )
        count += 1
    log(instance=event, action="events.event.emailed", user=user, data={"subject": subject, "count": count})
    return count


# Reminders and after the event ------------------------------------------------------------------


def send_reminders(now=None):
    """N days before (per event), one reminder per confirmed registration, with the online link."""
    now = now or timezone.now()
    horizon = now + datetime.timedelta(days=31)
    events = (
        EventPage.objects.live()
        .filter(start__gt=now, start__lte=horizon)
        .exclude(state=EventPage.State.CANCELLED)
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
                email_registration(
                    "events/emails/reminder",
                    registration,
                    event=event,
                    key=f"events.reminder:{registration.pk}:{event.start:%Y%m%d%H%M}",
                    tag="events.reminder",
                )
                sent += 1
    return sent


def confirm_presence(registration):
    Registration.objects.filter(pk=registration.pk, presence_confirmed_at__isnull=True).update(
        presence_confirmed_at=timezone.now()
    )


def release_unconfirmed(now=None):
    """For events that asked "still coming?", seats not confirmed one day before go to the waiting list."""
    now = now or timezone.now()
    events = EventPage.objects.live().filter(
        ask_still_coming=True, start__gt=now, start__lte=now + datetime.timedelta(days=1)
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
                send_state_email(registration, "events/emails/released")
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
    events = EventPage.objects.live().filter(
        end__lte=now, end__gte=now - datetime.timedelta(days=14), follow_up_sent_at__isnull=True
    )
    sent = 0
    for event in events.exclude(state=EventPage.State.CANCELLED).iterator():
        with transaction.atomic():
            if not EventPage.objects.filter(pk=event.pk, follow_up_sent_at__isnull=True).update(
                follow_up_sent_at=now
            ):
                continue
            present = Registration.objects.filter(event=event, state=State.CONFIRMED).filter(
                Q(attended__gt=0) | Q(attended__isnull=True)
            )
            for registration in present.iterator():
                email_registration(
                    "events/emails/follow_up",
                    registration,
                    event=event,
                    key=f"events.follow_up:{registration.pk}",
                    tag="events.follow_up",
                )
                sent += 1
    return sent


# Pages ------------------------------------------------------------------------------------------


def event_page_context(page, request):
    """What an event page shows. `page` is the page being read (French, or its English alias or
    translation): seats, shares, the form and its questions come from the source event, whose
    registrations every language shares; addresses stay in the reader's language."""
    from events.calendars import add_to_calendar_links
    from events.forms import RegistrationForm
    from events.schema import event_json_ld
    from website.models import OrganisationSettings

    event = canonical(page)
    left, share = seats_left(event), share_preview(event)
    organisation = OrganisationSettings.for_request(request).name
    return {
        "event": event,
        "seats_left": left,
        "share": share,
        "registration_open": event.registration_is_open(),
        "form": getattr(request, "registration_form", None) or RegistrationForm(event=event),
        "calendar_links": add_to_calendar_links(page),
        "json_ld": event_json_ld(page, organisation, left, share["current"] if share else None),
    }


def event_listing(index, request):
    from events.forms import EventFilterForm

    filters = EventFilterForm(request.GET)
    events = EventPage.objects.child_of(index).live().public().select_related("kind", "region")
    events = filters.filter(events)
    return {"filters": filters, "events": Paginator(events, 12).get_page(request.GET.get("page"))}


def upcoming_events(limit=3):
    """The home page's next events, as pages of the reader's language (links stay under `/en/`)."""
    return (
        in_active_locale(EventPage.objects.live().public())
        .filter(end__gte=timezone.now())
        .exclude(state=EventPage.State.CANCELLED)
        .select_related("kind", "region")
        .order_by("start")[:limit]
    )
