"""A person who left something everywhere, through the public forms, on the demo site."""

import datetime
import re
from dataclasses import dataclass, field

import pytest
from django.utils import timezone

from website.i18n import in_default_locale
from website.models import OutgoingEmail

EMAIL = "Ginette.Plouffe@Exemple.org"  # typed with capitals: matching must ignore case
NAME = "Ginette Plouffe-Arsenault"
PHONE = "450 555-0142"
COLLEAGUE = "Réjean Tremblay-Ouellet"
DIETARY = "Allergie arachides"
ACCESS = "Fauteuil roulant"
ANSWER = "Je viendrai avec mon chien-guide Filou"
POST_TEXT = "Notre fourgonnette bleue de Sainte-Sophie"
CLOSED_TEXT = "Salle du sous-sol de la rue Filion"
MESSAGE = "Bonjour, la fourgonnette serait parfaite pour notre popote du jeudi"
REPORT = "Cette annonce est un doublon de la mienne"
PROJECT = "Partager une cuisine avec la Maison Sainte-Anne"

# What must be gone from every table after the erasure (what the network keeps says none of it).
NEEDLES = [
    EMAIL,
    NAME,
    PHONE,
    COLLEAGUE,
    DIETARY,
    ACCESS,
    ANSWER,
    POST_TEXT,
    CLOSED_TEXT,
    MESSAGE,
    REPORT,
    PROJECT,
]


@pytest.fixture
def demo(demo_db):
    """The demo site, seeded once per module (tests/conftest.py, `demo_db`)."""


def link_in(path, to=None, key=None):
    """The path of the first link to `path` in the emails queued so far (newest first)."""
    emails = OutgoingEmail.objects.order_by("-pk")
    if key:
        emails = emails.filter(key=key)
    for email in emails:
        if to and to.lower() not in [address.lower() for address in email.to]:
            continue
        found = re.search(rf"http://testserver({path}[^\s]+/)", email.body)
        if found:
            return found.group(1)
    raise AssertionError(f"no link to {path} in the outbox")


def follow(client, path):
    """Open an emailed link as a person does: a GET, then the button's POST if the page asks for one."""
    client.get(path)
    client.post(path)


@dataclass
class Footprint:
    email: str = EMAIL
    posts: list = field(default_factory=list)
    closed_post: object = None
    upcoming_registration: object = None
    past_registration: object = None


def post_data(category, region, **overrides):
    from bulletin.models import Post

    data = {
        "kind": "offre",
        "title": "Fourgonnette à partager",
        "description": POST_TEXT,
        "category": category.pk,
        "regions": [region.pk],
        "organisation": "Popote roulante des Hautes-Terres",
        "contact_name": NAME,
        "contact_email": EMAIL,
        "phone": PHONE,
        "show_phone": "on",
        "expires_on": Post.default_expiry().isoformat(),
        "premises_accessible": "unknown",
        "notify_matches": "on",
    }
    data.update(overrides)
    return data


@pytest.fixture
def footprint(demo, client):
    """Ginette posts twice on the board (one post later closed with its outcome), receives a relayed
    message, writes to another poster, reports a post, subscribes to alerts, registers for an event to
    come (needs, answers, colleague's name, newsletter box) and for one now past, confirms her
    newsletter subscription, receives an issue and asks for support."""
    from bulletin import services as board
    from bulletin.models import Post
    from events import services as events
    from events.models import EventPage, EventQuestion, Registration
    from newsletter import sending
    from newsletter.models import NewsletterIssuePage, Subscriber
    from website.models import Region, ResourceCategory

    found = Footprint()
    transport = ResourceCategory.objects.get(slug="transport")
    premises = ResourceCategory.objects.get(slug="locaux")
    mirabel = Region.objects.get(slug="mirabel")

    # Board: two posts through the form, confirmed through the emailed link, published by an editor.
    assert client.post("/babillard/publier/", post_data(transport, mirabel)).status_code == 302
    closed_data = post_data(premises, mirabel, title="Salle à partager", description=CLOSED_TEXT)
    assert client.post("/babillard/publier/", closed_data).status_code == 302
    for post in Post.objects.filter(contact_email__iexact=EMAIL).order_by("pk"):
        follow(client, link_in("/babillard/confirmer/", key=f"bulletin.confirm:{post.pk}"))
        post.refresh_from_db()
        assert post.state == Post.State.PENDING
        board.approve_post(post)
        found.posts.append(post)
    open_post, closed = found.posts
    # Someone writes to her through the relay; she closes the second post with its outcome.
    message = {"sender_name": "Luc", "sender_email": "luc@example.org", "body": "Est-elle libre lundi?"}
    assert client.post(f"/babillard/{open_post.pk}/contact/", message).status_code == 302
    board.close_post(closed, "shared", partner_organisation="Maison des jeunes", savings_money=800)
    found.closed_post = closed

    # She writes to another poster, and reports another post.
    other = Post.objects.published().exclude(contact_email__iexact=EMAIL).first()
    her_message = {
        "sender_name": NAME,
        "sender_email": EMAIL,
        "body": MESSAGE,
        "sender_organisation": "Popote",
    }
    assert client.post(f"/babillard/{other.pk}/contact/", her_message).status_code == 302
    report = {"email": EMAIL, "reason": "misleading", "details": REPORT}
    assert client.post(f"/babillard/{other.pk}/signaler/", report).status_code == 302

    # Alerts, confirmed.
    alert = {"email": EMAIL, "kind": "", "category": transport.pk, "region": "", "consent": "on"}
    assert client.post("/babillard/alertes/", alert).status_code == 200
    follow(client, link_in("/babillard/alertes/confirmer/", to=EMAIL))

    # Events: one to come (needs, answers, a colleague, the newsletter box), one now past, attended.
    upcoming = in_default_locale(EventPage.objects).get(slug="reseautage-basses-laurentides")
    question = EventQuestion.objects.create(page=upcoming, label="Autre chose à nous dire?", kind="text")
    registration = {
        "contact_name": NAME,
        "email": EMAIL,
        "organisation": "Popote roulante des Hautes-Terres",
        "seats": 2,
        "attendee_names": f"{NAME}\n{COLLEAGUE}",
        "dietary_needs": DIETARY,
        "accessibility_needs": ACCESS,
        "newsletter_consent": "on",
        question.field_name: ANSWER,
    }
    assert client.post(upcoming.url, registration).status_code == 302
    found.upcoming_registration = Registration.objects.get(event=upcoming, email__iexact=EMAIL)
    soon_past = in_default_locale(EventPage.objects).get(slug="webinaire-ententes")
    assert client.post(soon_past.url, {**registration, "seats": 1, "attendee_names": NAME}).status_code == 302
    start = timezone.now() - datetime.timedelta(days=3)
    EventPage.objects.filter(pk=soon_past.pk).update(start=start, end=start + datetime.timedelta(hours=1))
    events.mark_attendance(soon_past, {r.pk: 1 for r in soon_past.registrations.all()})
    found.past_registration = Registration.objects.get(event=soon_past, email__iexact=EMAIL)

    # Newsletter: the event's box made her pending; she signs up on the form too, then confirms.
    signup = {"email": EMAIL, "first_name": "Ginette", "language": "fr-ca", "consent": "on"}
    from newsletter.models import Topic

    signup["topics"] = [Topic.objects.order_by("pk").first().pk]
    assert client.post("/infolettre/inscription/", signup).status_code == 302
    follow(client, link_in("/infolettre/confirmer/", to=EMAIL))
    assert Subscriber.objects.get(email__iexact=EMAIL).state == Subscriber.State.CONFIRMED
    # An issue goes out: her delivery row.
    issue = in_default_locale(NewsletterIssuePage.objects).first()
    sending.prepare(sending.start(issue).pk)

    # Support form.
    support = {
        "nom_de_lorganisme": "Popote roulante des Hautes-Terres",
        "personne_ressource": NAME,
        "courriel": EMAIL,
        "telephone": PHONE,
        "region": "Mirabel",
        "ce_que_vous_souhaitez_mutualiser": ["Locaux"],
        "decrivez_votre_projet": PROJECT,
    }
    assert client.post("/accompagnement/", support).status_code == 302
    return found
