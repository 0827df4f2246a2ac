"""Any text typed into a search box answers a page, never a 500, on SQLite and on PostgreSQL.

Run this file both ways: `pytest tests/search` (SQLite) and with DATABASE_URL set (PostgreSQL)."""

import pytest

pytestmark = pytest.mark.django_db

CORPUS = [
    '"',
    '""',
    'a"b',
    "a\x00b",
    "\x00",
    ">",
    "<",
    "=",
    "'",
    "''",
    "l'entente",
    "https://exemple.org/guide?x=1&y=2#z",
    "*",
    "a*",
    "*a",
    "-",
    "-a",
    "a -b",
    "AND",
    "OR",
    "NOT",
    "NEAR",
    "NEAR(a b)",
    "a AND",
    "OR b",
    "(",
    ")",
    "()",
    "(a OR b",
    "^",
    ":",
    "title:a",
    "a:b",
    "{a}",
    "[",
    "\\",
    "a\\",
    "%",
    "_",
    "!",
    "&",
    "|",
    "~",
    "+",
    "@",
    "secourisme & entente | !mirabel",
    "a:*",
    "<script>alert(1)</script>",
    "\u200b",
    "\t\n\r",
    "\x01\x1f\x7f",
    "é" * 300,
    "mot " * 500,
    "x" * 5000,
    "🙂 émoji",
    "\ud7ff",
]


def answers_of(client, path):
    """{text: what went wrong} for every text of the corpus that did not answer 200 at `path`."""
    wrong = {}
    for text in CORPUS:
        try:
            status = client.get(path, {"q": text}).status_code
        except Exception as exc:  # the test client re-raises the view's exception
            status = repr(exc)[:120]
        if status != 200:
            wrong[text[:40]] = status
    return wrong


ENTRY_POINTS = [
    "/recherche/",
    "/en/recherche/",
    "/babillard/",
    "/en/babillard/",
    "/babillard/rss/",
    "/en/babillard/rss/",
    "/ressources/",
]


@pytest.mark.parametrize("path", ENTRY_POINTS)
def test_every_public_search_takes_any_text(client, demo_db, path):
    assert answers_of(client, path) == {}


ADMIN_SEARCHES = [
    "/admin/snippets/bulletin/post/",
    "/admin/pages/search/",
    "/admin/documents/",
    "/admin/snippets/bulletin/report/",
    "/admin/choose-page/search/",
    "/admin/documents/chooser/results/",
    "/admin/images/",
    "/admin/users/",
    "/admin/snippets/events/registration/",
    "/admin/snippets/newsletter/subscriber/",
]


@pytest.mark.parametrize("path", ADMIN_SEARCHES)
def test_every_admin_search_takes_any_text(client, admin_user, demo_db, path):
    client.force_login(admin_user)
    assert answers_of(client, path) == {}


@pytest.mark.parametrize(
    "text, words",
    [
        ('"secourisme"', ["secourisme"]),
        ("a\x00b", ["a", "b"]),
        ("l'entente", ["l", "entente"]),
        ("NEAR(a b)", ["NEAR", "a", "b"]),
        ("https://exemple.org/guide", ["https", "exemple", "org", "guide"]),
        ("*-()=><'_\\", []),
        ("e\u0301té", ["été"]),  # a decomposed accent stays inside its word
        ("mot " * 500, ["mot"] * 12),
    ],
)
def test_only_words_reach_the_database(text, words):
    from website.search_backend import search_words

    assert search_words(text) == words


def test_quotes_and_operators_around_words_still_find(client, demo_db):
    assert (
        "Formation en secourisme à partager"
        in client.get("/babillard/", {"q": '"secourisme"'}).content.decode()
    )
    assert (
        "Formation en secourisme à partager"
        in client.get("/babillard/rss/", {"q": "secourisme*"}).content.decode()
    )
    html = client.get("/ressources/", {"q": "(l'entente)"}).content.decode()
    assert "Modèle d&#x27;entente de mutualisation" in html
