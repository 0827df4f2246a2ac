"""Generated data posted to every public form: never a 5xx, and an answer that refuses the input
(4xx) leaves every row and the outbox as they were. One runner, one row per form in FORMS.

Named hostile cases with the message they must show next to their field (impossible ids, huge numbers,
text too long) are in tests/bulletin/test_hostile_input.py; here the inputs are generated."""

from dataclasses import dataclass
from typing import Any

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


def board_edit_data(site):
    valid = board_post_data()
    del valid["contact_email"]  # the magic link's form has no address to change
    return valid


CLOSE_DATA = {
    "outcome": "shared",
    "partner_organisation": "Partenaire",
    "savings_money": "100.00",
    "savings_hours": "3",
    "savings_km": "40",
}
RELAY_DATA = {
    "sender_name": "Camille",
    "sender_organisation": "Organisme B",
    "sender_email": "camille@example.org",
    "body": "Bonjour, est-ce encore disponible?",
}
REPORT_DATA = {"reason": "spam", "details": "Publicité.", "email": "temoin@example.org"}


def alert_data(site):
    return {
        "email": "alerte2@example.org",
        "kind": "offre",
        "category": ResourceCategory.objects.first().pk,
        "region": Region.objects.first().pk,
        "consent": "on",
    }


REGISTRATION_DATA = {
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
REGISTRATION_CHANGE_DATA = {"seats": "2", "attendee_names": "Ana\nBéa"}


def newsletter_sign_up_data(site):
    return {
        "email": "lectrice@example.org",
        "first_name": "Léa",
        "organisation": "Organisme D",
        "language": "fr-ca",
        "topics": list(Topic.objects.values_list("pk", flat=True)),
        "consent": "on",
    }


def preferences_data(site):
    return {"language": "en", "topics": list(Topic.objects.values_list("pk", flat=True))}


SUPPORT_DATA = {
    "nom_de_lorganisme": "Maison de la famille",
    "personne_ressource": "Julie",
    "courriel": "julie@example.org",
    "telephone": "450 555-0199",
    "region": "Mirabel",
    "ce_que_vous_souhaitez_mutualiser": ["Locaux", "Transport"],
    "decrivez_votre_projet": "Partager une salle.",
}


@dataclass(frozen=True)
class PublicForm:
    """A public form: where it posts (from the seeded `site`) and valid data to mutate (a dict, or a
    function of `site` when it needs rows of the demo)."""

    name: str
    path: Any  # site -> path
    valid: Any  # dict, or site -> dict
    examples: int = EXAMPLES

    def data(self, site):
        return self.valid(site) if callable(self.valid) else self.valid


FORMS = [
    PublicForm("board_post_form", lambda site: "/babillard/publier/", lambda site: board_post_data()),
    PublicForm("board_post_edit_through_the_magic_link", lambda site: site.post_manage, board_edit_data),
    PublicForm(
        "board_post_close_through_the_magic_link", lambda site: site.post_manage + "fermer/", CLOSE_DATA
    ),
    PublicForm("relay_message", lambda site: f"/babillard/{site.post.pk}/contact/", RELAY_DATA),
    PublicForm("report", lambda site: f"/babillard/{site.post.pk}/signaler/", REPORT_DATA),
    PublicForm("board_alert_sign_up", lambda site: "/babillard/alertes/", alert_data),
    PublicForm("event_registration", lambda site: site.event_path, REGISTRATION_DATA),
    PublicForm(
        "registration_change_through_the_manage_link",
        lambda site: site.registration_manage,
        REGISTRATION_CHANGE_DATA,
    ),
    PublicForm("newsletter_sign_up", lambda site: "/infolettre/inscription/", newsletter_sign_up_data),
    PublicForm("newsletter_preferences", lambda site: site.preferences, preferences_data),
    PublicForm(
        "newsletter_unsubscribe", lambda site: site.unsubscribe, {"List-Unsubscribe": "One-Click"}, 10
    ),
    PublicForm("support_request", lambda site: site.support_page.url, SUPPORT_DATA),
    PublicForm("space_link_request", lambda site: "/mon-espace/", {"email": "alex@example.org"}),
]


@pytest.mark.parametrize("form", FORMS, ids=lambda form: form.name)
def test_generated_data_on_a_public_form(client, site, isolated, form):
    path = form.path(site)

    @fuzz_settings(form.examples)
    @given(data=mutated(form.data(site)))
    def check(data):
        post_and_check(client, isolated, path, data)

    check()
