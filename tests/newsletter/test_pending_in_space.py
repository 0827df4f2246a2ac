"""A pending (never confirmed) newsletter subscription in Mon espace (newsletter/space.py): listed with its
state, its confirmation email sent again on request (a few times an hour per address), or cancelled,
leaving nothing behind. A confirmed subscription keeps its preferences link and can be neither."""

import re

import pytest
from django.test import Client

from newsletter import services
from newsletter.models import ConsentRecord, Subscriber
from tests.factories import SubscriberFactory, TopicFactory
from website import space
from website.models import OutgoingEmail, SpaceKey

pytestmark = pytest.mark.django_db

CLARA = "clara@example.org"


def space_page(client, email=CLARA, prefix=""):
    client.post(f"{prefix}/mon-espace/", {"email": email})
    key = SpaceKey.objects.get(email=email)
    return client.get(f"{prefix}/mon-espace/{space.token_for(key)}/").content.decode()


def form_action(html, path_part):
    return re.search(rf'<form method="post" action="([^"]*/en-attente/[^"]+/{path_part}/)"', html).group(1)


def confirmations():
    return OutgoingEmail.objects.filter(tag="newsletter.confirm", to=[CLARA])


@pytest.fixture
def pending(db):
    topic = TopicFactory(slug="generale", name="Infolettre générale")
    subscriber = services.subscribe(CLARA, topics=[topic], language="fr-ca", first_name="Clara")
    assert subscriber.state == Subscriber.State.PENDING and confirmations().count() == 1
    return subscriber


def test_a_pending_subscription_is_listed_with_its_state_and_both_actions(pending):
    html = space_page(Client())
    assert "En attente de confirmation" in html and "Infolettre générale" in html
    assert "Renvoyer le courriel de confirmation" in html and "Annuler l'inscription" in html
    assert "/infolettre/preferences/" not in html


def test_in_english_too(pending):
    html = space_page(Client(), prefix="/en")
    assert "Waiting for confirmation" in html
    assert "/en/" in form_action(html, "[a-z-]+")


def test_resending_queues_the_confirmation_again_a_few_times_an_hour(pending, settings):
    settings.NEWSLETTER_RESEND_RATE = "2/h"
    client = Client()
    resend = form_action(space_page(client), "renvoyer")
    answers = [client.post(resend).status_code for _ in range(3)]
    assert answers == [200, 200, 429]
    assert confirmations().count() == 3  # the sign-up's, then two resent
    link = re.search(r"http://testserver(/infolettre/confirmer/\S+/)", confirmations().last().body).group(1)
    client.post(link)
    pending.refresh_from_db()
    assert pending.state == Subscriber.State.CONFIRMED


def test_cancelling_leaves_nothing_and_the_link_is_then_dead(pending):
    client = Client()
    html = space_page(client)
    cancel, resend = form_action(html, "annuler"), form_action(html, "renvoyer")
    assert client.get(cancel).status_code == 405  # a link followed by a mail scanner changes nothing
    assert client.post(cancel).status_code == 200
    assert not Subscriber.objects.filter(email=CLARA).exists()
    assert not ConsentRecord.objects.filter(subscriber_id=pending.pk).exists()
    assert client.post(cancel).status_code == 404
    assert client.post(resend).status_code == 404
    assert confirmations().count() == 1


def test_a_confirmed_subscription_can_be_neither_resent_nor_cancelled(pending):
    client = Client()
    html = space_page(client)
    cancel, resend = form_action(html, "annuler"), form_action(html, "renvoyer")
    services.confirm(pending)
    assert client.post(resend).status_code == 404
    assert client.post(cancel).status_code == 404
    assert Subscriber.objects.get(email=CLARA).state == Subscriber.State.CONFIRMED
    html = space_page(client)
    assert "En attente de confirmation" not in html and "/infolettre/preferences/" in html


def test_a_forged_token_changes_nothing(pending):
    client = Client()
    assert client.post("/infolettre/en-attente/1:abc:def/annuler/").status_code == 404
    assert Subscriber.objects.filter(email=CLARA).exists()


def test_someone_elses_space_never_shows_the_pending_subscription(pending):
    SubscriberFactory(email="dan@example.org")
    html = space_page(Client(), email="dan@example.org")
    assert "En attente de confirmation" not in html and "/en-attente/" not in html
