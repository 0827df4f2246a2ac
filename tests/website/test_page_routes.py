"""A public address reaches its page in one query once the walk down the tree is remembered
(website/page_routes.py), and never a page that is no longer live or no longer at that address."""

from collections import Counter

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from tests import factories
from website import page_routes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _forget_routes():
    page_routes._routes.clear()
    yield
    page_routes._routes.clear()


def get(path):
    with CaptureQueriesContext(connection) as queries:
        response = Client().get(path)
    return response, len(queries)


def test_a_remembered_address_reads_its_page_alone(make_event):
    event = make_event()
    get(event.url)  # what every page builds once (menus, locales)
    page_routes._routes.clear()
    walked, walked_queries = get(event.url)
    remembered, remembered_queries = get(event.url)
    assert walked.status_code == remembered.status_code == 200
    assert remembered.context["page"].pk == event.pk
    # Two levels below the home page: a child and its specific row each, against the page alone.
    assert remembered_queries == walked_queries - 3


def test_a_renamed_or_unpublished_page_is_not_found_at_its_remembered_address(make_event):
    event, other = make_event(), make_event()
    old_url = event.url
    assert get(old_url)[0].status_code == get(old_url)[0].status_code == 200
    event.slug = "nouvelle-adresse"
    event.save_revision().publish()
    event.refresh_from_db()
    assert get(old_url)[0].status_code == 404
    assert get(event.url)[0].context["page"].pk == event.pk
    get(other.url)
    other.unpublish()
    assert get(other.url)[0].status_code == 404


def test_each_language_keeps_its_own_page_at_its_address(make_event):
    event = make_event()
    factories.english_tree()
    english = event.get_translations().get()
    for _ in range(2):
        assert get(event.url)[0].context["page"].pk == event.pk
        assert get(english.url)[0].context["page"].pk == english.pk


def rendered_twice(event):
    """A visitor the page cache does not serve (the page is rendered each time), the response to their
    second visit, and the queries it ran."""
    visitor = Client()
    visitor.cookies["x"] = "1"
    visitor.get(event.url)
    with CaptureQueriesContext(connection) as queries:
        response = visitor.get(event.url)
    return visitor, response, queries.captured_queries


def test_the_site_of_a_page_is_kept_until_a_site_changes(
    make_event, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = 60
    event = make_event()
    visitor, response, queries = rendered_twice(event)
    assert response.status_code == 200
    assert not [q for q in queries if "wagtailcore_site" in q["sql"]]
    site = Site.objects.get(is_default_site=True)
    site.site_name = "Autre nom"
    with django_capture_on_commit_callbacks(execute=True):
        site.save()
    response = visitor.get(event.url)
    assert response.status_code == 200 and response.wsgi_request._wagtail_site.site_name == "Autre nom"


def test_the_kept_site_starts_the_walk_from_its_specific_home_page_until_a_page_changes(
    make_event, settings, django_capture_on_commit_callbacks
):
    """Wagtail's router starts from `site.root_page.localized.specific`: the kept site holds its home page
    as a HomePage, so a rendered page never reads the home page's own row, and a published change of the
    home page is the one the next request starts from."""
    settings.PAGE_CACHE_SECONDS = 60
    event = make_event()
    visitor, response, queries = rendered_twice(event)
    assert response.status_code == 200 and response.context["page"].pk == event.pk
    assert not [q for q in queries if "website_homepage" in q["sql"]]
    home = response.wsgi_request._wagtail_site.root_page
    assert type(home).__name__ == "HomePage"
    home.title = "Accueil du réseau"
    with django_capture_on_commit_callbacks(execute=True):
        home.save_revision().publish()
    response = visitor.get(event.url)
    assert response.status_code == 200 and response.context["page"].pk == event.pk
    assert response.wsgi_request._wagtail_site.root_page.title == "Accueil du réseau"


def test_a_rendered_page_reads_each_locale_once_in_either_language(make_event, settings):
    """Wagtail's router starts from the home page's `localized`, which reads the active `Locale` on every
    request; the home page takes the one the request already read (website/i18n.py)."""
    settings.PAGE_CACHE_SECONDS = 60
    event = make_event()
    factories.english_tree()
    english = event.get_translations().get()
    for page in (event, english):
        _visitor, response, queries = rendered_twice(page)
        assert response.status_code == 200 and response.context["page"].pk == page.pk
        reads = Counter(q["sql"] for q in queries if 'FROM "wagtailcore_locale"' in q["sql"])
        assert reads and set(reads.values()) == {1}, reads
