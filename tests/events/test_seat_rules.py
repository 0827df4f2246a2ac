"""Seats one visitor can take (#9): a per-event maximum per registration, more only through editors;
no change through the magic link once the event has started, while editors still can."""

import datetime
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.utils import timezone, translation

from events import services
from events.forms import RegistrationForm
from events.models import EventPage, Registration

pytestmark = pytest.mark.django_db


def manage_path(registration):
    return urlsplit(services.manage_url(registration)).path


def start_event(event):
    """The event began an hour ago (registrations were taken before)."""
    now = timezone.now()
    EventPage.objects.filter(pk=event.pk).update(
        start=now - datetime.timedelta(hours=1), end=now + datetime.timedelta(hours=2)
    )


def registration_post(**fields):
    return {"contact_name": "Personne", "email": "nobody@invalid.example", "organisation": "O", **fields}


def test_one_request_cannot_take_more_than_the_event_maximum(client, make_event):
    event = make_event(capacity=20, max_seats=4)
    response = client.post(event.url, registration_post(seats=14))
    assert response.status_code == 400
    html = response.content.decode()
    assert (
        "Au plus 4 places par inscription en ligne. Pour réserver davantage, écrivez à l&#x27;équipe." in html
    )
    assert 'id="error_1_id_seats"' in html  # next to the field
    assert not event.registrations.exists() and services.seats_left(event) == 20
    assert client.post(event.url, registration_post(seats=4)).status_code == 302
    assert services.seats_taken(event) == 4


def test_the_form_shows_the_maximum(client, make_event):
    html = client.get(make_event(capacity=20, max_seats=3).url).content.decode()
    assert "Au plus 3 places par inscription. Pour davantage, écrivez à l" in html
    assert 'max="3"' in html


def test_the_maximum_message_in_english(make_event):
    event = make_event(capacity=20, max_seats=2)
    with translation.override("en"):
        form = RegistrationForm(registration_post(seats=5), event=event)
        assert not form.is_valid()
        assert form.errors["seats"] == [
            "At most 2 seats per online registration. To book more, write to the team."
        ]
        assert (
            form.fields["seats"].help_text == "At most 2 seats per registration. For more, write to the team."
        )


def test_the_default_maximum_is_four_and_the_service_refuses_more(make_event):
    event = make_event(capacity=20, max_seats=EventPage._meta.get_field("max_seats").default)
    assert event.max_seats == 4
    with pytest.raises(services.RegistrationError, match="too_many"):
        services.register(event, seats=5, contact_name="X", email="x@example.org", organisation="O")
    assert not event.registrations.exists()


def test_the_magic_link_cannot_raise_seats_past_the_maximum(client, make_event, register):
    event = make_event(capacity=20, max_seats=4)
    registration = register(event, seats=1)
    response = client.post(manage_path(registration), {"seats": "8", "attendee_names": ""})
    assert (
        response.status_code == 400
        and "Au plus 4 places par inscription en ligne" in response.content.decode()
    )
    assert Registration.objects.get(pk=registration.pk).seats == 1
    assert client.post(manage_path(registration), {"seats": "4", "attendee_names": ""}).status_code == 302
    assert Registration.objects.get(pk=registration.pk).seats == 4


def test_seats_an_editor_gave_can_be_kept_or_lowered_but_not_raised_by_the_visitor(
    client, make_event, register, admin_user
):
    event = make_event(capacity=20, max_seats=4)
    registration = services.change_seats(register(event, seats=2), 8, user=admin_user)
    assert registration.seats == 8
    path = manage_path(registration)
    assert client.post(path, {"seats": "9", "attendee_names": ""}).status_code == 400
    assert client.post(path, {"seats": "8", "attendee_names": "Ana"}).status_code == 302
    assert client.post(path, {"seats": "6", "attendee_names": ""}).status_code == 302
    assert Registration.objects.get(pk=registration.pk).seats == 6


def test_after_the_start_the_magic_link_shows_but_no_longer_changes(client, make_event, register):
    event = make_event(capacity=20, max_seats=10)
    registration = register(event, seats=1)
    start_event(event)
    path = manage_path(registration)
    page = client.get(path).content.decode()
    assert "L'événement a commencé : l'inscription ne peut plus être modifiée" in unescape(page)
    assert 'name="seats"' not in page and "/annuler/" not in page
    changed = client.post(path, {"seats": "8", "attendee_names": ""}, follow=True)
    cancelled = client.post(path + "annuler/", follow=True)
    registration.refresh_from_db()
    assert registration.seats == 1 and registration.state == Registration.State.CONFIRMED
    for response in (changed, cancelled):
        assert "L'événement a commencé" in unescape(response.content.decode())


def test_after_the_start_services_refuse_the_visitor_but_not_an_editor(make_event, register, admin_user):
    event = make_event(capacity=20, max_seats=10)
    registration = register(event, seats=1)
    start_event(event)
    with pytest.raises(services.RegistrationError, match="started"):
        services.change_seats(registration, 8)
    with pytest.raises(services.RegistrationError, match="started"):
        services.cancel(registration, visitor=True)
    assert services.change_seats(registration, 3, user=admin_user).seats == 3
    assert services.cancel(registration, user=admin_user).state == Registration.State.CANCELLED


def test_an_offer_cannot_be_accepted_after_the_start(client, make_event, register):
    event = make_event(capacity=1, max_seats=2, hold_hours=48)
    first = register(event, seats=1)
    waiting = register(event, seats=1)
    services.cancel(first)
    assert Registration.objects.get(pk=waiting.pk).state == Registration.State.OFFERED
    start_event(event)
    client.post(manage_path(waiting) + "accepter/")
    assert Registration.objects.get(pk=waiting.pk).state == Registration.State.OFFERED
