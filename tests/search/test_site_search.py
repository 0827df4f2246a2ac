"""The site search at /recherche/ finds what the public may see, from every app, in both languages."""

import ast
import datetime
import pathlib
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from bulletin.models import Post
from events.models import EventPage
from newsletter.models import NewsletterIssuePage
from website.i18n import in_default_locale
from website.models import ContentPage, ResourceCategory, ResourceDocument

pytestmark = pytest.mark.django_db
ROOT = pathlib.Path(__file__).resolve().parents[2]


def results_of(client, url):
    """[(type, title, href, excerpt html)] of a search page, in order."""
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    items = re.findall(r'<li class="mb-4">(.*?)</li>', html, re.S)
    found = []
    for item in items:
        kind = re.search(r'<span class="badge[^"]*">(.*?)</span>', item).group(1)
        href, title = re.search(r'<a href="([^"]*)">(.*?)</a>', item).groups()
        text = re.search(r'<p class="mb-0">(.*?)</p>', item, re.S)
        found.append((kind, title, href, text.group(1) if text else ""))
    return found


def titles(found):
    return {title for _kind, title, _href, _text in found}


def test_secourisme_finds_the_board_post_with_its_type_and_an_excerpt(client, demo_db):
    found = results_of(client, "/recherche/?q=secourisme")
    kind, title, href, text = next(hit for hit in found if "secourisme" in hit[1])
    assert (kind, title) == ("Annonce du babillard", "Formation en secourisme à partager")
    assert re.fullmatch(r"/babillard/\d+-formation-en-secourisme-a-partager/", href)
    assert "premiers soins" in text


def test_mirabel_finds_the_posts_of_mirabel_organisations(client, demo_db):
    found = titles(results_of(client, "/recherche/?q=Mirabel"))
    assert {"Transport pour nos livraisons du mardi", "Camionnette disponible les mardis"} <= found
    assert "Photocopieur à donner" not in found  # expired


def test_entente_finds_an_event_a_document_and_a_post(client, demo_db):
    found = results_of(client, "/recherche/?q=entente")
    kinds = {title: kind for kind, title, _href, _text in found}
    assert kinds["Webinaire : rédiger une entente de mutualisation"] == "Événement"
    assert kinds["Modèle d&#x27;entente de mutualisation"] == "Document"
    assert kinds["Clinique gratuite : démarrer une entente de partage"] == "Annonce du babillard"
    document = next(hit for hit in found if hit[0] == "Document")
    assert document[2].startswith("/documents/") and "<mark>entente</mark>" in document[3]
    event = next(hit for hit in found if hit[0] == "Événement")
    assert event[2] == "/evenements/webinaire-ententes/"


def test_newsletter_issues_are_found_by_their_subject_and_text(client, demo_db):
    found = results_of(client, "/recherche/?q=camionnette")
    issue = next(hit for hit in found if hit[0] == "Infolettre")
    assert issue[1] == "Infolettre — novembre 2026"
    assert issue[2] == "/infolettre/archives/novembre-2026/"
    assert "<mark>camionnette</mark>" in issue[3]


def test_english_search_speaks_english_and_links_under_en(client, demo_db):
    response = client.get("/en/recherche/?q=entente")
    html = response.content.decode()
    assert '<html lang="en">' in html and "results" in html
    found = results_of(client, "/en/recherche/?q=entente")
    assert {kind for kind, *_ in found} >= {"Event", "Document", "Bulletin board post"}
    for kind, _title, href, _text in found:
        assert href.startswith("/en/") or (kind == "Document" and href.startswith("/documents/")), href
    assert "/en/evenements/webinaire-ententes/" in {href for *_, href, _text in found}


def test_only_public_published_current_things_are_found(client, demo_db):
    now = timezone.now()
    category = ResourceCategory.objects.get(slug="transport")
    for state in (Post.State.PENDING, Post.State.REJECTED, Post.State.CLOSED, Post.State.HIDDEN):
        Post.objects.create(
            kind=Post.Kind.OFFER,
            title=f"Zébrure {state}",
            description="zébrure",
            category=category,
            organisation="O",
            contact_name="C",
            contact_email="c@example.org",
            expires_on=timezone.localdate() + datetime.timedelta(days=10),
            state=state,
        )
    Post.objects.create(
        kind=Post.Kind.OFFER,
        title="Zébrure périmée",
        description="zébrure",
        category=category,
        organisation="O",
        contact_name="C",
        contact_email="c@example.org",
        expires_on=timezone.localdate() - datetime.timedelta(days=1),  # published, but past its date
        state=Post.State.PUBLISHED,
        published_at=now,
    )
    visible = Post.objects.create(
        kind=Post.Kind.OFFER,
        title="Zébrure visible",
        description="zébrure",
        category=category,
        organisation="O",
        contact_name="C",
        contact_email="c@example.org",
        expires_on=timezone.localdate(),
        state=Post.State.PUBLISHED,
        published_at=now,
    )
    ResourceDocument.objects.filter(title__startswith="Modèle").update(is_public=False)
    members_only = Collection.get_first_root_node().add_child(name="Membres")
    CollectionViewRestriction.objects.create(
        collection=members_only, restriction_type=CollectionViewRestriction.LOGIN
    )
    ResourceDocument.objects.filter(title__startswith="Démarrer").update(collection=members_only)
    issue = in_default_locale(NewsletterIssuePage.objects).get()
    issue.unpublish()
    private = in_default_locale(ContentPage.objects).first()
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)

    assert titles(results_of(client, "/recherche/?q=zébrure")) == {visible.title}
    documents = {
        title for kind, title, *_ in results_of(client, "/recherche/?q=entente") if kind == "Document"
    }
    assert documents == set()  # one marked private, the other in a collection for members only
    assert not [hit for hit in results_of(client, "/recherche/?q=camionnette") if hit[0] == "Infolettre"]
    assert private.title not in titles(results_of(client, f"/recherche/?q={private.title.split()[-1]}"))


def test_the_type_filter_keeps_one_kind_and_counts_each(client, demo_db):
    html = client.get("/recherche/?q=entente").content.decode()
    assert re.search(r'href="\?q=entente&amp;type=evenements">Événements \(1\)</a>', html)
    found = results_of(client, "/recherche/?q=entente&type=evenements")
    assert {kind for kind, *_ in found} == {"Événement"}


def test_pages_without_an_app_of_their_own_are_found_once_in_the_readers_language(client, demo_db):
    found = results_of(client, "/recherche/?q=formation")
    story = [kind for kind, title, *_ in found if title == "Deux organismes forment leurs équipes ensemble"]
    assert story == ["Histoire de mutualisation"]
    hrefs = [href for *_, href, _text in found]
    assert len(hrefs) == len(set(hrefs)) and not any(h.startswith("/en/") for h in hrefs)


def make_many(count):
    """`count` more findable things of every kind: posts, events and documents saying "zébrure"."""
    category = ResourceCategory.objects.get(slug="transport")
    template = in_default_locale(EventPage.objects).get(slug="webinaire-ententes")
    start = Post.objects.filter(title__startswith="Zébrure").count()
    for n in range(start, start + count):
        Post.objects.create(
            kind=Post.Kind.OFFER,
            title=f"Zébrure {n}",
            description="Une zébrure à partager.",
            category=category,
            organisation="O",
            contact_name="C",
            contact_email="c@example.org",
            expires_on=timezone.localdate() + datetime.timedelta(days=10),
            state=Post.State.PUBLISHED,
            published_at=timezone.now(),
        )
        template.copy(update_attrs={"slug": f"zebrure-{n}", "title": f"Zébrure {n}"})
        ResourceDocument.objects.create(title=f"Zébrure {n}", description="zébrure", file="z.txt")


def test_the_search_page_costs_the_same_queries_for_few_or_many_results(
    client, demo_db, django_assert_max_num_queries
):
    url = "/recherche/?q=zébrure"
    make_many(2)
    client.get(url)  # per-process caches (site root paths, content types, locales)
    with CaptureQueriesContext(connection) as few:
        assert len(results_of(client, url)) == 6
    make_many(20)
    with django_assert_max_num_queries(len(few)):
        assert len(results_of(client, url)) == 10  # a full page, drawn from every source
    with django_assert_max_num_queries(len(few)):
        assert len(results_of(client, url + "&page=3")) == 10


def test_a_rendered_search_page_costs_at_most_fifteen_queries(client, demo_db, settings):
    """With the site chrome, the restricted sections and each language's Locale read once (not once per
    source searched); at two sizes."""
    settings.PAGE_CACHE_SECONDS = 60
    client.cookies["session"] = "x"  # never a stored page
    url = "/recherche/?q=zébrure"
    make_many(2)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert len(results_of(client, url)) == 6
    make_many(20)
    client.get(url)  # warm-up at the new size
    with CaptureQueriesContext(connection) as many:
        assert len(results_of(client, url)) == 10
    assert len(few) <= 15, [q["sql"][:80] for q in few.captured_queries]
    assert len(many) <= len(few), [q["sql"][:80] for q in many.captured_queries]


def test_the_search_imports_no_app():
    """Search sources are registered by the apps (hook `register_search_source`), not imported."""
    apps = {"bulletin", "events", "newsletter"}
    for name in ("search.py", "search_backend.py", "views.py"):
        path = ROOT / "website" / name
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for module in names:
                assert module.split(".")[0] not in apps, f"website/{name} imports {module}"


def test_a_page_an_editor_publishes_is_found_at_once_in_both_languages(client, demo_db):
    from website.i18n import sync_page_tree

    template = in_default_locale(EventPage.objects).get(slug="webinaire-ententes")
    event = EventPage(
        title="Formation : comptabilité partagée pour OBNL",
        slug="formation-comptabilité-partagée-pour-obnl",
        kind=template.kind,
        start=template.start,
        end=template.end,
        capacity=10,
        summary="Tenir les livres à plusieurs.",
    )
    template.get_parent().add_child(instance=event)
    event.save_revision().publish()
    sync_page_tree()  # what the admin does for every new page (its English alias)

    french = results_of(client, "/recherche/?q=comptabilité")
    assert [(kind, href) for kind, title, href, _ in french if title.startswith("Formation : compta")] == [
        ("Événement", "/evenements/formation-comptabilit%C3%A9-partag%C3%A9e-pour-obnl/")
    ]
    english = results_of(client, "/en/recherche/?q=comptabilité")
    assert [href for _kind, title, href, _ in english if title.startswith("Formation : compta")] == [
        "/en/evenements/formation-comptabilit%C3%A9-partag%C3%A9e-pour-obnl/"
    ]


@pytest.mark.parametrize("typed", ["ecluse", "ÉCLUSE", "écluse", "evenement", "Événement", "evenements"])
def test_accents_and_capitals_do_not_matter(client, demo_db, typed):
    """People type without accents ("evenement"), or in capitals without them: both backends fold
    accents in the index and in the query (PostgreSQL: the french_unaccent configuration of migration
    website 0013; SQLite's FTS5 tokenizer removes diacritics). Plurals only on PostgreSQL, which stems
    French words; SQLite (development and tests) does not stem."""
    if typed == "evenements" and connection.vendor != "postgresql":
        pytest.skip("SQLite's FTS5 does not stem French words")
    page = ContentPage(
        title="L'Écluse : un événement de mutualisation",
        slug="l-ecluse",
        intro="Une écluse partagée entre organismes.",
    )
    home = in_default_locale(ContentPage.objects).first().get_parent()
    home.add_child(instance=page)
    page.save_revision().publish()
    found = results_of(client, f"/recherche/?q={typed}")
    assert "L'Écluse : un événement de mutualisation" in {unescape(title) for title in titles(found)}
