"""The public directory `/organismes/`: only organisations that consented, filters, profiles with their
current posts and a count of events (no names), schema.org JSON-LD, both languages, constant queries."""

import json
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bulletin.models import Post
from website.models import Organisation, Region


def json_ld(html):
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))


def test_the_directory_shows_only_organisations_that_consented(client, home):
    html = client.get("/organismes/").content.decode()
    assert "Comptoir alimentaire du Nord (fictif)" in html and "Friperie solidaire (fictif)" in html
    assert "Association des aînés de Mirabel" not in html  # verified, but no consent
    assert "Collectif des rédactrices" not in html  # created from a typed name: no consent
    hidden = Organisation.objects.get(name="Association des aînés de Mirabel (fictif)")
    assert client.get(f"/organismes/{hidden.slug}/").status_code == 404
    assert client.get(f"/en/organismes/{hidden.slug}/").status_code == 404


def test_filters_by_region_and_type(client, home):
    html = client.get("/organismes/?region=antoine-labelle").content.decode()
    assert "Comptoir alimentaire du Nord" in html and "Popote roulante" not in html
    html = client.get("/organismes/?type=cooperative").content.decode()
    assert "Coopérative de services" in html and "Comptoir alimentaire" not in html
    html = client.get("/organismes/?region=nulle-part&type=nul").content.decode()
    assert "Comptoir alimentaire du Nord" in html  # an unknown filter filters nothing
    assert client.get("/organismes/?region=99999999999999999999999").status_code == 200


def test_a_profile_shows_current_posts_and_a_count_of_events_with_json_ld(client, home):
    comptoir = Organisation.objects.get(name="Comptoir alimentaire du Nord (fictif)")
    response = client.get(f"/organismes/{comptoir.slug}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Offres et demandes en cours" in html and "Camionnette disponible les mardis" in html
    assert "A pris part à 1 événement du réseau." in html  # the demo's past workshop
    assert "Nathalie Bélanger" not in html  # who registered is never shown
    data = json_ld(html)
    assert data["@type"] == "Organization" and data["name"] == comptoir.name
    assert data["alternateName"] == "CAN" and data["areaServed"][0]["name"] == "Antoine-Labelle"
    assert data["url"].endswith(f"/organismes/{comptoir.slug}/")


def test_english_directory_and_profile(client, home):
    html = client.get("/en/organismes/").content.decode()
    assert "Member organisations" in html and 'lang="en' in html
    comptoir = Organisation.objects.get(name="Comptoir alimentaire du Nord (fictif)")
    html = client.get(f"/en/organismes/{comptoir.slug}/").content.decode()
    assert "Current offers and requests" in html and "Took part in 1 network event." in html


def test_names_are_escaped_in_the_page_and_the_json_ld(client, db):
    organisation = Organisation.objects.create(
        name='</script><script>alert("x")</script>', public_profile=True
    )
    html = client.get(f"/organismes/{organisation.slug}/").content.decode()
    assert "<script>alert" not in html
    assert json_ld(html)["name"] == '</script><script>alert("x")</script>'


def make_organisations(count, regions):
    for n in range(count):
        organisation = Organisation.objects.create(
            name=f"Organisme {n:03d}", public_profile=True, kind=Organisation.Kind.NON_PROFIT
        )
        organisation.regions.set(regions)
        organisation.save()


def queries_for(client, url):
    client.get(url)  # warm-up (site, locale, settings caches)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/organismes/", "/organismes/?region=mirabel&type=obnl"])
def test_the_directory_costs_the_same_queries_for_few_or_many_organisations(client, home, url):
    regions = list(Region.objects.all()[:3])
    make_organisations(3, regions)
    few = queries_for(client, url)
    make_organisations(40, regions)
    assert queries_for(client, url) == few


def test_a_profile_costs_the_same_queries_whatever_its_posts(client, home):
    comptoir = Organisation.objects.get(name="Comptoir alimentaire du Nord (fictif)")
    url = f"/organismes/{comptoir.slug}/"
    few = queries_for(client, url)
    template = Post.objects.filter(member_organisation=comptoir, state=Post.State.PUBLISHED).first()
    regions = list(template.regions.all())
    for n in range(8):
        template.pk = None
        template.title = f"Offre {n}"
        template.save()
        template.regions.set(regions)
    assert queries_for(client, url) == few


def test_the_demo_footer_leads_to_the_directory_in_both_languages(client, home):
    html = client.get("/").content.decode()
    assert 'href="/organismes/">Organismes membres</a>' in html
    html = client.get("/en/").content.decode()
    assert 'href="/en/organismes/">Member organisations</a>' in html


def test_a_withdrawn_consent_leaves_the_stored_directory_at_once(
    home, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = 60
    comptoir = Organisation.objects.get(name="Comptoir alimentaire du Nord (fictif)")
    assert comptoir.name in Client().get("/organismes/").content.decode()
    assert Client().get("/organismes/").get("X-Page-Cache") == "hit"
    assert Client().get(f"/organismes/{comptoir.slug}/").status_code == 200
    comptoir.public_profile = False
    with django_capture_on_commit_callbacks(execute=True):
        comptoir.save()
    assert comptoir.name not in Client().get("/organismes/").content.decode()
    assert Client().get(f"/organismes/{comptoir.slug}/").status_code == 404
