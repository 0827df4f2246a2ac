"""A completed mutualisation belongs to both organisations: the partner a poster names when closing their
post links to the organisation it designates, both public profiles show it (naming the other only if it
consented), a merge moves it, and posts closed before the link existed are linked by the migration."""

from decimal import Decimal

from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bulletin.models import Post
from bulletin.services import close_post
from tests.factories import PostFactory
from website import organisations
from website.models import Organisation
from website.money import format_money
from website.organisation_migrations import link_typed_names

COMPTOIR = "Comptoir alimentaire du Nord (fictif)"
POPOTE = "Popote roulante de Mirabel (fictif)"


def profile(client, organisation, prefix=""):
    response = client.get(f"{prefix}/organismes/{organisation.slug}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_demo_mutualisation_shows_on_both_profiles_in_both_languages(client, home):
    comptoir, popote = Organisation.objects.get(name=COMPTOIR), Organisation.objects.get(name=POPOTE)
    post = Post.objects.get(title="Chambre froide à partager cet été")
    assert post.member_organisation == comptoir and post.partner == popote

    html = profile(client, comptoir)
    assert "Mutualisations réalisées" in html and "Chambre froide à partager cet été" in html
    assert "1 mutualisation réalisée grâce au babillard." in html
    assert f"Économies déclarées : {format_money(Decimal('1800'), 'fr-ca')}." in html  # 1 800 $
    assert f'href="/organismes/{popote.slug}/"' in html
    assert f'href="/organismes/{comptoir.slug}/"' in profile(client, popote)

    english = profile(client, comptoir, "/en")
    assert "Completed mutualisations" in english and "$1,800" in english
    assert f'href="/en/organismes/{popote.slug}/"' in english
    assert post.contact_email not in html + english  # who wrote the post is never shown


def test_closing_a_post_links_the_typed_partner_and_names_it_only_with_its_consent(client, home):
    comptoir = Organisation.objects.get(name=COMPTOIR)
    post = PostFactory(organisation=COMPTOIR, state=Post.State.PUBLISHED, title="Remorque réfrigérée")
    close_post(post, Post.Outcome.SHARED, partner_organisation="  popote roulante de mirabel (FICTIF) ")
    assert post.partner == Organisation.objects.get(name=POPOTE)  # case, spaces: the same organisation

    hidden = PostFactory(organisation=COMPTOIR, state=Post.State.PUBLISHED, title="Balance commerciale")
    close_post(hidden, Post.Outcome.SHARED, partner_organisation="Épicerie discrète inc.")
    discrete = hidden.partner
    assert discrete.name == "Épicerie discrète inc." and not discrete.verified and not discrete.public_profile

    html = profile(client, comptoir)
    assert "Remorque réfrigérée" in html and "Balance commerciale" in html
    assert "Épicerie discrète" not in html and f"/organismes/{discrete.slug}/" not in html
    assert client.get(f"/organismes/{discrete.slug}/").status_code == 404  # no profile without consent

    close_post(PostFactory(organisation=COMPTOIR, state=Post.State.PUBLISHED), Post.Outcome.NOT_SHARED)
    assert "3 mutualisations réalisées" in profile(client, comptoir)  # a post not shared does not count


def test_a_merge_moves_the_partner_link(home):
    popote = Organisation.objects.get(name=POPOTE)
    post = PostFactory(organisation=COMPTOIR, state=Post.State.PUBLISHED)
    close_post(post, Post.Outcome.SHARED, partner_organisation="La Popote de Mirabel, OBNL")
    duplicate = post.partner
    assert duplicate != popote
    organisations.merge(popote, duplicate)
    post.refresh_from_db()
    assert post.partner == popote


def test_the_migration_links_partners_typed_before_the_link_existed(home):
    popote = Organisation.objects.get(name=POPOTE)
    old = PostFactory(organisation=COMPTOIR, state=Post.State.CLOSED, outcome=Post.Outcome.SHARED)
    Post.objects.filter(pk=old.pk).update(
        partner_organisation="POPOTE ROULANTE DE MIRABEL (fictif)", partner=None
    )
    new_name = PostFactory(organisation=COMPTOIR, state=Post.State.CLOSED, outcome=Post.Outcome.SHARED)
    Post.objects.filter(pk=new_name.pk).update(partner_organisation="Atelier vélo du Nord", partner=None)

    link_typed_names(apps, "bulletin", "Post", text_field="partner_organisation", link_field="partner")

    old.refresh_from_db()
    new_name.refresh_from_db()
    assert old.partner == popote
    assert new_name.partner.name == "Atelier vélo du Nord" and not new_name.partner.verified


def queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_a_profile_costs_the_same_queries_whatever_its_mutualisations(client, home):
    comptoir = Organisation.objects.get(name=COMPTOIR)
    url = f"/organismes/{comptoir.slug}/"
    queries_for(client, url)  # warm what is cached per process (site, settings)
    few = queries_for(client, url)
    for n in range(8):
        post = PostFactory(organisation=COMPTOIR, state=Post.State.PUBLISHED, title=f"Partage {n}")
        close_post(post, Post.Outcome.SHARED, partner_organisation=POPOTE, savings_money=Decimal("10"))
    assert queries_for(client, url) == few
