"""Event pages, JSON-LD, the listing and its filters, ICS parsed back with icalendar."""

import datetime
import json
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from icalendar import Calendar

from events.models import EventPage, EventQuestion
from website.i18n import sync_page_tree

pytestmark = pytest.mark.django_db


def test_event_page_shows_details_share_and_hides_the_online_link(client, make_event, register):
    event = make_event(online_url="https://visio.example.org/secret", total_cost=1200, capacity=20)
    register(event, organisation="A")
    html = client.get(event.url).content.decode()
    assert event.title in html and "19 places disponibles" in html
    assert (
        "Coût actuel par organisme : 1\u202f200,00\u00a0$" in html
        or "Coût actuel par organisme : 1\u202f200\u00a0$" in html
    )
    assert "visio.example.org/secret" not in html
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["@type"] == "Event" and data["name"] == event.title
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$", data["startDate"])
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert data["offers"]["priceCurrency"] == "CAD" and data["organizer"]["name"]


def test_registration_form_redirects_to_the_magic_link_page(client, make_event):
    event = make_event(capacity=3, online_url="https://visio.example.org/secret")
    response = client.post(
        event.url,
        {
            "contact_name": "Dominique",
            "email": "d@example.org",
            "organisation": "Popote",
            "seats": 2,
            "attendee_names": "Dominique\nSam",
            "question_x": "",
        },
    )
    assert response.status_code == 302 and "/inscriptions/" in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert "Inscrite" in page and "https://visio.example.org/secret" in page


def test_registration_form_validates_in_french(client, make_event):
    event = make_event(capacity=3)
    response = client.post(
        event.url, {"contact_name": "<b>x</b>", "email": "nope", "organisation": "", "seats": 9}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Saisissez une adresse de courriel valide." in html
    assert "Au plus 3 places par inscription." in html
    assert 'id="error_1_id_contact_name"' in html and 'id="error_1_id_organisation"' in html
    assert not event.registrations.exists()


def test_custom_questions_are_asked_and_stored(client, make_event):
    event = make_event()
    EventQuestion.objects.create(
        page=event, label="Allergies sévères?", kind="yes_no", required=True, sort_order=0
    )
    EventQuestion.objects.create(
        page=event, label="Atelier préféré", kind="choice", choices="Matin\nAprès-midi", sort_order=1
    )
    response = client.post(
        event.url, {"contact_name": "D", "email": "d@example.org", "organisation": "O", "seats": 1}
    )
    assert response.status_code == 400
    q1, q2 = event.questions.all()
    client.post(
        event.url,
        {
            "contact_name": "D",
            "email": "d@example.org",
            "organisation": "O",
            "seats": 1,
            q1.field_name: "oui",
            q2.field_name: "Matin",
        },
    )
    assert event.registrations.get().answers == {"Allergies sévères?": "oui", "Atelier préféré": "Matin"}


def test_index_filters_and_empty_state(client, make_event):
    from events.models import EventKind

    make_event(title="Formation de mars", kind=EventKind.objects.get(slug="formation"), in_days=40)
    make_event(title="Réseautage", kind=EventKind.objects.get(slug="reseautage"), in_days=41)
    make_event(title="Formation passée", in_days=-30)
    html = client.get("/evenements/?type=formation").content.decode()
    assert "Formation de mars" in html and "Réseautage" not in html and "Formation passée" not in html
    assert "Formation passée" in client.get("/evenements/?periode=passes").content.decode()
    assert (
        "Aucun événement ne correspond"
        in client.get("/evenements/?type=webinaire&region=argenteuil").content.decode()
    )


def test_index_query_count_does_not_grow(client, make_event, django_assert_max_num_queries):
    for _ in range(2):
        make_event()
    client.get("/evenements/")
    with CaptureQueriesContext(connection) as few:
        client.get("/evenements/")
    for _ in range(10):
        make_event()
    with django_assert_max_num_queries(len(few)):
        html = client.get("/evenements/").content.decode()
    assert html.count('class="card h-100"') == 12


def parse(content):
    return Calendar.from_ical(content)


def test_feed_parses_back_with_stable_uids(client, make_event):
    make_event(title="Un")
    make_event(title="Deux")
    first = parse(client.get("/evenements/calendrier.ics").content)
    second = parse(client.get("/evenements/calendrier.ics").content)
    uids = [str(e["UID"]) for e in first.walk("VEVENT")]
    assert uids == [str(e["UID"]) for e in second.walk("VEVENT")]
    assert len(uids) == len(set(uids)) >= 2
    assert str(first["METHOD"]) == "PUBLISH"
    assert first.walk("VTIMEZONE")[0]["TZID"] == "America/Toronto"
    event = first.walk("VEVENT")[0]
    assert event["DTSTART"].dt.tzinfo is not None and event["DTSTAMP"]


def test_sequence_goes_up_when_the_date_changes(client, make_event):
    event = make_event(title="Déplacé")
    ics = lambda: parse(client.get(f"/evenements/{event.slug}/calendrier.ics").content).walk("VEVENT")[0]  # noqa: E731
    before = ics()
    assert int(before["SEQUENCE"]) == 0
    page = EventPage.objects.get(pk=event.pk)
    page.title = "Déplacé (titre)"
    page.save_revision().publish()
    assert int(ics()["SEQUENCE"]) == 0  # a title change does not reschedule
    page.start += datetime.timedelta(days=1)
    page.end += datetime.timedelta(days=1)
    page.save_revision().publish()
    after = ics()
    assert int(after["SEQUENCE"]) == 1 and str(after["UID"]) == str(before["UID"])
    assert after["DTSTART"].dt == page.start.replace(microsecond=0)


def test_add_to_calendar_links(client, make_event):
    event = make_event()
    html = client.get(event.url).content.decode()
    assert f'href="/evenements/{event.slug}/calendrier.ics"' in html
    assert "calendar.google.com/calendar/render?action=TEMPLATE" in html
    assert "outlook.live.com/calendar/0/deeplink/compose" in html
    assert timezone.now()


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_calendar_feed_costs_the_same_queries_for_few_or_many_events(client, make_event, prefix):
    """Measured at two sizes: three events, then thirty. Each keeps its address in the reader's language."""
    for _ in range(3):
        make_event()
    sync_page_tree()
    client.get(f"{prefix}/evenements/calendrier.ics")  # warm the site's root paths
    with CaptureQueriesContext(connection) as few:
        small = parse(client.get(f"{prefix}/evenements/calendrier.ics").content)
    for _ in range(27):
        make_event()
    sync_page_tree()  # the English aliases, as the admin makes them when an editor publishes
    client.get(f"{prefix}/evenements/calendrier.ics")
    with CaptureQueriesContext(connection) as many:
        large = parse(client.get(f"{prefix}/evenements/calendrier.ics").content)
    assert len(many) <= len(few), [q["sql"][:80] for q in many.captured_queries]
    assert len(large.walk("VEVENT")) == len(small.walk("VEVENT")) + 27
    urls = [str(item["url"]) for item in large.walk("VEVENT")]
    assert all(f"{settings.SITE_URL}{prefix}/evenements/" in url for url in urls), urls[:3]


def test_a_rendered_event_page_costs_at_most_fifteen_queries_whatever_the_registrations(
    client, make_event, register, settings
):
    """What a visitor with a session (or the first after a change) costs: the chrome kept in the cache,
    each language's Locale read once, the organisation's name from the chrome. Measured with few and
    with many registrations and events."""
    settings.PAGE_CACHE_SECONDS = 60
    client.cookies["session"] = "x"  # never a stored page
    event = make_event(capacity=200)
    register(event, seats=1)
    client.get(event.url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(event.url).status_code == 200
    for n in range(20):
        make_event()
        register(event, seats=2, organisation=f"Organisme {n}")
    with CaptureQueriesContext(connection) as many:
        page = client.get(event.url)
    assert page.context["seats_left"] == 200 - 41
    assert len(few) <= 15, [q["sql"][:80] for q in few.captured_queries]
    assert len(many) == len(few), [q["sql"][:80] for q in many.captured_queries]
