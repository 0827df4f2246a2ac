"""Cost shares at every number of organisations, the go/no-go decision, reminders, follow-ups."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from events import services
from events.models import EventPage, Registration
from website.models import OutgoingEmail

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.mark.parametrize(
    "orgs, cap, expected",
    [
        (1, None, D("1200.00")),
        (2, None, D("600.00")),
        (3, None, D("400.00")),
        (4, None, D("300.00")),
        (5, None, D("240.00")),
        (7, None, D("171.43")),
        (1, D("500"), D("500.00")),
        (2, D("500"), D("500.00")),
        (3, D("500"), D("400.00")),
    ],
)
def test_equal_shares_at_each_number_of_organisations(make_event, register, orgs, cap, expected):
    event = make_event(capacity=30, total_cost=D("1200"), cost_cap=cap)
    for i in range(orgs):
        register(event, seats=1 + i % 3, organisation=f"Organisme {i}")
    register(event, seats=1, organisation=" organisme  0 ")  # the same organisation, written differently
    shares = services.cost_shares(event)
    assert len(shares) == orgs
    assert {amount for _name, _seats, amount in shares} == {expected}
    assert services.share_preview(event)["current"] == expected


def test_share_preview_says_what_one_more_organisation_would_pay(make_event, register):
    event = make_event(capacity=30, total_cost=D("1200"))
    register(event, organisation="A")
    register(event, organisation="B")
    preview = services.share_preview(event)
    assert (preview["current"], preview["next"]) == (D("600.00"), D("400.00"))


def test_per_seat_shares(make_event, register):
    event = make_event(
        capacity=30, total_cost=D("1000"), cost_rule=EventPage.CostRule.PER_SEAT, cost_cap=D("450")
    )
    register(event, seats=1, organisation="A")
    register(event, seats=3, organisation="B")
    register(event, seats=6, organisation="C")
    assert [(name, seats, amount) for name, seats, amount in services.cost_shares(event)] == [
        ("A", 1, D("100.00")),
        ("B", 3, D("300.00")),
        ("C", 6, D("450.00")),  # 600 capped
    ]


def test_waiting_and_cancelled_registrations_do_not_share_costs(make_event, register):
    event = make_event(capacity=2, total_cost=D("900"))
    a = register(event, seats=1, organisation="A")
    register(event, seats=1, organisation="B")
    register(event, seats=1, organisation="C")  # waiting
    services.cancel(a)  # C takes A's place
    assert sorted(name for name, _s, _a in services.cost_shares(event)) == ["B", "C"]


def test_final_shares_are_emailed_once_when_registration_closes(make_event, register):
    event = make_event(
        capacity=10, total_cost=D("600"), registration_closes=timezone.now() + datetime.timedelta(hours=1)
    )
    register(event, seats=2, organisation="A")
    register(event, seats=1, organisation="B")
    assert services.send_final_shares() == 0  # not closed yet
    later = timezone.now() + datetime.timedelta(hours=2)
    assert services.send_final_shares(now=later) == 2
    assert services.send_final_shares(now=later) == 0
    bodies = [e.body for e in OutgoingEmail.objects.filter(tag="events.final_share")]
    assert all("300\u00a0$" in body for body in bodies)
    assert any("2 organismes partagent" in body for body in bodies)


def decision_event(make_event, **fields):
    return make_event(capacity=20, threshold=3, decision_date=timezone.localdate(), **fields)


def test_threshold_reached_confirms_and_tells_everyone(make_event, register):
    event = decision_event(make_event)
    for org in "ABC":
        register(event, organisation=org)
    [(decided, go)] = services.decide_thresholds()
    assert go and EventPage.objects.get(pk=event.pk).state == EventPage.State.CONFIRMED
    assert OutgoingEmail.objects.filter(tag="events.broadcast").count() == 3
    assert services.decide_thresholds() == []  # decided once


def test_threshold_missed_cancels_and_tells_everyone(make_event, register):
    event = decision_event(make_event)
    register(event, organisation="A", seats=5)
    register(event, organisation="A", seats=5)  # many people, one organisation
    [(decided, go)] = services.decide_thresholds()
    event.refresh_from_db()
    assert not go and event.state == EventPage.State.CANCELLED and event.sequence >= 1
    emails = OutgoingEmail.objects.filter(tag="events.broadcast")
    assert emails.count() == 2 and all("annulé" in e.subject for e in emails)


def test_threshold_in_people(make_event, register):
    event = decision_event(make_event, threshold_unit=EventPage.Threshold.PEOPLE)
    register(event, organisation="A", seats=3)
    assert services.decide_thresholds()[0][1] is True


def test_decision_waits_for_its_date(make_event, register):
    make_event(capacity=5, threshold=1, decision_date=timezone.localdate() + datetime.timedelta(days=1))
    assert services.decide_thresholds() == []


def test_reminder_once_with_online_link_then_release_of_unconfirmed(make_event, register):
    event = make_event(capacity=2, in_days=1, online_url="https://visio.example.org/x", ask_still_coming=True)
    coming = register(event)
    silent = register(event)
    waiting = register(event)
    assert services.send_reminders() == 2
    assert services.send_reminders() == 0
    reminder = OutgoingEmail.objects.filter(tag="events.reminder").first()
    assert "https://visio.example.org/x" in reminder.body and "/inscriptions/" in reminder.body
    services.confirm_presence(coming)
    assert services.release_unconfirmed() == 1
    statuses = {r.pk: r.state for r in Registration.objects.all()}
    assert statuses[silent.pk] == Registration.State.CANCELLED
    assert statuses[coming.pk] == Registration.State.CONFIRMED
    assert statuses[waiting.pk] == Registration.State.CONFIRMED


def test_reminder_waits_until_n_days_before(make_event, register):
    event = make_event(in_days=5, reminder_days=2)
    register(event)
    assert services.send_reminders() == 0
    assert services.send_reminders(now=event.start - datetime.timedelta(days=2)) == 1


def test_follow_up_goes_to_those_present(make_event):
    event = make_event(in_days=-1, satisfaction_url="https://sondage.example.org/1")
    # Registration is closed for a past event: rows made directly.
    a = Registration.objects.create(
        event=event,
        organisation="A",
        contact_name="A",
        email="a@example.org",
        seats=2,
        state=Registration.State.CONFIRMED,
    )
    b = Registration.objects.create(
        event=event,
        organisation="B",
        contact_name="B",
        email="b@example.org",
        seats=1,
        state=Registration.State.CONFIRMED,
    )
    services.mark_attendance(event, {a.pk: 2, b.pk: 0})
    assert services.send_follow_ups() == 1
    email = OutgoingEmail.objects.get(tag="events.follow_up")
    assert email.to == ["a@example.org"] and "https://sondage.example.org/1" in email.body


def test_final_shares_without_a_closing_date_go_out_when_the_event_starts(make_event, register):
    event = make_event(capacity=10, total_cost=D("300"), in_days=1)
    register(event, organisation="A")
    assert services.send_final_shares() == 0
    assert services.send_final_shares(now=event.start + datetime.timedelta(minutes=1)) == 1


def test_an_editor_publishing_after_an_automatic_decision_keeps_it(make_event, register):
    event = decision_event(make_event)
    register(event, organisation="A")
    services.decide_thresholds()
    # The editor opens the page (the latest revision) and publishes a new title.
    page = EventPage.objects.get(pk=event.pk).get_latest_revision_as_object()
    page.title = "Titre corrigé"
    page.save_revision().publish()
    event = EventPage.objects.get(pk=event.pk)
    assert event.state == EventPage.State.CANCELLED and event.decided_at is not None
    assert event.title == "Titre corrigé"
    # Even republishing the oldest revision keeps what the system decided and counted.
    sequence = event.sequence
    event.revisions.order_by("created_at").first().publish()
    event = EventPage.objects.get(pk=event.pk)
    assert event.decided_at is not None and event.sequence >= sequence
