"""Visitor input on the event forms (issue 9) and what they explain (cost share, cap, partial
acceptance) in both languages; the `.ics` status; the demo's invented names."""

import re
from decimal import Decimal
from html import unescape

import pytest
from icalendar import Calendar

from events import services
from events.calendars import ics_status
from events.forms import MAX_NAME, NEEDS_MAX_LENGTH
from events.models import EventPage, Registration
from website.i18n import sync_page_tree
from website.models import OutgoingEmail

pytestmark = pytest.mark.django_db


def form(**overrides):
    data = {"contact_name": "Robin", "email": "robin@example.org", "organisation": "Popote", "seats": 1}
    return data | overrides


def field_error(html, name):
    match = re.search(rf'id="error_\d+_id_{name}"[^>]*>(.*?)</', html, re.S)
    return unescape(" ".join(match.group(1).split())) if match else None


@pytest.mark.parametrize(
    "field, value, french, english",
    [
        (
            "attendee_names",
            "Alex\n<img src=x onerror=alert(1)>",
            "Le HTML n'est pas accepté",
            "HTML is not accepted",
        ),
        ("attendee_names", "<<b>Sam", "Le HTML n'est pas accepté", "HTML is not accepted"),
        ("attendee_names", "A" * (MAX_NAME + 1), "au plus 120 caractères", "at most 120 characters"),
        ("dietary_needs", "x" * (NEEDS_MAX_LENGTH + 1), "1000", "1000"),
        ("accessibility_needs", "</p>rampe", "Le HTML n'est pas accepté", "HTML is not accepted"),
        ("contact_name", "n" * 121, "120", "120"),
        ("organisation", "o" * 201, "200", "200"),
        ("seats", "10000000000000000000000000000000000000000", "", ""),
        ("seats", "-3", "", ""),
        ("seats", "1e3", "", ""),
    ],
)
def test_every_visitor_field_is_bounded_and_filtered_with_an_error_next_to_it(
    client, make_event, field, value, french, english
):
    event = make_event(capacity=5)
    sync_page_tree()
    for prefix, expected in (("", french), ("/en", english)):
        response = client.post(prefix + event.url, form(**{"seats": 2, field: value}))
        assert response.status_code == 400
        error = field_error(response.content.decode(), field)
        assert error and expected in error, (prefix, error)
    assert not Registration.objects.filter(event=event).exists()


def test_the_magic_link_form_is_bounded_and_filtered_too(client, make_event, register):
    event = make_event(capacity=5)
    registration = register(event, seats=1, dietary_needs="Végétarien")
    url = services.manage_url(registration).removeprefix("http://testserver")
    for data, name in [
        ({"seats": 1, "attendee_names": "<script>alert(1)</script>"}, "attendee_names"),
        ({"seats": 1, "dietary_needs": "y" * (NEEDS_MAX_LENGTH + 1)}, "dietary_needs"),
        ({"seats": 1, "accessibility_needs": "<<img src=x onerror=alert(1)//<"}, "accessibility_needs"),
        ({"seats": "9" * 40}, "seats"),
        ({"seats": 2, "attendee_names": "A\nB\nC"}, "attendee_names"),
    ]:
        response = client.post(url, data)
        assert response.status_code == 400, data
        assert field_error(response.content.decode(), name), (name, response.content.decode()[:200])
    registration.refresh_from_db()
    assert (registration.seats, registration.attendee_names, registration.dietary_needs) == (
        1,
        [],
        "Végétarien",
    )


def test_the_cost_share_cap_and_partial_acceptance_are_explained_in_both_languages(
    client, make_event, register
):
    event = make_event(capacity=4, total_cost=Decimal("2469.00"), cost_cap=Decimal("1000.00"))
    sync_page_tree()
    register(event, seats=2, organisation="Comptoir")
    french = unescape(client.get(event.url).content.decode())
    assert "Le coût total de 2\u202f469\u00a0$ est partagé à parts égales" in french
    assert "Aucun organisme ne paie plus de 1\u202f000\u00a0$." in french
    english = unescape(client.get("/en" + event.url).content.decode())
    assert "The total cost of $2,469 is shared equally" in english
    assert "No organisation pays more than $1,000." in english

    response = client.post("/en" + event.url, form(seats=3, allow_partial="on", organisation="North Pantry"))
    registration = Registration.objects.get(email="robin@example.org")
    assert (registration.seats, registration.seats_requested, registration.language) == (2, 3, "en")
    page = unescape(client.get(response["Location"]).content.decode())
    assert "Registration recorded for 2 seats of the 3 requested: that is all that was left." in page
    assert (
        "You asked for 3 seats and accepted fewer: 2 were left, so your registration holds 2 seats." in page
    )
    assert "North Pantry's current share: $1,000." in page  # 2,469 / 2 = 1,234.50, capped
    email = OutgoingEmail.objects.get(to=["robin@example.org"])
    assert "You asked for 3 seats and accepted fewer" in email.body
    assert "North Pantry's current share: $1,000." in email.body
    assert "No organisation pays more than $1,000." in email.body

    french_registration = register(event, seats=1, organisation="Friperie")  # waiting list
    assert french_registration.state == Registration.State.WAITING
    event.cost_cap = None
    event.save()
    comptoir = Registration.objects.get(organisation="Comptoir")
    page = unescape(
        client.get(services.manage_url(comptoir).removeprefix("http://testserver")).content.decode()
    )
    assert "Part actuelle de Comptoir : 1\u202f234,50\u00a0$." in page


def test_ics_status_is_tentative_only_while_a_threshold_is_undecided(client, make_event):
    plain = make_event()
    with_threshold = make_event(threshold=3, decision_date=plain.start.date())
    decided = make_event(threshold=3, decision_date=plain.start.date(), state=EventPage.State.CONFIRMED)
    cancelled = make_event(state=EventPage.State.CANCELLED)
    assert [ics_status(e) for e in (plain, with_threshold, decided, cancelled)] == [
        "CONFIRMED",
        "TENTATIVE",
        "CONFIRMED",
        "CANCELLED",
    ]
    feed = Calendar.from_ical(client.get("/evenements/calendrier.ics").content)
    statuses = {str(v["SUMMARY"]): str(v["STATUS"]) for v in feed.walk("VEVENT")}
    assert statuses[plain.title] == "CONFIRMED" and statuses[with_threshold.title] == "TENTATIVE"


def test_demo_registrations_have_invented_names(demo_db):
    names = list(Registration.objects.values_list("contact_name", flat=True))
    assert names and "Personne-ressource" not in names
    assert all(" " in name for name in names)
