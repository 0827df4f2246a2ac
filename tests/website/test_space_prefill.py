"""Forms visited after a person's space are pre-filled (website/prefill.py): board post, event
registration, newsletter sign-up and support request, from a signed, HttpOnly cookie; a pre-filled page
is private and never stored by, nor served from, the anonymous page cache."""

import re

import pytest
from django.test import Client

from tests.factories import PostFactory, SubscriberFactory, home_page
from website import prefill, space
from website.demo.pages import seed_support_form
from website.models import SpaceKey

pytestmark = pytest.mark.django_db

ALICE = "alice@example.org"


@pytest.fixture
def alice(make_event, register):
    """Alice has a post, a registration and a subscription; a client that followed her space's link."""
    event = make_event(title="Formation comptabilité", slug="formation-comptabilite")
    PostFactory(contact_email=ALICE, contact_name="Alice Tremblay", organisation="Org Alice")
    register(event, email=ALICE, contact_name="Alice Tremblay", organisation="Org Alice")
    SubscriberFactory(email=ALICE, first_name="Alice")
    client = Client()
    client.post("/mon-espace/", {"email": ALICE})
    key = SpaceKey.objects.get(email=ALICE)
    response = client.get(f"/mon-espace/{space.token_for(key)}/")
    assert response.status_code == 200
    return client, response, event


def field_value(response, name):
    found = re.search(rf'<input[^>]*name="{name}"[^>]*>', response.content.decode())
    value = found and re.search(r'value="([^"]*)"', found.group(0))
    return value.group(1) if value else ""


def test_the_space_leaves_a_signed_httponly_cookie(alice):
    _client, response, _event = alice
    cookie = response.cookies[prefill.COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == 30 * 24 * 3600
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_the_four_public_forms_are_prefilled(alice):
    client, _response, event = alice
    post_form = client.get("/babillard/publier/")
    assert field_value(post_form, "contact_email") == ALICE
    assert field_value(post_form, "contact_name") == "Alice Tremblay"
    assert field_value(post_form, "organisation") == "Org Alice"
    assert "private" in post_form["Cache-Control"]
    signup = client.get("/infolettre/inscription/")
    assert (field_value(signup, "email"), field_value(signup, "first_name")) == (ALICE, "Alice")
    registration = client.get(event.url)
    assert field_value(registration, "email") == ALICE
    assert field_value(registration, "contact_name") == "Alice Tremblay"
    support = seed_support_form(home_page())
    request_form = client.get(support.url)
    assert field_value(request_form, "courriel") == ALICE
    assert field_value(request_form, "personne_ressource") == "Alice Tremblay"
    assert field_value(request_form, "nom_de_lorganisme") == "Org Alice"
    assert "private" in request_form["Cache-Control"]


def test_a_forged_cookie_fills_nothing(alice):
    client = Client()
    client.cookies[prefill.COOKIE] = '{"email": "alice@example.org"}:forged:signature'
    assert field_value(client.get("/babillard/publier/"), "contact_email") == ""


def test_a_prefilled_page_is_never_stored_nor_served_to_someone_else(alice, settings):
    settings.PAGE_CACHE_SECONDS = 60
    client, _response, event = alice
    # Pre-filled first: nothing is stored, so the next visitor gets a page of their own, empty.
    mine = client.get(event.url)
    assert ALICE in mine.content.decode() and "X-Page-Cache" not in mine
    anonymous = Client().get(event.url)
    assert ALICE not in anonymous.content.decode() and "X-Page-Cache" not in anonymous
    # The anonymous copy is stored now; it is served to anonymous visitors, never to Alice.
    assert Client().get(event.url)["X-Page-Cache"] == "hit"
    again = client.get(event.url)
    assert "X-Page-Cache" not in again and field_value(again, "email") == ALICE
    assert ALICE not in Client().get(event.url).content.decode()


def test_the_home_pages_newsletter_block_is_prefilled_like_its_page(alice, settings):
    settings.PAGE_CACHE_SECONDS = 60
    client, _response, _event = alice
    home = client.get(home_page().url)
    assert (field_value(home, "email"), field_value(home, "first_name")) == (ALICE, "Alice")
    assert field_value(home, "organisation") == "Org Alice"
    assert "private" in home["Cache-Control"] and "Cookie" in home["Vary"]
    assert "X-Page-Cache" not in home
    anonymous = Client().get(home_page().url)
    assert ALICE not in anonymous.content.decode()
    assert Client().get(home_page().url)["X-Page-Cache"] == "hit"
    assert field_value(client.get(home_page().url), "email") == ALICE
