import datetime

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Collection, CollectionViewRestriction

from website.i18n import in_default_locale
from website.models import (
    CaseStudyIndexPage,
    CaseStudyPage,
    ResourceCategory,
    ResourceDocument,
)
from website.models.pages import CaseStudyOrganisation

pytestmark = pytest.mark.django_db


def assert_constant_queries(client, url, grow, max_queries, small=2, large=20):
    """Render `url` with a few items, then with many more: the larger page may not cost more queries."""
    grow(small)
    client.get(url)  # warm per-process caches (site root paths)
    with CaptureQueriesContext(connection) as few:
        get_html(client, url)
    grow(large)
    with max_queries(len(few)):
        return get_html(client, url)


def get_html(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.content[:500]
    return response.content.decode()


def test_home_page_shows_hero_menu_footer_and_empty_slots(client, home):
    html = get_html(client, "/")
    assert '<html lang="fr-ca">' in html
    assert "Mettre nos ressources en commun, ensemble" in html
    assert 'href="#contenu"' in html and 'id="contenu"' in html  # skip link and its target
    assert '<nav class="navbar' in html and "<footer" in html
    assert 'href="/histoires/">Histoires</a>' in html
    # The slots show the latest published posts and the next events.
    assert "Transport pour nos livraisons du mardi" in html
    assert "Projecteur pour nos ateliers" not in html  # pending, not public
    assert "Webinaire : rédiger une entente de mutualisation" in html
    assert "Atelier : partager un véhicule" not in html  # past
    # Site settings in the footer, including the Law 25 privacy contact.
    assert "Saint-Jérôme (Québec) J7Z 1A1" in html
    assert "vie-privee@example.org" in html


def test_home_slots_have_empty_states(client, home):
    from bulletin.models import Post
    from events.models import EventPage

    Post.objects.all().delete()
    for event in EventPage.objects.all():
        event.delete()
    html = get_html(client, "/")
    assert "Aucune annonce pour le moment" in html
    assert "Aucun événement à venir" in html


def test_content_page_renders_its_streamfield(client, home):
    html = get_html(client, "/mutualisation/")
    assert "<h1>La mutualisation, c&#x27;est quoi ?</h1>" in html
    assert '<h2 class="mt-4">Partager pour faire plus</h2>' in html
    assert "pull-quote" in html


def test_case_study_page_shows_organisations_shares_and_savings(client, home):
    html = get_html(client, "/histoires/formation-commune/")
    assert "Maison de la famille du Nord (fictif)" in html
    assert "Ressources humaines, Formation" in html
    assert "4\u202f800\u00a0$" in html  # fr-CA money: narrow space thousands, "$" after
    assert "60</strong> heures par année" in html
    assert "septembre 2025" in html


def test_case_study_index_lists_and_filters_by_category(client, home):
    html = get_html(client, "/histoires/")
    assert "Deux organismes forment leurs équipes ensemble" in html
    html = get_html(client, "/histoires/?categorie=transport")
    assert "Deux organismes forment" not in html
    assert "Aucune histoire ne correspond" in html


def test_resource_library_filters_by_category_and_words(client, home):
    html = get_html(client, "/ressources/")
    assert "Modèle d&#x27;entente de mutualisation" in html
    html = get_html(client, "/ressources/?categorie=formation")
    assert "Grille de partage des coûts" in html and "Modèle d&#x27;entente" not in html
    html = get_html(client, "/ressources/?q=entente")
    assert "Modèle d&#x27;entente" in html and "Grille de partage" not in html


def test_private_documents_stay_out_of_the_library(client, home):
    ResourceDocument.objects.filter(title__startswith="Modèle").update(is_public=False)
    assert "Modèle d&#x27;entente" not in get_html(client, "/ressources/")


def test_public_documents_in_a_members_only_collection_stay_out_of_the_library(client, home):
    members = Collection.get_first_root_node().add_child(name="Membres")
    inner = members.add_child(name="Comptabilité")  # a restriction covers the sub-collections
    CollectionViewRestriction.objects.create(
        collection=members, restriction_type=CollectionViewRestriction.LOGIN
    )
    ResourceDocument.objects.filter(title__startswith="Modèle").update(collection=inner)
    assert ResourceDocument.objects.filter(title__startswith="Modèle", is_public=True).exists()
    html = get_html(client, "/ressources/")
    assert "Modèle d&#x27;entente" not in html and "Grille de partage des coûts" in html
    assert "Modèle d&#x27;entente" not in get_html(client, "/ressources/?q=entente")
    # The same rule as the site search: one list of what the public may see.
    search = get_html(client, "/recherche/?q=entente&type=documents")
    assert "Modèle d&#x27;entente" not in search


def test_search_finds_pages_of_every_type(client, home):
    html = get_html(client, "/recherche/?q=formation")
    assert "Deux organismes forment leurs équipes ensemble" in html
    html = get_html(client, "/recherche/?q=zzzzintrouvable")
    assert "Aucun résultat pour « zzzzintrouvable »" in html


def test_sitemap_and_robots(client, home):
    xml = get_html(client, "/sitemap.xml")
    assert "/histoires/formation-commune/</loc>" in xml
    robots = get_html(client, "/robots.txt")
    assert "Disallow: /admin/" in robots and "Sitemap: http://testserver/sitemap.xml" in robots


def test_unknown_address_gets_the_french_404(client, home):
    html = get_html(client, "/cette-page-n-existe-pas/", status=404)
    assert "Page introuvable" in html
    assert "Retour à l" in html


def test_english_interface_under_en(client, home):
    html = get_html(client, "/en/")
    assert '<html lang="en">' in html
    assert "Latest board posts" in html
    assert "Skip to content" in html
    html = get_html(client, "/en/cette-page-n-existe-pas/", status=404)
    assert "Page not found" in html


def test_language_switcher_points_to_the_same_page(client, home):
    html = get_html(client, "/histoires/")
    assert 'href="/en/histoires/" lang="en"' in html


def make_case_studies(index, count, category, start=0):
    for i in range(start, start + count):
        study = CaseStudyPage(
            title=f"Histoire {i}",
            slug=f"histoire-{i}",
            summary="Partage",
            since=datetime.date(2024, 1, 1),
        )
        study.organisations = [CaseStudyOrganisation(name="A"), CaseStudyOrganisation(name="B")]
        index.add_child(instance=study)
        study.shared_categories.set([category])


def test_case_study_index_query_count_does_not_grow(client, home, django_assert_max_num_queries):
    index = in_default_locale(CaseStudyIndexPage.objects).get()
    category = ResourceCategory.objects.first()
    html = assert_constant_queries(
        client,
        "/histoires/",
        grow=lambda n: make_case_studies(index, n, category, start=100 * n),
        max_queries=django_assert_max_num_queries,
    )
    assert html.count('class="card h-100"') == 12  # one full page


def test_resource_library_query_count_does_not_grow(client, home, django_assert_max_num_queries):
    category = ResourceCategory.objects.first()

    def grow(n):
        for i in range(n):
            doc = ResourceDocument(title=f"Doc {n}-{i}", category=category)
            doc.file.save(f"doc-{i}.txt", ContentFile(b"x"), save=False)
            doc.save()

    html = assert_constant_queries(client, "/ressources/", grow, django_assert_max_num_queries)
    assert html.count('class="list-group-item"') == 12


def test_home_query_count_does_not_grow_with_posts_and_events(client, home, django_assert_max_num_queries):
    from bulletin.models import Post
    from events.models import EventIndexPage, EventPage

    Post.objects.exclude(title="Camionnette disponible les mardis").delete()
    Post.objects.update(state=Post.State.PUBLISHED)
    events = list(EventPage.objects.filter(start__gte=datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)))
    for event in events[1:]:
        event.delete()
    index = in_default_locale(EventIndexPage.objects).get()

    def grow(n):
        template = Post.objects.first()
        for i in range(n):
            post = Post.objects.create(
                kind=template.kind,
                title=f"Annonce {n}-{i}",
                description="x",
                category=template.category,
                organisation="O",
                contact_name="C",
                contact_email="c@example.org",
                expires_on=template.expires_on,
                state=Post.State.PUBLISHED,
                published_at=template.published_at,
            )
            post.regions.set(template.regions.all())
        first = in_default_locale(EventPage.objects).first()
        for i in range(n):
            copy = first.copy(to=index, update_attrs={"slug": f"copie-{n}-{i}", "title": f"Copie {i}"})
            copy.save_revision().publish()

    html = assert_constant_queries(client, "/", grow, django_assert_max_num_queries, small=0, large=5)
    assert html.count('class="card h-100"') == 6  # three posts, three events
