"""An event an editor adds in the admin with a French title gets Wagtail's Unicode slug; its page, its
`.ics` and its registrations work in French and in English."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from events.models import EventKind, EventPage, Registration

pytestmark = pytest.mark.django_db

TITLE = "Formation : comptabilité partagée pour OBNL"
SLUG = "formation-comptabilité-partagée-pour-obnl"


def event_form_data(**fields):
    """The admin's create form for an event, as the browser posts it (publish unless told otherwise)."""
    start = timezone.localtime() + datetime.timedelta(days=20)
    return nested_form_data(
        {
            "title": TITLE,
            "slug": SLUG,
            "kind": EventKind.objects.get(slug="formation").pk,
            "state": "scheduled",
            "start": start.strftime("%Y-%m-%d 09:00"),
            "end": start.strftime("%Y-%m-%d 12:00"),
            "summary": "Tenir les livres à plusieurs.",
            "description": streamfield([]),
            "speakers": inline_formset([]),
            "questions": inline_formset([]),
            "venue": "Salle du conseil",
            "capacity": 12,
            "max_seats": 4,
            "hold_hours": 0,
            "reminder_days": 2,
            "cost_rule": "per_organisation",
            "threshold_unit": "organisations",
            "action-publish": "publish",
            **fields,
        }
    )


def add_in_admin(client, index, **fields):
    response = client.post(f"/admin/pages/add/events/eventpage/{index.pk}/", event_form_data(**fields))
    assert response.status_code == 302, re.findall(r'class="error-message">(.*?)<', response.content.decode())
    return EventPage.objects.get(title=TITLE, locale__language_code="fr-ca")


@pytest.fixture
def editor_client(client, admin_user):
    client.force_login(admin_user)
    return client


def test_an_event_added_in_the_admin_with_a_french_title_works_everywhere(editor_client, event_index):
    event = add_in_admin(editor_client, event_index)
    assert event.slug == SLUG and event.live
    client = editor_client
    client.logout()

    page = client.get(event.url)
    assert page.status_code == 200 and TITLE in page.content.decode()
    ics = client.get(reverse("event_calendar", args=[event.slug]))
    assert ics.status_code == 200
    (vevent,) = Calendar.from_ical(ics.content).walk("VEVENT")
    assert str(vevent["SUMMARY"]) == TITLE and str(vevent["UID"]) == f"{event.uid}@maillon"
    assert "filename*=utf-8''" in ics["Content-Disposition"].lower()

    english = client.get("/en" + event.url)
    assert english.status_code == 200
    html = english.content.decode()
    ics_link = re.search(r'href="([^"]*calendrier\.ics)"', html).group(1)
    assert ics_link.startswith("/en/evenements/")
    assert client.get(ics_link).status_code == 200

    response = client.post(
        "/en" + event.url,
        {"contact_name": "Robin", "email": "robin@example.org", "organisation": "North", "seats": 2},
    )
    assert response.status_code == 302 and response["Location"].startswith("/en/inscriptions/")
    registration = Registration.objects.get(email="robin@example.org")
    assert registration.event_id == event.pk  # the source event, not its English alias
    assert "10 places disponibles" in client.get(event.url).content.decode()
    assert "10 seats available" in client.get("/en" + event.url).content.decode()


def test_every_slug_route_takes_what_wagtail_generates(client, make_event):
    event = make_event(title="Café-rencontre à Sainte-Thérèse", slug="café-rencontre-à-sainte-thérèse")
    assert client.get(event.url).status_code == 200
    assert client.get(reverse("event_calendar", args=[event.slug])).status_code == 200
    assert client.get("/evenements/introuvable-é/calendrier.ics").status_code == 404


def test_the_ics_route_refuses_what_is_no_slug(client):
    for path in [
        "/evenements/a%00b/calendrier.ics",
        "/evenements/a%20b/calendrier.ics",
        "/en/evenements/%22/calendrier.ics",
    ]:
        assert client.get(path).status_code == 404, path
