"""Whole pages stored for visitors without a session (website/page_cache.py): served again without the
view, each visitor with a CSRF token of their own, and out of date as soon as an editor's or a visitor's
change commits (menus, pages, posts, registrations), in French and in English."""

import re

import pytest
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from bulletin.models import Post
from events import services
from events.models import EventPage
from website import page_cache
from website.i18n import in_default_locale, sync_page_tree
from website.models import NavigationSettings

pytestmark = pytest.mark.django_db

CACHED_PAGES = [
    "/",
    "/en/",
    "/babillard/",
    "/babillard/?type=offre",
    "/babillard/rss/",
    "/evenements/",
    "/evenements/calendrier.ics",
    "/infolettre/archives/",
    "/recherche/?q=camion",
    "/en/recherche/?q=camion",
]


def served_from_cache(response):
    return response.get("X-Page-Cache") == "hit"


def without_csrf_tokens(response):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def csrf_token_of(response):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode()).group(1)


def test_public_pages_are_rendered_once_then_served_as_stored(demo_db, page_cache_on):
    for path in CACHED_PAGES:
        first = Client().get(path)
        again = Client().get(path)
        assert first.status_code == again.status_code == 200, path
        assert not served_from_cache(first) and served_from_cache(again), path
        assert without_csrf_tokens(again) == without_csrf_tokens(first), path
        assert again["Content-Type"] == first["Content-Type"]
        assert again["Content-Security-Policy"] and again["X-Frame-Options"] == "DENY"


def test_each_visitor_gets_a_csrf_token_of_their_own_that_the_form_accepts(demo_db, page_cache_on, committed):
    Client().get("/")
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get("/")
    assert served_from_cache(page)
    token = csrf_token_of(page)
    assert page_cache.CSRF_MARK.decode() not in page.content.decode()
    assert token != csrf_token_of(Client().get("/"))
    answer = visitor.post(
        "/infolettre/inscription/",
        {"email": "lecteur@example.org", "language": "fr-ca", "consent": "on", "csrfmiddlewaretoken": token},
    )
    assert answer.status_code != 403


def test_a_visitor_with_a_session_never_gets_a_stored_page(demo_db, page_cache_on, admin_user):
    Client().get("/")
    editor = Client()
    editor.force_login(admin_user)
    page = editor.get("/")
    assert not served_from_cache(page)
    assert "wagtail-userbar" in page.content.decode()


def test_a_changed_menu_label_shows_at_once_in_both_languages(demo_db, page_cache_on, committed):
    for path in ("/", "/en/"):
        Client().get(path)
        assert served_from_cache(Client().get(path))
    nav = NavigationSettings.for_site(Site.objects.get(is_default_site=True))
    nav.main_menu = [
        (
            "link",
            {"label": "Coin des membres", "label_en": "Members' corner", "page": None, "url": "/babillard/"},
        )
    ]
    with committed():
        nav.save()
    assert "Coin des membres" in Client().get("/").content.decode()
    assert "Members&#x27; corner" in Client().get("/en/").content.decode()


def test_a_published_event_shows_at_once_in_both_languages(demo_db, page_cache_on, committed):
    for path in ("/evenements/", "/en/evenements/"):
        Client().get(path)
        assert served_from_cache(Client().get(path))
    source = in_default_locale(EventPage.objects.live()).order_by("start").last()
    event = source.copy(
        update_attrs={"title": "Atelier de mutualisation des camions", "slug": "atelier-camions"}
    )
    with committed():
        event.save_revision().publish()
        sync_page_tree()  # the English alias, as the admin makes it
    assert "Atelier de mutualisation des camions" in Client().get("/evenements/").content.decode()
    assert "Atelier de mutualisation des camions" in Client().get("/en/evenements/").content.decode()


def test_an_unpublished_page_is_gone_at_once(demo_db, page_cache_on, committed):
    event = in_default_locale(EventPage.objects.live()).first()
    Client().get(event.url)
    assert served_from_cache(Client().get(event.url))
    with committed():
        event.unpublish()
    assert Client().get(event.url).status_code == 404


def test_a_post_taken_down_leaves_the_board_at_once(demo_db, page_cache_on, committed):
    post = Post.objects.filter(state=Post.State.PUBLISHED).order_by("-published_at").first()
    assert post.title in Client().get("/babillard/").content.decode()
    assert served_from_cache(Client().get("/babillard/"))
    post.state = Post.State.REJECTED
    with committed():
        post.save()
    assert post.title not in Client().get("/babillard/").content.decode()


def test_seats_left_follow_a_registration_at_once(demo_db, page_cache_on, committed):
    event = in_default_locale(EventPage.objects.live()).filter(capacity__gt=2, questions__isnull=True).first()
    before = Client().get(event.url).context
    assert served_from_cache(Client().get(event.url))
    left = services.seats_left(event)
    with committed():
        services.register(event, seats=2, organisation="Organisme A", contact_name="A", email="a@example.org")
    page = Client().get(event.url)
    assert not served_from_cache(page)
    assert page.context["seats_left"] == left - 2 and before["seats_left"] == left


def test_a_registration_on_the_waiting_list_leaves_the_full_events_page_stored(
    demo_db, page_cache_on, committed
):
    """A new waiting-list request holds no seat and pays no share: a full event's page stays stored, in
    both languages, while requests keep coming (issue 11's registration benchmark reloads it before each
    one). A seat given back shows at once."""
    event = in_default_locale(EventPage.objects.live()).filter(capacity__gt=2, questions__isnull=True).first()
    english = event.get_translations().get().url
    EventPage.objects.filter(pk=event.pk).update(max_seats=event.capacity)  # one group fills it
    with committed():
        full = services.register(
            event,
            seats=event.capacity,
            organisation="A",
            contact_name="A",
            email="a@example.org",
            allow_partial=True,
        )
    for path in (event.url, english):
        Client().get(path)
        assert served_from_cache(Client().get(path)), path
    with committed():
        waiting = services.register(event, seats=1, organisation="B", contact_name="B", email="b@example.org")
    assert waiting.state == waiting.State.WAITING and services.seats_left(event) == 0
    assert [served_from_cache(Client().get(path)) for path in (event.url, english)] == [True, True]
    with committed():
        services.cancel(full)
    page = Client().get(event.url)
    assert not served_from_cache(page)
    assert page.context["seats_left"] == services.seats_left(event) > 0


def test_a_registration_renders_pages_again_but_keeps_the_site_chrome(demo_db, page_cache_on, committed):
    """Menus, footer and the language switcher show no registration: rebuilding them (a dozen queries)
    after each one would slow every registration's next page for nothing."""
    event = in_default_locale(EventPage.objects.live()).filter(capacity__gt=2, questions__isnull=True).first()
    Client().get(event.url)
    with_cookie = Client()
    with_cookie.cookies["x"] = "1"
    with CaptureQueriesContext(connection) as kept:
        with_cookie.get(event.url)  # rendered, the chrome from the cache
    with committed():
        services.register(event, seats=1, organisation="Organisme A", contact_name="A", email="a@example.org")
    with CaptureQueriesContext(connection) as after:
        page = Client().get(event.url)
    assert not served_from_cache(page)
    assert len(after) == len(kept)
    nav = NavigationSettings.for_site(Site.objects.get(is_default_site=True))
    with committed():
        nav.save()
    with CaptureQueriesContext(connection) as rebuilt:
        Client().get(event.url)
    assert len(rebuilt) > len(kept)


def test_a_registration_leaves_every_other_stored_page_as_it_was(demo_db, page_cache_on, committed):
    """Only its event's page (both languages) shows a registration; nothing else is rendered again, so a
    busy registration does not empty the whole cache. A new organisation typed in the form shows nowhere."""
    events = in_default_locale(EventPage.objects.live()).filter(capacity__gt=2, questions__isnull=True)
    event, other = events[0], events[1]
    english = event.get_translations().get().url
    paths = [event.url, english, other.url, "/", "/evenements/", "/organismes/"]
    for path in paths:
        Client().get(path)
        assert served_from_cache(Client().get(path)), path
    with committed():
        services.register(
            event, seats=1, organisation="Organisme tout neuf", contact_name="A", email="a@example.org"
        )
    assert [served_from_cache(Client().get(path)) for path in paths] == [False, False, True, True, True, True]


def test_pages_are_not_stored_when_the_cache_is_off(demo_db, settings):
    settings.PAGE_CACHE_SECONDS = 0
    Client().get("/")
    assert not served_from_cache(Client().get("/"))


def stored_after_two_visits(path):
    Client().get(path)
    return served_from_cache(Client().get(path))


def test_filters_in_any_order_share_one_stored_page(demo_db, page_cache_on):
    Client().get("/babillard/?type=offre&categorie=transport")
    assert served_from_cache(Client().get("/babillard/?categorie=transport&type=offre"))


@pytest.mark.parametrize(
    "query",
    [
        "?q=camion&utm_source=infolettre",  # a parameter no page reads: copied into links, never stored
        "?q=camion&q=salle",  # repeated
        "?q=" + "x" * 201,  # longer than any filter takes
        "?junk-1234=1",
    ],
)
def test_query_strings_pages_do_not_read_are_rendered_and_never_stored(demo_db, page_cache_on, query):
    assert stored_after_two_visits("/recherche/?q=camion")
    assert not stored_after_two_visits("/recherche/" + query)
    assert page_cache._key(RequestFactory().get("/recherche/" + query)) is None


def test_distinct_query_strings_of_one_path_are_stored_only_up_to_the_bound(demo_db, page_cache_on, settings):
    settings.PAGE_CACHE_VARIANTS = 3
    assert [stored_after_two_visits(f"/recherche/?q=mot{n}") for n in range(5)] == [True] * 3 + [False] * 2
    assert stored_after_two_visits("/recherche/")  # the bare path is always stored
    assert stored_after_two_visits("/babillard/?type=offre")  # the bound is per path
    assert served_from_cache(Client().get("/recherche/?q=mot0"))  # what was stored is still served
