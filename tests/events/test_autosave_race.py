"""An editor who clicks "Publier" while the create form's first autosave is still in flight gets one
published page, not a 500 nor a slug error beside a stray draft (website/page_creation.py).

Wagtail 8 autosaves the create form with a JSON POST to the create view; the browser moves the form to the
new page's edit view only when that answer arrives, so a publish sent meanwhile is a second create."""

import threading

import pytest
from django.db import connection
from django.db.models.signals import post_save
from django.test import Client

from events.models import EventPage
from tests.events.test_unicode_slugs import SLUG, event_form_data

JSON = {"HTTP_ACCEPT": "application/json"}
AUTOSAVE = {"action-publish": ""}  # what the autosave posts: the form, without the publish button


def french_pages():
    return EventPage.objects.filter(slug=SLUG, locale__language_code="fr-ca")


def create_url(index):
    return f"/admin/pages/add/events/eventpage/{index.pk}/"


@pytest.mark.django_db
def test_a_publish_after_the_first_autosave_publishes_the_autosaved_draft(client, admin_user, event_index):
    client.force_login(admin_user)
    autosave = client.post(create_url(event_index), event_form_data(**AUTOSAVE), **JSON)
    assert autosave.status_code == 200 and autosave.json()["success"]
    draft = french_pages().get()
    assert not draft.live

    # The publish the editor clicked before the autosave's answer came back: still aimed at the create
    # view, with what they typed since.
    publish = client.post(create_url(event_index), event_form_data(summary="Texte final, avec accents é à."))

    assert publish.status_code == 302
    (page,) = french_pages()
    assert page.pk == draft.pk and page.live
    assert page.summary == "Texte final, avec accents é à."


@pytest.mark.django_db
def test_another_editors_page_with_the_same_slug_is_not_taken_over(client, admin_user, event_index):
    """Only the editor's own fresh draft is continued; any other clash stays Wagtail's slug error."""
    other = Client()
    other.force_login(type(admin_user).objects.create_superuser("autre", "autre@example.org", "x"))
    assert other.post(create_url(event_index), event_form_data(**AUTOSAVE), **JSON).status_code == 200

    client.force_login(admin_user)
    response = client.post(create_url(event_index), event_form_data())

    assert response.status_code == 200 and "slug" in response.content.decode()
    (page,) = french_pages()
    assert not page.live and page.owner.username == "autre"


@pytest.mark.django_db(transaction=True)
def test_a_publish_racing_the_autosave_waits_for_it_and_publishes_it(admin_user, event_index):
    """The race itself, on PostgreSQL: the autosave is held inside its transaction (its page row written,
    not committed) while the publish arrives. Without the parent lock the publish passes validation and
    fails on the uncommitted sibling (500)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers itself; the row lock is PostgreSQL's")
    autosave_inside, publish_sent = threading.Event(), threading.Event()
    autosave_thread = {}

    def hold_the_autosave(sender, instance, created, **kwargs):
        if created and threading.get_ident() == autosave_thread.get("id"):
            autosave_inside.set()
            publish_sent.wait(10)
            threading.Event().wait(1.5)  # time for the publish to reach the database

    results = {}

    def autosave():
        autosave_thread["id"] = threading.get_ident()
        client = Client()
        client.force_login(admin_user)
        try:
            results["autosave"] = client.post(create_url(event_index), event_form_data(**AUTOSAVE), **JSON)
        finally:
            connection.close()

    post_save.connect(hold_the_autosave, sender=EventPage)
    try:
        thread = threading.Thread(target=autosave)
        thread.start()
        assert autosave_inside.wait(30)
        publisher = Client(raise_request_exception=False)
        publisher.force_login(admin_user)
        publish_sent.set()
        publish = publisher.post(create_url(event_index), event_form_data())
        thread.join(30)
    finally:
        post_save.disconnect(hold_the_autosave, sender=EventPage)

    assert publish.status_code == 302
    assert results["autosave"].status_code == 200
    (page,) = french_pages()
    assert page.live
