"""Generated data posted to every public form: never a 5xx, and an answer that refuses the input
(4xx) leaves every row and the outbox as they were."""

import pytest
from hypothesis import given

from bulletin.models import Post
from newsletter.models import Topic
from tests.fuzz.conftest import changes, snapshot
from tests.fuzz.strategies import fuzz_settings, mutated
from website.models import Region, ResourceCategory

pytestmark = pytest.mark.django_db

EXAMPLES = 30


def post_and_check(client, isolated, path, data):
    """Each example runs in a savepoint rolled back after it, so the state before it is `initial`."""
    with isolated():
        response = client.post(path, data)
        assert response.status_code < 500, (path, data)
        if response.status_code >= 400:
            assert changes(isolated.initial, snapshot()) == [], (path, response.status_code, data)
    return response


def board_post_data():
    return {
        "kind": "offre",
        "title": "Camionnette à partager",
        "description": "Disponible les mardis.",
        "category": ResourceCategory.objects.get(slug="formation").pk,
        "regions": list(Region.objects.values_list("pk", flat=True)[:2]),
        "organisation": "Comptoir du Nord",
        "contact_name": "Alex",
        "contact_email": "alex@example.org",
        "phone": "450 555-0101",
        "show_phone": "on",
        "image_alt": "",
        "available_from": "2026-12-01",
        "available_until": "2026-12-31",
        "expires_on": Post.default_expiry().isoformat(),
        "training_seats": "4",
        "training_cost": "120.50",
        "premises_capacity": "30",
        "premises_accessible": "unknown",
        "staff_hours_per_week": "10",
        "transport_route": "Mirabel - Saint-Jérôme",
        "notify_matches": "on",
        "kept_image": "",
        "forget_image": "",
    }


def test_board_post_form(client, site, isolated):
    @fuzz_settings(EXAMPLES)
    @given(data=mutated(board_post_data()))
    def check(data):
        post_and_check(client, isolated, "/babillard/publier/", data)

    check()


def test_board_post_edit_through_the_magic_link(client, site, isolated):
    valid = board_post_data()
    del valid["contact_email"]

    @fuzz_settings(EXAMPLES)
    @given(data=mutated(valid))
    def check(data):
        post_and_check(client, isolated, site.post_manage, data)

    check()


def test_board_post_close_through_the_magic_link(client, site, isolated):
    valid = {
        "outcome": "shared",
        "partner_organisation": "Partenaire",
        "savings_money": "100.00",
        "savings_hours": "3",
        "savings_km": "40",
    }

    @fuzz_settings(EXAMPLES)
    @given(data=mutated(valid))
    def check(data):
        post_and_check(client, isolated, site.post_manage + "fermer/", data)

    check()


def test_relay_message(client, site, isolated):
    valid = {
        "sender_name": "Camille",
        "sender_organisation": "Organisme B",
        "sender_email": "camille@example.org",
        "body": "Bonjour, est-ce encore disponible?",
    }

    @fuzz_settings(EXAMPLES)
    @given(data=mutated(valid))
    def check(data):
        post_and_check(client, isolated, f"/babillard/{site.post.pk}/contact/", data)

    check()


def test_report(client, site, isolated):
    valid = {"reason": "spam", "details": "Publicité.", "email": "temoin@example.org"}

    @fuzz_settings(EXAMPLES)
    @given(data=mutated(valid))
    def check(data):
        post_and_check(client, isolated, f"/babillard/{site.post.pk}/signaler/", data)

    check()


def test_board_alert_sign_up(client, site, isolated):
    valid = {
        "email": "alerte2@example.org",
        "kind": "offre",
        "category": ResourceCategory.objects.first().pk,
        "region": Region.objects.first().pk,
        "consent": "on",
    }

    @fuzz_settings(EXAMPLES)
    @given(data=mutated(valid))
    def check(data):
        post_and_check(client, isolated, "/babillard/alertes/", data)

    check()


def test_event_registration(client, site, isolated):
    valid = {
        "contact_name": "Dominique",
        "email": "dominique2@example.org",
        "organisation": "Organisme C",
        "seats": "2",
        "allow_partial": "on",
        "attendee_names": "Ana\nBéa",
        "dietary_needs": "Végétarien",
        "accessibility_needs": "Fauteuil roulant",
        "newsletter_consent": "on",
    }

    @fuzz_settings(EXAMPLES)
    @given(data=mutated(valid))
    def check(data):
        post_and_check(client, isolated, site.event_path, data)

    check()


def test_registration_change_through_the_manage_link(client, site, isolated):
    valid = {"seats": "2", "attendee_names": "Ana\nBéa"}

    @fuzz_settings(EXAMPLES)
    @given(data=mutated(valid))
    def check(data):
        post_and_check(client, isolated, site.registration_manage, data)

    check()


def test_newsletter_sign_up(client, site, isolated):
    valid = {
        "email": "lectrice@example.org",
        "first_name": "Léa",
        "organisation": "Organisme D",
        "language": "fr-ca",
        "topics": list(Topic.objects.values_list("pk", flat=True)),
        "consent": "on",
    }

    @fuzz_settings(EXAMPLES)
    @given(data=mutated(valid))
    def check(data):
        post_and_check(client, isolated, "/infolettre/inscription/", data)

    check()


def test_newsletter_preferences(client, site, isolated):
    valid = {"language": "en", "topics": list(Topic.objects.values_list("pk", flat=True))}

    @fuzz_settings(EXAMPLES)
    @given(data=mutated(valid))
    def check(data):
        post_and_check(client, isolated, site.preferences, data)

    check()


def test_newsletter_unsubscribe(client, site, isolated):
    @fuzz_settings(10)
    @given(data=mutated({"List-Unsubscribe": "One-Click"}))
    def check(data):
        post_and_check(client, isolated, site.unsubscribe, data)

    check()


def test_support_request(client, site, isolated):
    valid = {
        "nom_de_lorganisme": "Maison de la famille",
        "personne_ressource": "Julie",
        "courriel": "julie@example.org",
        "telephone": "450 555-0199",
        "region": "Mirabel",
        "ce_que_vous_souhaitez_mutualiser": ["Locaux", "Transport"],
        "decrivez_votre_projet": "Partager une salle.",
    }

    @fuzz_settings(EXAMPLES)
    @given(data=mutated(valid))
    def check(data):
        post_and_check(client, isolated, site.support_page.url, data)

    check()
