"""A crawler starts at `/` and at `/en/` on the live demo and follows every internal link (bounded).

No 5xx, no internal 404 (410 only where the link says the post is closed); every page reached from
`/en/` speaks English and links only under `/en/` (the language switch excepted); French pages stay French.
"""

import re

import pytest

from tests.walks.coverage import COVERAGE
from tests.walks.crawl import crawl

LIMIT = 400  # pages read per language
FILES = re.compile(r"(\.ics|\.xml|\.txt|\.csv|/rss/)$")
CLOSED = re.compile(r"ferm|closed|retir|withdrawn", re.IGNORECASE)
ENGLISH_CHROME = {"skip": "Skip to content", "nav": "Main menu"}


def in_english(path):
    return path == "/en/" or path.startswith("/en/")


# Files (documents, images) have one address for every language.
LANGUAGE_NEUTRAL = ("/documents/", "/media/", "/static/")


@pytest.fixture(scope="module")
def crawls(demo_site):
    result = {
        "fr": crawl(demo_site, "/", follow=lambda path: not in_english(path), limit=LIMIT),
        "en": crawl(demo_site, "/en/", follow=in_english, limit=LIMIT),
    }
    for language, walk in result.items():
        COVERAGE.append(f"{language}: {walk.summary()}")
    return result


def broken(walk, *, kind):
    """Internal addresses that answered 5xx, 404 or an unexplained 410, with the pages linking to them.
    kind: "pages" (HTML) or "files" (calendars, feeds and other non-HTML answers)."""
    problems = []
    for page in walk.pages.values():
        if (kind == "files") != bool(FILES.search(page.path.split("?")[0])):
            continue
        incoming = [link for link in walk.links if link.target == page.path]
        if page.status >= 500 or page.status == 404:
            problems.append((page.status, page.path, sorted({link.source for link in incoming})[:3]))
        elif page.status == 410 and not all(CLOSED.search(link.text) for link in incoming):
            problems.append((page.status, page.path, [link.text for link in incoming][:3]))
        elif page.status not in (200, 301, 302, 410):
            problems.append((page.status, page.path, []))
    return problems


def test_french_site_answers_every_link(crawls):
    walk = crawls["fr"]
    assert walk.parsed >= 20, walk.summary()
    assert not walk.bounded, walk.summary()
    assert broken(walk, kind="pages") == []


def test_french_site_calendars_and_feeds_answer(crawls):
    assert broken(crawls["fr"], kind="files") == []


def test_french_pages_speak_french(crawls):
    walk = crawls["fr"]
    read = [page for page in walk.pages.values() if page.html_lang]
    assert {page.html_lang.split("-")[0] for page in read} == {"fr"}
    for page in read:
        assert (page.chrome.get("skip"), page.chrome.get("nav")) == ("Aller au contenu", "Menu principal"), (
            page.path
        )


def test_french_pages_link_to_french_addresses(crawls):
    walk = crawls["fr"]
    stray = [
        (link.source, link.target, link.text)
        for link in walk.links
        if in_english(link.target) and link.hreflang != "en" and link.source in walk.pages
    ]
    assert stray == []


def test_english_site_pages_answer(crawls):
    walk = crawls["en"]
    assert walk.parsed >= 20, walk.summary()
    assert not walk.bounded, walk.summary()
    assert broken(walk, kind="pages") == []


def test_english_site_calendars_and_feeds_answer(crawls):
    assert broken(crawls["en"], kind="files") == []


def test_english_pages_show_the_english_interface(crawls):
    walk = crawls["en"]
    read = [page for page in walk.pages.values() if page.html_lang]
    assert read and {page.html_lang for page in read} == {"en"}
    for page in read:
        assert page.chrome.get("skip") == ENGLISH_CHROME["skip"], page.path
        assert page.chrome.get("nav") == ENGLISH_CHROME["nav"], page.path


def test_english_menu_and_footer_labels_are_not_the_french_ones(crawls):
    french_home = crawls["fr"].pages["/"]
    french_labels = set(french_home.chrome["menu"]) | set(french_home.chrome["footer"])
    french_labels -= {french_home.chrome.get("brand")}
    leftovers = {
        (page.path, label)
        for page in crawls["en"].pages.values()
        if page.html_lang
        for label in page.chrome["menu"] + page.chrome["footer"]
        if label in french_labels
    }
    assert sorted(leftovers)[:20] == []


def test_english_pages_link_only_under_en(crawls):
    walk = crawls["en"]
    stray = sorted(
        {
            (link.source, link.target, link.text)
            for link in walk.links
            if not in_english(link.target)
            and not link.target.startswith(LANGUAGE_NEUTRAL)
            and not link.hreflang.startswith("fr")  # the language switcher (hreflang="fr-ca")
        }
    )
    assert stray[:30] == [], f"{len(stray)} links from English pages to French addresses"
