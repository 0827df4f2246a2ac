"""The public side of events as people use it: English readers stay in English from the event page to
every later email and magic-link page; each action says what happened; cancelling asks first; the
waiting list is spoken to as the waiting list. Emails are read as they arrive at a real SMTP server."""

import datetime
import re
from html import unescape

import pytest
from django.utils import translation
from icalendar import Calendar

from events import services
from events.models import Registration
from website.i18n import sync_page_tree
from website.models import OutgoingEmail
from website.outbox import deliver

pytestmark = pytest.mark.django_db

State = Registration.State


@pytest.fixture
def inbox(smtp):
    """Deliver what is queued through the loopback SMTP server; return the messages received since
    the last call, as (recipients, subject, plain body, message)."""
    seen = {"n": 0}

    def read():
        for pk in OutgoingEmail.objects.filter(state=OutgoingEmail.State.QUEUED).values_list("pk", flat=True):
            deliver(pk)
        new = smtp.messages[seen["n"] :]
        seen["n"] = len(smtp.messages)
        return [
            (to, " ".join(m["Subject"].split()), m.get_body(("plain",)).get_content(), m) for to, m in new
        ]

    return read


def paths(body):
    return re.findall(r"http://testserver(/\S*)", body)


def form(**overrides):
    data = {"contact_name": "Robin", "email": "robin@example.org", "organisation": "North Pantry", "seats": 1}
    return data | overrides


@pytest.fixture
def bilingual_event(make_event):
    def make(**fields):
        event = make_event(**fields)
        sync_page_tree()  # the English alias, as the admin makes for every new page
        return event

    return make


def messages_shown(html):
    return [" ".join(m.split()) for m in re.findall(r'role="status"[^>]*>(.*?)</div>', html, re.S)]


def test_registering_in_english_keeps_every_page_email_and_link_in_english(
    client, bilingual_event, register, inbox
):
    event = bilingual_event(capacity=2, title="Atelier : locaux partagés")
    english_page = client.get("/en" + event.url).content.decode()
    assert 'action="/en/evenements/' in english_page

    response = client.post("/en" + event.url, form(seats=2))
    assert response.status_code == 302 and response["Location"].startswith("/en/inscriptions/")
    registration = Registration.objects.get(email="robin@example.org")
    assert registration.language == "en" and registration.event_id == event.pk
    html = client.get(response["Location"]).content.decode()
    assert "<h1>My registration</h1>" in html
    assert f'href="/en{event.url}"' in html
    assert "Registration recorded. A confirmation email is on its way to robin@example.org." in html

    ((to, subject, body, message),) = inbox()
    assert to == ["robin@example.org"] and subject == "Registration confirmed: Atelier : locaux partagés"
    assert body.startswith("Hello Robin,")
    assert paths(body) and all(path.startswith("/en/") for path in paths(body))
    (ics,) = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    (vevent,) = Calendar.from_ical(ics.get_content()).walk("VEVENT")
    assert str(vevent["URL"]) == f"http://testserver/en{event.url}"

    # Later emails come from French contexts (an editor's screen, a French visitor, a scheduled job):
    # each still follows the language the person registered in.
    with translation.override("fr-ca"):
        waiting = register(event, seats=1, email="attente@example.org", language="en")
        assert waiting.state == State.WAITING
        register(event, seats=1, email="francais@example.org")
        services.bulk_email(event, "Stationnement", "Parking behind the hall.", [State.CONFIRMED])
        services.cancel(registration)  # frees two seats: both waiting entries are promoted
        services.send_reminders(now=event.start - datetime.timedelta(days=1))
        services.cancel_event(event, message="Snowstorm.")
    received = {(to[0], subject): body for to, subject, body, _m in inbox()}
    english = {key: body for key, body in received.items() if key[0] != "francais@example.org"}
    assert sorted(subject for _to, subject in english) == sorted(
        [
            "Stationnement",
            "Registration cancelled: Atelier : locaux partagés",
            "Waiting list: Atelier : locaux partagés",
            "A seat has freed up: Atelier : locaux partagés",
            "Reminder: Atelier : locaux partagés",
            "Event cancelled: Atelier : locaux partagés",
        ]
    ), sorted(english)
    for (_to, _subject), body in english.items():
        assert all(path.startswith("/en/") for path in paths(body)), body
        assert "Bonjour" not in body and "Votre inscription" not in body
    french_bodies = [body for (to, _s), body in received.items() if to == "francais@example.org"]
    assert french_bodies and all(not any(p.startswith("/en/") for p in paths(b)) for b in french_bodies)


def test_a_french_registration_gets_french_pages_and_links(client, bilingual_event, inbox):
    event = bilingual_event(capacity=5)
    response = client.post(event.url, form(email="dominique@example.org", contact_name="Dominique"))
    assert response["Location"].startswith("/inscriptions/")
    html = client.get(response["Location"]).content.decode()
    assert "Inscription enregistrée. Un courriel de confirmation est envoyé à dominique@example.org." in html
    ((_to, subject, body, _m),) = inbox()
    assert subject.startswith("Inscription confirmée") and body.startswith("Bonjour Dominique,")
    assert paths(body) and not any(path.startswith("/en/") for path in paths(body))


def test_the_waiting_list_is_told_it_waits_and_can_withdraw_without_giving_seats(client, make_event, inbox):
    event = make_event(capacity=1)
    client.post(event.url, form(email="first@example.org"))
    response = client.post(event.url, form(email="second@example.org"))
    html = client.get(response["Location"]).content.decode()
    assert "sur la liste d'attente" in html and "Un courriel est envoyé à second@example.org" in html
    assert "Vos places seront offertes" not in html
    assert "Votre demande sera retirée de la liste d'attente." in html

    cancel_url = response["Location"] + "annuler/"
    page = client.get(cancel_url).content.decode()
    assert "Retirer ma demande de la liste d'attente?" in page and "Vos places" not in page
    response = client.post(cancel_url, follow=True)
    assert "Votre demande est retirée de la liste d'attente." in unescape(response.content.decode())
    cancelled = [body for to, _s, body, _m in inbox() if to == ["second@example.org"]][-1]
    assert "retirée de la liste d'attente" in cancelled and "vos places vont" not in cancelled


def test_cancelling_asks_first_and_a_link_follower_changes_nothing(client, make_event, register, inbox):
    event = make_event(capacity=1)
    registration = register(event, seats=1)
    waiting = register(event, seats=1)
    cancel_url = services.manage_url(registration, "events:registration_cancel").removeprefix(
        "http://testserver"
    )

    for _scanner in range(3):  # mail scanners, link previews
        page = client.get(cancel_url)
        assert page.status_code == 200
    registration.refresh_from_db()
    assert registration.state == State.CONFIRMED
    html = page.content.decode()
    assert "Annuler mon inscription?" in html and "Vos places seront offertes" in html
    assert re.search(r'<form method="post"[^>]*>.*?>Annuler mon inscription</button>', html, re.S)
    assert "Non, garder mon inscription" in html

    response = client.post(cancel_url)
    assert response.status_code == 302
    registration.refresh_from_db()
    waiting.refresh_from_db()
    assert registration.state == State.CANCELLED and waiting.state == State.CONFIRMED
    html = client.get(response["Location"]).content.decode()
    assert "Votre inscription est annulée. Merci de nous avoir prévenus." in html
    # Once cancelled, the confirmation step leads back to the registration.
    assert client.get(cancel_url).status_code == 302


def test_changing_seats_names_and_needs_says_so(client, make_event, register):
    event = make_event(capacity=5)
    registration = register(event, seats=1)
    url = services.manage_url(registration).removeprefix("http://testserver")
    response = client.post(
        url,
        {
            "seats": 2,
            "attendee_names": "Alex\nSam",
            "dietary_needs": "Sans arachides",
            "accessibility_needs": "Fauteuil roulant",
        },
        follow=True,
    )
    assert "Inscription mise à jour." in response.content.decode()
    registration.refresh_from_db()
    assert (registration.seats, registration.attendee_names) == (2, ["Alex", "Sam"])
    assert (registration.dietary_needs, registration.accessibility_needs) == (
        "Sans arachides",
        "Fauteuil roulant",
    )
    html = client.get(url).content.decode()
    assert "Sans arachides" in html and "Fauteuil roulant" in html


def test_english_listing_home_and_calendar_feed_link_under_en(client, bilingual_event):
    event = bilingual_event(title="Réseautage : transport partagé")
    english_url = f"/en{event.url}"

    def event_links(html):
        return set(re.findall(r'href="([^"]*/evenements/[^"]+/)"', html))

    listing = client.get("/en/evenements/").content.decode()
    assert english_url in event_links(listing)
    assert all(link.startswith("/en/") for link in event_links(listing))
    home = client.get("/en/").content.decode()
    assert english_url in event_links(home) and all(link.startswith("/en/") for link in event_links(home))
    french_home = client.get("/").content.decode()
    assert event.url in event_links(french_home)
    assert not any(link.startswith("/en/") for link in event_links(french_home))

    feed = Calendar.from_ical(client.get("/en/evenements/calendrier.ics").content)
    urls = {str(v["SUMMARY"]): str(v["URL"]) for v in feed.walk("VEVENT")}
    assert urls[event.title] == f"http://testserver{english_url}"
    assert all(url.startswith("http://testserver/en/") for url in urls.values())
    french_feed = Calendar.from_ical(client.get("/evenements/calendrier.ics").content)
    assert {str(v["URL"]) for v in french_feed.walk("VEVENT")} >= {f"http://testserver{event.url}"}
