"""An editor adds a registration in the admin (a phone call, a paper form): the event's rules decide its
seats and state exactly as for the public form, so the admin can never overbook an event."""

import datetime

import pytest
from django.utils import timezone
from wagtail.models import ModelLogEntry

from events import services
from events.models import Registration
from website.models import OutgoingEmail

pytestmark = pytest.mark.django_db

ADD = "/admin/snippets/events/registration/add/"


@pytest.fixture
def editor(client, admin_user):
    client.force_login(admin_user)
    return admin_user


def posted(event, seats, **extra):
    data = {
        "event": str(event.pk),
        "contact_name": "Hélène Bélanger-Côté",
        "email": "helene@example.org",
        "organisation": "Écluse des Laurentides",
        "seats": str(seats),
        "attendee_names": "[]",
        "dietary_needs": "",
        "accessibility_needs": "",
        "language": "fr-ca",
    }
    data.update(extra)
    return data


def test_the_add_form_asks_who_and_how_many_never_the_state(client, editor, make_event):
    make_event()
    html = client.get(ADD).content.decode()
    assert 'name="event"' in html and 'name="seats"' in html and 'name="contact_name"' in html
    assert (
        'name="state"' not in html and 'name="attended"' not in html and 'name="seats_requested"' not in html
    )
    assert "mêmes règles que le formulaire public" in html


def test_an_editor_adding_a_registration_to_a_full_event_puts_it_on_the_waiting_list(
    client, editor, make_event, register
):
    event = make_event(capacity=2, max_seats=3)
    register(event, seats=2, organisation="Popote")
    response = client.post(ADD, posted(event, 1, state="confirmed"))
    assert response.status_code == 302, response.content.decode()[:3000]
    added = Registration.objects.get(email="helene@example.org")
    assert added.state == Registration.State.WAITING and added.seats == 1
    assert services.seats_taken(event) == 2 == event.capacity
    assert added.member_organisation is not None  # linked as the public form links it
    assert OutgoingEmail.objects.filter(tag="events.waiting", to=["helene@example.org"]).count() == 1
    assert ModelLogEntry.objects.filter(
        object_id=str(added.pk), action="events.registration.waiting"
    ).exists()


def test_an_editor_adding_a_registration_that_fits_confirms_it_and_emails_the_person(
    client, editor, make_event
):
    event = make_event(capacity=5, max_seats=3)
    response = client.post(ADD, posted(event, 2, language="en"))
    assert response.status_code == 302
    added = Registration.objects.get(email="helene@example.org")
    assert added.state == Registration.State.CONFIRMED and added.seats == 2 and added.language == "en"
    assert OutgoingEmail.objects.filter(tag="events.confirmed", to=["helene@example.org"]).count() == 1


def test_more_seats_than_the_maximum_or_none_are_refused_next_to_the_field(client, editor, make_event):
    event = make_event(capacity=10, max_seats=2)
    for seats in (3, 0):
        response = client.post(ADD, posted(event, seats))
        assert response.status_code == 200
        html = response.content.decode()
        assert ("Au moins une place." if seats == 0 else "2") in html
    assert not Registration.objects.exists()
    assert not OutgoingEmail.objects.exists()


def test_a_closed_event_refuses_the_registration_and_keeps_what_was_typed(client, editor, make_event):
    event = make_event(capacity=10, registration_closes=timezone.now() - datetime.timedelta(hours=1))
    response = client.post(ADD, posted(event, 1))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Les inscriptions à cet événement sont fermées." in html
    assert "Hélène Bélanger-Côté" in html
    assert not Registration.objects.exists()
