import re

import pytest
from django.core import mail
from wagtail.contrib.forms.models import FormSubmission

from website import outbox, services
from website.i18n import in_default_locale
from website.models import OutgoingEmail, SupportRequestPage

pytestmark = pytest.mark.django_db

URL = "/accompagnement/"


def valid_data(**overrides):
    data = {
        "nom_de_lorganisme": "Maison de la famille",
        "personne_ressource": "Julie Tremblay",
        "courriel": "julie@example.org",
        "telephone": "",
        "region": "Mirabel",
        "ce_que_vous_souhaitez_mutualiser": ["Locaux", "Transport"],
        "decrivez_votre_projet": "Partager une salle de formation avec un organisme voisin.",
    }
    data.update(overrides)
    return data


def test_form_fields_are_labelled_and_in_french(client, home):
    html = client.get(URL).content.decode()
    assert re.search(r'<label\s+for="id_courriel"', html)
    assert re.search(r'<label\s+for="id_region"', html)
    assert "Envoyer ma demande" in html


def test_valid_request_is_stored_and_editors_notified_once(client, home, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(URL, valid_data())
    assert response.status_code == 302 and response["Location"].endswith("?envoye=1")
    submission = FormSubmission.objects.get()
    assert submission.form_data["courriel"] == "julie@example.org"
    assert "site_web_personnel" not in submission.form_data
    assert len(callbacks) == 1  # the notification task, queued once the row is committed

    email = OutgoingEmail.objects.get()
    assert outbox.deliver(email.pk) is True
    assert outbox.deliver(email.pk) is False  # a redelivered task sends nothing
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Nouvelle demande d'accompagnement"
    assert message.to == ["accompagnement@example.org"]
    assert message.reply_to == ["julie@example.org"]
    assert "Nom de l'organisme : Maison de la famille" in message.body
    assert "Ce que vous souhaitez mutualiser : Locaux, Transport" in message.body

    landing = client.get(response["Location"]).content.decode()
    assert "Merci" in landing


def test_missing_and_invalid_fields_get_french_errors_and_nothing_is_stored(client, home):
    response = client.post(URL, valid_data(courriel="pas-un-courriel", decrivez_votre_projet=""))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Saisissez une adresse de courriel valide." in html
    assert 'id="error_1_id_decrivez_votre_projet"><strong>Champ requis.' in html
    assert 'id="error_1_id_courriel"><strong>Saisissez une adresse de courriel valide.' in html
    assert 'value="Maison de la famille"' in html  # what was typed is kept
    assert FormSubmission.objects.count() == 0


def test_script_tags_are_escaped_on_output(client, home):
    response = client.post(URL, valid_data(courriel="x", nom_de_lorganisme="<script>alert(1)</script>"))
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_honeypot_refuses_robots(client, home):
    response = client.post(URL, valid_data(site_web_personnel="http://spam.example"))
    assert response.status_code == 400
    assert "un champ caché a été rempli" in response.content.decode()
    assert FormSubmission.objects.count() == 0


def test_rate_limit_stops_floods(client, home, settings):
    settings.PUBLIC_FORM_RATE = "2/d"
    for _ in range(2):
        assert client.post(URL, valid_data()).status_code == 302
    response = client.post(URL, valid_data())
    assert response.status_code == 429
    assert "Trop d&#x27;envois" in response.content.decode() or "Trop d'envois" in response.content.decode()
    assert FormSubmission.objects.count() == 2


def test_editors_email_is_the_fallback_recipient(home, settings):
    settings.EDITORS_EMAIL = ["equipe@example.org"]
    page = in_default_locale(SupportRequestPage.objects).get()
    page.to_address = ""
    assert services.support_request_recipients(page) == ["equipe@example.org"]
