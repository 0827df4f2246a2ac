"""Generated query strings on every public listing, filter, search and feed: never a 5xx."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.strategies import fuzz_settings, query

pytestmark = pytest.mark.django_db

EXAMPLES = 20

# Where a visitor's query string is read, and the names each one reads.
LISTINGS = {
    "board": ("/babillard/", ["q", "type", "categorie", "region"]),
    "board-rss": ("/babillard/rss/", ["q", "type", "categorie", "region"]),
    "board-en": ("/en/babillard/", ["q", "type", "categorie", "region"]),
    "search": ("/recherche/", ["q", "type"]),
    "alert-form": ("/babillard/alertes/", ["email", "kind", "category", "region"]),
    "post-form": ("/babillard/publier/", ["category", "kind"]),
    "signup-form": ("/infolettre/inscription/", ["email", "topics", "language"]),
    "calendar": ("/evenements/calendrier.ics", ["type", "region"]),
}
PAGES = {
    "events": ("events_index", ["type", "region", "mois", "periode"]),
    "library": ("library", ["categorie", "q"]),
    "case-studies": ("case_studies", ["categorie"]),
    "archive": ("archive", ["q"]),
    "post": ("post_path", ["q"]),
    "event": ("event_path", ["q"]),
}


def get_and_check(client, path, params):
    response = client.get(path, params)
    assert response.status_code < 500, (path, params)


@pytest.mark.parametrize("name", LISTINGS)
def test_a_hostile_query_string_never_breaks_a_listing(client, site, name):
    path, fields = LISTINGS[name]

    @fuzz_settings(EXAMPLES)
    @given(params=query(fields))
    def check(params):
        get_and_check(client, path, params)

    check()


@pytest.mark.parametrize("name", PAGES)
def test_a_hostile_query_string_never_breaks_a_page(client, site, name):
    attribute, fields = PAGES[name]
    path = getattr(site, attribute)

    @fuzz_settings(EXAMPLES)
    @given(params=query(fields))
    def check(params):
        get_and_check(client, path, params)

    check()


QUOTES = [
    '"',
    "a\x00b",
    ">",
    "=",
    "'",
    "http://example.org/?a=b",
    "*",
    "-",
    "AND",
    "OR",
    "NEAR",
    "(",
    "x" * 5000,
]


@pytest.mark.parametrize("path", ["/recherche/", "/babillard/", "/babillard/rss/"])
@pytest.mark.parametrize("q", QUOTES, ids=range(len(QUOTES)))
def test_search_text_the_issue_named_never_breaks(client, site, path, q):
    get_and_check(client, path, {"q": q})


def test_huge_ids_in_filters_are_no_filter_at_all(client, site):
    @fuzz_settings(20)
    @given(
        value=st.sampled_from(["1" + "0" * 39, "-1", "0", "٣", "²"]),
        name=st.sampled_from(["region", "categorie"]),
    )
    def check(value, name):
        get_and_check(client, "/babillard/", {name: value})
        get_and_check(client, site.events_index, {name: value})

    check()
