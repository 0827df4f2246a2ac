"""Capacity counts people; the waiting list fills in arrival order, groups and partial seats included."""

import datetime

import pytest
from django.utils import timezone

from events import services
from events.models import EventPage, Registration
from website.models import OutgoingEmail

pytestmark = pytest.mark.django_db
S = Registration.State


def statuses(*registrations):
    return [Registration.objects.get(pk=r.pk).state for r in registrations]


def test_registrations_fill_seats_then_wait(make_event, register):
    event = make_event(capacity=5)
    a = register(event, seats=3)
    b = register(event, seats=2)
    c = register(event, seats=1)
    assert statuses(a, b, c) == [S.CONFIRMED, S.CONFIRMED, S.WAITING]
    assert services.seats_taken(event) == 5 and services.seats_left(event) == 0
    assert OutgoingEmail.objects.filter(tag="events.waiting", to=[c.email]).exists()
    confirmation = OutgoingEmail.objects.get(tag="events.confirmed", to=[a.email])
    assert confirmation.attachments[0]["mimetype"] == "text/calendar"
    assert "BEGIN:VEVENT" in confirmation.attachments[0]["content"]


def test_partial_registration_takes_what_is_left(make_event, register):
    event = make_event(capacity=5)
    register(event, seats=4)
    partial = register(event, seats=3, allow_partial=True)
    assert (partial.state, partial.seats) == (S.CONFIRMED, 1)


def test_cancelling_promotes_groups_in_order_skipping_those_that_do_not_fit(make_event, register):
    event = make_event(capacity=6)
    first = register(event, seats=4)
    register(event, seats=2)
    big = register(event, seats=5)  # waits; will not fit in 4
    small = register(event, seats=3)  # waits; fits in 4
    one = register(event, seats=1)  # waits; fits in what remains
    services.cancel(first)
    assert statuses(big, small, one) == [S.WAITING, S.CONFIRMED, S.CONFIRMED]
    assert services.seats_taken(event) == 6
    promoted = OutgoingEmail.objects.filter(tag="events.confirmed", subject__startswith="Une place")
    assert sorted(e.to[0] for e in promoted) == sorted([small.email, one.email])


def test_a_group_that_accepts_fewer_seats_gets_what_is_freed(make_event, register):
    event = make_event(capacity=4)
    first = register(event, seats=2)
    register(event, seats=2)
    group = register(event, seats=5, allow_partial=True, attendee_names=["A", "B", "C", "D", "E"])
    later = register(event, seats=1)
    assert group.state == S.WAITING
    services.cancel(first)
    group.refresh_from_db()
    assert (group.state, group.seats, group.attendee_names) == (S.CONFIRMED, 2, ["A", "B"])
    assert statuses(later) == [S.WAITING]


def test_hold_offers_a_seat_for_a_limited_time(make_event, register):
    event = make_event(capacity=2, hold_hours=24)
    first = register(event, seats=2)
    offered = register(event, seats=1)
    after = register(event, seats=1)
    services.cancel(first)
    offered.refresh_from_db()
    assert offered.state == S.OFFERED and offered.offer_expires_at > timezone.now()
    assert statuses(after) == [S.OFFERED]  # two seats freed: both offered
    services.accept_offer(offered)
    assert statuses(offered) == [S.CONFIRMED]
    # The other offer lapses; its seat goes to the next in line.
    late = register(event, seats=1)
    assert late.state == S.WAITING
    services.expire_offers(now=timezone.now() + datetime.timedelta(hours=25))
    assert statuses(after, late) == [S.CANCELLED, S.OFFERED]


def test_raising_capacity_promotes_the_waiting_list(make_event, register):
    event = make_event(capacity=1)
    register(event, seats=1)
    waiting = register(event, seats=2)
    services.set_capacity(event, 3)
    assert statuses(waiting) == [S.CONFIRMED]


def test_publishing_a_higher_capacity_in_the_editor_promotes(make_event, register):
    event = make_event(capacity=1)
    register(event, seats=1)
    waiting = register(event, seats=1)
    event.capacity = 2
    event.save_revision().publish()
    assert statuses(waiting) == [S.CONFIRMED]


def test_changing_seats_within_capacity(make_event, register):
    event = make_event(capacity=5)
    a = register(event, seats=2)
    register(event, seats=2)
    waiting = register(event, seats=2)
    services.change_seats(a, 3)
    assert Registration.objects.get(pk=a.pk).seats == 3
    with pytest.raises(services.RegistrationError):
        services.change_seats(a, 4)
    services.change_seats(a, 1)  # frees two: the waiting pair gets in
    assert statuses(waiting) == [S.CONFIRMED]


def test_approval_holds_seats_until_decided(make_event, register, admin_user):
    event = make_event(capacity=2, requires_approval=True)
    pending = register(event, seats=2)
    waiting = register(event, seats=1)
    assert (pending.state, waiting.state) == (S.PENDING, S.WAITING)
    services.reject(pending, user=admin_user)
    assert statuses(pending, waiting) == [S.REJECTED, S.PENDING]
    services.approve(Registration.objects.get(pk=waiting.pk), user=admin_user)
    assert statuses(waiting) == [S.CONFIRMED]


def test_closed_or_cancelled_events_refuse_registrations(make_event, register):
    closed = make_event(registration_closes=timezone.now() - datetime.timedelta(hours=1))
    with pytest.raises(services.RegistrationError):
        register(closed)
    cancelled = make_event(state=EventPage.State.CANCELLED)
    with pytest.raises(services.RegistrationError):
        register(cancelled)
