"""Mon espace (website/space.py, website/space_views.py): one emailed link to everything a person left.
The same answer for a known and an unknown address; a link shows only its own person's records, and a
forged, expired, revoked or erased one shows the invalid-link page; the form is rate limited per client
and per address; the page's queries do not grow with the records."""

import json
import re
import time
from datetime import timedelta

import pytest
from django.core import signing
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape

from bulletin.models import Post
from newsletter.models import Subscriber
from tests.factories import PostFactory, SubscriberFactory, home_page
from website import privacy, space
from website.demo.pages import seed_support_form
from website.models import OutgoingEmail, SpaceKey, SupportRequest
from website.tokens import DAY, make_token

pytestmark = pytest.mark.django_db

ALICE = "alice@example.org"
BRUNO = "bruno@example.org"


def link_emails(to=None):
    emails = OutgoingEmail.objects.filter(tag="website.space_link")
    return [e for e in emails if to is None or e.to == [to]]


def ask(client, email, prefix="", **extra):
    return client.post(f"{prefix}/mon-espace/", {"email": email}, **extra)


def link_in(email):
    return re.search(r"https?://\S+/mon-espace/\S+/", email.body).group(0)


def path_of(url):
    return re.sub(r"^https?://[^/]+", "", url)


@pytest.fixture
def people(make_event, register):
    """Alice and Bruno each have a post, a registration and a subscription."""
    event = make_event(title="Formation comptabilité")
    for email, name in ((ALICE, "Alice"), (BRUNO, "Bruno")):
        PostFactory(
            title=f"Camion de {name}", contact_email=email, contact_name=name, organisation=f"Org {name}"
        )
        register(event, seats=2, email=email.upper(), contact_name=name, organisation=f"Org {name}")
        SubscriberFactory(email=email, first_name=name)
    return event


def space_page(client, email=ALICE, prefix=""):
    ask(client, email, prefix)
    return client.get(path_of(link_in(link_emails(email)[-1])))


def test_known_and_unknown_addresses_get_the_same_answer(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as queued:
        known = ask(Client(), "Alice@Example.org ")
    unknown = ask(Client(), "personne@example.org")
    assert (
        (known.status_code, known["Location"])
        == (unknown.status_code, unknown["Location"])
        == (
            302,
            "/mon-espace/lien-envoye/",
        )
    )
    assert Client().get(known["Location"]).content == Client().get(unknown["Location"]).content
    # Only the known address gets an email: a row queued for the worker, never sent inline.
    (email,) = link_emails()
    assert email.to == [ALICE] and email.state == OutgoingEmail.State.QUEUED
    assert len(queued) == 1
    assert "/mon-espace/" in email.body and "24" in email.body
    assert not SpaceKey.objects.filter(email="personne@example.org").exists()


def test_the_link_comes_in_the_language_it_was_asked_in(people):
    ask(Client(), ALICE, prefix="/en")
    (email,) = link_emails()
    assert email.subject == "The link to your space"
    assert "/en/mon-espace/" in link_in(email)
    page = Client().get(path_of(link_in(email)))
    assert page.status_code == 200 and "My space" in page.content.decode()


def test_a_link_shows_only_its_own_persons_records(people):
    page = space_page(Client()).content.decode()
    assert "Camion de Alice" in page and "Formation comptabilité" in page
    assert "Camion de Bruno" not in page and BRUNO not in page
    # Each record with the link its owner manages it with: the post, the registration, the preferences.
    post = Post.objects.get(contact_email=ALICE)
    assert re.search(r'href="/babillard/gerer/[^"]+/"', page)
    assert re.search(r'href="/inscriptions/[^"]+/"', page)
    assert re.search(r'href="/infolettre/preferences/[^"]+/"', page)
    manage = re.search(r'href="(/babillard/gerer/[^"]+/)"', page).group(1)
    assert post.title in Client().get(manage).content.decode()
    preferences = re.search(r'href="(/infolettre/preferences/[^"]+/)"', page).group(1)
    assert Client().get(preferences).context["subscriber"] == Subscriber.objects.get(email=ALICE)


def test_forged_expired_revoked_and_foreign_links_are_refused(people, monkeypatch):
    client = Client()
    assert space_page(client).status_code == 200
    key = SpaceKey.objects.get(email=ALICE)
    good = space.token_for(key)
    forged = good[:-3] + ("aaa" if not good.endswith("aaa") else "bbb")
    other_purpose = make_token("post.manage", key.pk, key.secret)
    real_time = time.time
    monkeypatch.setattr(signing.time, "time", lambda: real_time() - DAY - 60)
    expired = space.token_for(key)
    monkeypatch.setattr(signing.time, "time", real_time)
    for token in (forged, other_purpose, expired, "x" * 3000):
        response = client.get(f"/mon-espace/{token}/")
        assert response.status_code == 404
        assert "Lien invalide ou expiré" in response.content.decode()
    # Logging out everywhere voids every link sent so far, and forgets the pre-fill.
    out = client.post(f"/mon-espace/{good}/deconnexion/")
    assert out.status_code == 200 and out.cookies["maillon_prefill"].value == ""
    assert client.get(f"/mon-espace/{good}/").status_code == 404
    assert client.get(f"/mon-espace/{good}/donnees.json").status_code == 404


def test_the_form_is_rate_limited_per_client(people, settings):
    settings.PUBLIC_FORM_RATE = "2/d"
    client = Client()
    assert [ask(client, f"x{n}@example.org").status_code for n in range(2)] == [302, 302]
    refused = ask(client, ALICE)
    assert refused.status_code == 429
    assert "Trop d&#x27;envois" in refused.content.decode()
    assert not link_emails()


def test_one_address_gets_a_bounded_number_of_links_whoever_asks(people, settings):
    settings.SPACE_LINK_RATE = "2/h"
    answers = [ask(Client(), ALICE, REMOTE_ADDR=f"10.0.0.{n}").status_code for n in range(4)]
    assert answers == [302] * 4  # the same answer: nobody learns the address was asked for
    assert len(link_emails(ALICE)) == 2


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"email": ""},
        {"email": "pas une adresse"},
        {"email": "a" * 300 + "@example.org"},
        {"email": ["a", "b"]},
    ],
)
def test_bad_input_is_refused_next_to_the_field(db, data):
    response = Client().post("/mon-espace/", data)
    assert response.status_code == 400
    assert response.context["form"].errors["email"]
    assert not link_emails()


def test_download_and_erase_go_through_the_privacy_service(people):
    client = Client()
    page = space_page(client).content.decode()
    download = re.search(r'href="(/mon-espace/[^"]+/donnees.json)"', page).group(1)
    data = json.loads(client.get(download).content)
    assert data["address"] == ALICE
    assert [p["title"] for p in data["data"]["bulletin"]["posts"]] == ["Camion de Alice"]
    erase = re.search(r'href="(/mon-espace/[^"]+/effacer/)"', page).group(1)
    assert "Camion de Alice" in client.get(erase).content.decode()
    done = client.post(erase)
    assert done.status_code == 302 and done.cookies["maillon_prefill"].value == ""
    assert not Post.objects.filter(contact_email__iexact=ALICE).exists()
    assert Post.objects.filter(contact_email=BRUNO).exists()
    assert not SpaceKey.objects.exists()
    assert client.get(download).status_code == 404


def test_the_page_takes_the_same_queries_whatever_the_records(
    people, make_event, register, django_assert_num_queries
):
    client = Client()
    space_page(client)
    url = path_of(link_in(link_emails(ALICE)[-1]))
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for n in range(4):
        PostFactory(contact_email=ALICE, title=f"Autre annonce {n}")
        register(make_event(title=f"Autre événement {n}"), email=ALICE)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("/babillard/gerer/") == 5
    assert response.content.decode().count('href="/inscriptions/') == 5


def test_support_requests_show_where_their_follow_up_stands(people):
    support = seed_support_form(home_page())
    answers = {
        "nom_de_lorganisme": "Org Alice",
        "personne_ressource": "Alice",
        "courriel": ALICE,
        "region": "Mirabel",
        "decrivez_votre_projet": "Partager une salle.",
    }
    assert Client().post(support.url, answers).status_code == 302
    SupportRequest.objects.update(status=SupportRequest.Status.IN_PROGRESS)
    page = space_page(Client()).content.decode()
    assert escape(support.title) in page and "En cours" in page
    assert escape(support.title) not in space_page(Client(), BRUNO).content.decode()


def test_retention_deletes_a_key_once_all_its_links_have_expired(people):
    ask(Client(), ALICE)
    ask(Client(), BRUNO)
    SpaceKey.objects.filter(email=BRUNO).update(
        last_requested_at=timezone.now() - timedelta(days=1, minutes=1)
    )
    assert privacy.apply_outbox_retention()["space_keys_deleted"] == 1
    assert list(SpaceKey.objects.values_list("email", flat=True)) == [ALICE]
