"""The registration form's HTML is kept between renders of its event page (the `form_fields` tag): a
registration that takes a seat renders the page again, not the form's fields; an editor's change shows at
once; a form with errors, or pre-filled for one person, is never kept (tests/website/test_space_prefill.py
for the latter)."""

import pytest
from django.test import Client

from events import services
from website.i18n import sync_page_tree

pytestmark = pytest.mark.django_db

FIELD_TEMPLATE = "bootstrap5/field.html"  # what crispy-forms renders for each field


def field_renders(response):
    return sum(1 for template in response.templates if template.name == FIELD_TEMPLATE)


def test_a_registration_renders_the_page_again_but_not_its_form(make_event, page_cache_on, committed):
    event = make_event(title="Atelier : gérer un local partagé", capacity=20, max_seats=4)
    first = Client().get(event.url)
    assert field_renders(first) >= 5 and 'name="contact_name"' in first.content.decode()
    with committed():
        services.register(event, seats=1, organisation="Organisme A", contact_name="A", email="a@example.org")
    again = Client().get(event.url)
    assert again.get("X-Page-Cache") != "hit" and again.context["seats_left"] == 19  # rendered again
    assert field_renders(again) == 0 and 'name="contact_name"' in again.content.decode()


def test_an_editors_change_shows_in_the_form_at_once(make_event, page_cache_on, committed):
    event = make_event(title="Atelier : gérer un local partagé", capacity=20, max_seats=4)
    assert 'max="4"' in Client().get(event.url).content.decode()
    event.max_seats = 2
    with committed():
        event.save_revision().publish()
    page = Client().get(event.url).content.decode()
    assert 'max="2"' in page and 'max="4"' not in page


def test_a_form_with_errors_is_rendered_for_its_visitor_only(make_event, page_cache_on):
    event = make_event(title="Atelier : gérer un local partagé", capacity=20, max_seats=4)
    Client().get(event.url)  # the blank form is kept
    visitor = Client()
    refused = visitor.post(
        event.url, {"contact_name": "Zoé Tremblay-Côté", "email": "pas-une-adresse", "seats": 1}
    )
    assert refused.status_code == 400 and field_renders(refused) >= 5
    assert "Zoé Tremblay-Côté" in refused.content.decode()
    blank = Client().get(event.url).content.decode()
    assert "Zoé Tremblay-Côté" not in blank and "pas-une-adresse" not in blank


def test_a_preview_of_a_draft_is_never_kept_for_visitors(make_event, page_cache_on):
    event = make_event(title="Atelier : gérer un local partagé", capacity=20, max_seats=4)
    event.max_seats = 1  # an editor's draft, previewed, not published
    preview = event.make_preview_request()
    preview.render()
    assert 'max="1"' in preview.content.decode()
    live = Client().get(event.url).content.decode()
    assert 'max="4"' in live and 'max="1"' not in live


def test_each_language_keeps_its_own_form(make_event, page_cache_on, committed):
    """The French form kept first never shows on the English page, nor the English one on the French."""
    event = make_event(title="Atelier : gérer un local partagé", capacity=20, max_seats=4)
    sync_page_tree()  # the English alias, as the admin makes for every new page
    french, english = "J&#x27;accepte de recevoir l&#x27;infolettre", "I agree to receive the network"
    assert french in Client().get(event.url).content.decode()
    assert english in Client().get("/en" + event.url).content.decode()
    with committed():
        services.register(event, seats=1, organisation="Organisme B", contact_name="B", email="b@example.org")
    for path, shown, hidden in ((event.url, french, english), ("/en" + event.url, english, french)):
        page = Client().get(path)
        assert field_renders(page) == 0  # the kept form, in the page rendered again
        assert shown in page.content.decode() and hidden not in page.content.decode(), path
