"""The XSS corpus typed into every text field of every public form: refused next to the field when it
holds markup, otherwise saved exactly as typed (shown safely: see test_xss_browser), never a 5xx."""

import pytest
from django import forms

from bulletin.forms import ContactForm, PostEditForm, PostForm, ReportForm
from events.forms import ManageRegistrationForm, RegistrationForm
from newsletter.forms import SignupForm
from newsletter.models import Topic
from tests.fuzz.conftest import snapshot
from tests.fuzz.test_bounds import text_fields
from tests.fuzz.test_forms import board_post_data
from tests.fuzz.test_xss_browser import PAYLOADS
from website.forms import contains_html

pytestmark = pytest.mark.django_db
HTML_ERROR = "Le HTML n&#x27;est pas accepté"


def cases(site):
    edit = board_post_data()
    del edit["contact_email"]
    return {
        "board": ("/babillard/publier/", board_post_data(), PostForm()),
        "board-edit": (site.post_manage, edit, PostEditForm(instance=site.post)),
        "relay": (
            f"/babillard/{site.post.pk}/contact/",
            {"sender_name": "C", "sender_email": "c@example.org", "body": "Bonjour"},
            ContactForm(),
        ),
        "report": (
            f"/babillard/{site.post.pk}/signaler/",
            {"reason": "other", "email": "t@example.org", "details": "x"},
            ReportForm(),
        ),
        "registration": (
            site.event_path,
            {"contact_name": "D", "email": "d@example.org", "organisation": "O", "seats": "1"},
            RegistrationForm(event=site.event),
        ),
        "registration-manage": (
            site.registration_manage,
            {"seats": "1", "attendee_names": "Ana"},
            ManageRegistrationForm(),
        ),
        "signup": (
            "/infolettre/inscription/",
            {
                "email": "l@example.org",
                "language": "fr-ca",
                "topics": list(Topic.objects.values_list("pk", flat=True)),
                "consent": "on",
            },
            SignupForm(),
        ),
        "support": (
            site.support_page.url,
            {
                "nom_de_lorganisme": "M",
                "personne_ressource": "J",
                "courriel": "j@example.org",
                "region": "Mirabel",
                "ce_que_vous_souhaitez_mutualiser": ["Locaux"],
                "decrivez_votre_projet": "P",
            },
            site.support_page.get_form(page=site.support_page, user=None),
        ),
    }


@pytest.mark.parametrize(
    "form",
    ["board", "board-edit", "relay", "report", "registration", "registration-manage", "signup", "support"],
)
def test_the_corpus_in_every_text_field_is_refused_or_kept_as_typed(client, site, isolated, form):
    path, valid, empty_form = cases(site)[form]
    fields = {
        name: field.max_length
        for name, field in text_fields(empty_form).items()
        if name != "kept_image" and not isinstance(field, forms.EmailField)
    }
    assert fields
    for payload in PAYLOADS:
        with isolated():
            data = {**valid, **{name: payload[:limit] for name, limit in fields.items()}}
            response = client.post(path, data)
            assert response.status_code in (200, 302, 400), (payload, response.status_code)
            if contains_html(payload):
                assert response.status_code == 400 and HTML_ERROR in response.content.decode(), payload
            else:
                assert response.status_code in (200, 302), (payload, response.status_code)
                assert holds(snapshot(), payload), payload


def holds(value, payload):
    """True if `payload` is stored somewhere in `value` exactly as typed (not unescaped, not altered)."""
    if isinstance(value, str):
        return payload in value
    if isinstance(value, dict):
        return any(holds(item, payload) for item in value.values())
    if isinstance(value, list | tuple):
        return any(holds(item, payload) for item in value)
    return False
