"""The public impact page on the seeded network (tests/measure/seed.py): its known figures in French and
English, never a person's name or email, a constant number of queries, and what the editor chooses."""

import html
import io
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from pypdf import PdfReader

from bulletin.models import ContactMessage, Post
from events.models import Registration
from measure import report
from measure.models import ImpactPage
from measure.tables import MONEY, display
from newsletter.models import Subscriber
from tests import factories
from tests.measure import seed
from website.accompaniment import requester_email
from website.models import SupportRequest, SupportRequestPage

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _network_for_module(django_db_setup, django_db_blocker):
    """The seeded network and its impact page (period: the seed's scope), in both languages, built once
    per module in a transaction rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        seed.network()
        scope = seed.scope()
        factories.child_page(
            factories.home_page(),
            ImpactPage,
            "impact",
            title="Impact",
            intro="<p>Ce que la mutualisation a permis.</p>",
            period=ImpactPage.Period.DATES,
            first_day=scope.first_day,
            last_day=scope.last_day,
        )
        factories.english_tree()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def network(_network_for_module, db):
    """Each test runs in a savepoint of the module's transaction."""


def text_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return html.unescape(response.content.decode())


def test_the_impact_page_shows_the_known_figures_and_charts_in_french_and_in_english(network, client):
    french = text_of(client, "/impact/")
    english = text_of(client, "/en/impact/")
    for page, language, words in [
        (french, "fr-ca", ["Économies déclarées", "Demandes d'accompagnement reçues", "Portée"]),
        (english, "en", ["Declared savings", "Support requests received", "Reach"]),
    ]:
        with translation.override(language):
            savings = display(Decimal("1234.50"), MONEY)
        assert savings in page, language  # the one mutualisation of the period
        for word in words:
            assert word in page, (language, word)
        assert page.count('class="measure-chart"') >= 5  # charts, each beside its table
        assert "<table" in page
    assert "$1,234.50" in english and "$1,234.50" not in french


def test_the_editor_chooses_the_sections_the_charts_and_the_period(network, client):
    page = ImpactPage.objects.get(locale__language_code="fr-ca")
    page.show_newsletter = page.show_charts = False
    page.save_revision().publish()
    shown = text_of(client, "/impact/")
    assert "Personnes abonnées au début" not in shown and "Économies déclarées" in shown
    assert 'class="measure-chart"' not in shown
    page.period, page.year = ImpactPage.Period.YEAR, 2001
    page.save_revision().publish()
    with translation.override("fr-ca"):
        savings = display(Decimal("1234.50"), MONEY)
    assert savings not in text_of(client, "/impact/")  # nothing happened in 2001


def pdf_of(client, url):
    """(number of pages, text) of the PDF at `url`, read back with pypdf."""
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf", url
    assert response.content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(response.content))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def bare(text):
    return re.sub(r"\s+", "", text)


def test_the_funder_report_is_a_pdf_of_one_or_two_pages_with_the_title_and_known_figures(network, client):
    for url, language, label in [
        ("/impact/rapport/", "fr-ca", "Économies déclarées"),
        ("/en/impact/rapport/", "en", "Declared savings"),
    ]:
        pages, text = pdf_of(client, url)
        assert 1 <= pages <= 2, (url, pages)
        with translation.override(language):
            savings = display(Decimal("1234.50"), MONEY)
            assert cache.get(
                report.cache_key(
                    ImpactPage.objects.get(url_path__endswith="/impact/", locale__language_code=language)
                )
            )
        assert "Impact" in text and bare(label) in bare(text) and bare(savings) in bare(text), language
    french = text_of(client, "/impact/")
    assert 'href="/impact/rapport/"' in french


def people_in_the_data():
    """Every registrant's, poster's, relay sender's, subscriber's and requester's name and email."""
    found = set()
    found |= {v for pair in Post.objects.values_list("contact_name", "contact_email") for v in pair}
    found |= {v for pair in ContactMessage.objects.values_list("sender_name", "sender_email") for v in pair}
    found |= {v for pair in Registration.objects.values_list("contact_name", "email") for v in pair}
    found |= {v for pair in Subscriber.objects.values_list("first_name", "email") for v in pair}
    for support_request in SupportRequest.objects.exclude(submission=None):
        answers = support_request.submission.form_data
        found |= {requester_email(support_request), answers.get("courriel"), answers.get("nom")}
    return {value for value in found if value and len(value) > 2}


def test_no_name_nor_email_of_anyone_appears_on_the_page(network, client):
    factories.child_page(factories.home_page(), SupportRequestPage, "accompagnement", title="Accompagnement")
    requester = factories.support_request(email="requerante.unique@example.org")
    requester.submission.form_data["nom"] = "Rosalie Demandeuse"
    requester.submission.save()
    Post.objects.filter(organisation="Alpha").update(contact_name="Ophélie Cantin")
    Registration.objects.filter(organisation="Bêta").update(contact_name="Gisèle Inscrite")
    Subscriber.objects.filter(organisation="Epsilon").update(first_name="Léopold")
    people = people_in_the_data()
    assert {"Ophélie Cantin", "Gisèle Inscrite", "Léopold", "requerante.unique@example.org"} <= people
    pages = {url: text_of(client, url) for url in ["/impact/", "/en/impact/"]}
    for url in ["/impact/rapport/", "/en/impact/rapport/"]:
        pages[url] = pdf_of(client, url)[1]
    assert "Impact" in pages["/impact/rapport/"]
    for url, page in pages.items():
        shown = [person for person in people if re.search(rf"\b{re.escape(person)}\b", page)]
        assert shown == [], url


def queries(client):
    client.get("/impact/")  # caches warmed (content types, the site, the locale)
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/impact/").status_code == 200
    return len(captured)


def test_the_page_costs_the_same_queries_for_a_small_or_a_large_network(network, client):
    few = queries(client)
    seed.more(3)
    assert queries(client) == few
    seed.more(30)
    assert queries(client) == few
