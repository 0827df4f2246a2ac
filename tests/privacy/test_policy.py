"""The privacy policy (Law 25): seeded, editable, linked from the footer, next to every consent box and
from every public form's privacy notice, in the reader's language."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from bulletin.models import Post
from events.models import EventPage
from website.i18n import in_default_locale
from website.models import OrganisationSettings, PrivacyPolicyPage

pytestmark = pytest.mark.django_db

FR = "/politique-de-confidentialite/"
EN = "/en/politique-de-confidentialite/"


def html(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_demo_seeds_a_policy_that_names_the_officer_and_the_retention_periods(demo, client, settings):
    page = in_default_locale(PrivacyPolicyPage.objects).get()
    assert page.live and page.body and page.get_url() == FR
    text = html(client, FR)
    for words in ("Ce que chaque formulaire recueille", "Inscription à un événement", "Vos droits"):
        assert words in text
    assert "vie-privee@example.org" in text  # the officer, from the organisation's settings
    assert "Durées de conservation" in text and "6 mois" in text and "30 jours" in text and "12 mois" in text

    settings.RETENTION_ATTENDEES_MONTHS = 9
    org = OrganisationSettings.objects.get()
    org.privacy_officer_email = "dpo@exemple.org"
    org.save()
    text = html(client, FR)
    assert "9 mois" in text and "dpo@exemple.org" in text and "vie-privee@example.org" not in text


def test_the_policy_is_an_editable_page_in_the_admin(demo, client):
    client.force_login(get_user_model().objects.create_superuser("root", "root@example.org", "pw"))
    page = in_default_locale(PrivacyPolicyPage.objects).get()
    assert client.get(f"/admin/pages/{page.pk}/edit/").status_code == 200


def test_english_readers_get_the_policy_under_en_with_english_headings(demo, client):
    text = html(client, EN)
    assert "Retention periods" in text and "Personal information officer" in text
    assert 'lang="en"' in text


@pytest.mark.parametrize("home, policy", [("/", FR), ("/en/", EN)])
def test_the_footer_links_to_the_policy_in_the_readers_language(demo, client, home, policy):
    footer = html(client, home).split("site-footer", 1)[1]
    assert f'href="{policy}"' in footer


def consent_help(page, name):
    """The help text under the consent box `name`: where the link must be, announced with the box."""
    found = re.search(rf'id="id_{name}_helptext"[^>]*>(.*?)</div>', page, re.S)
    assert found, f"no help text for {name}"
    assert f'aria-describedby="id_{name}_helptext"' in page
    return found.group(1)


def consent_pages():
    event = in_default_locale(EventPage.objects).get(slug="reseautage-basses-laurentides")
    return [
        ("/infolettre/inscription/", "consent"),
        ("/", "consent"),  # the sign-up box on the home page
        ("/infolettre/", "consent"),
        ("/babillard/alertes/", "consent"),
        (event.url, "newsletter_consent"),
    ]


@pytest.mark.parametrize("language", ["", "/en"])
def test_every_consent_box_links_to_the_policy(demo, client, language):
    for url, name in consent_pages():
        page = html(client, language + url)
        assert f'href="{language}{FR}"' in consent_help(page, name), url


def public_forms():
    with translation.override("fr-ca"):
        post_url = Post.objects.published().first().get_absolute_url()
    event = in_default_locale(EventPage.objects).get(slug="reseautage-basses-laurentides")
    return {
        "/babillard/publier/": 1,
        post_url: 2,  # the relay and the report
        "/babillard/alertes/": 1,
        event.url: 1,
        "/infolettre/inscription/": 1,
        "/accompagnement/": 1,
    }


def test_every_public_form_states_what_its_data_is_for_and_links_to_the_policy(demo, client):
    for url, forms in public_forms().items():
        page = html(client, url)
        notices = re.findall(r'<p class="form-text privacy-notice">(.*?)</p>', page, re.S)
        assert len(notices) == forms, url
        assert all(f'href="{FR}"' in notice for notice in notices), url
    registration = html(
        client, in_default_locale(EventPage.objects).get(slug="reseautage-basses-laurentides").url
    )
    assert "effacés quelques mois après l" in registration


def test_without_a_policy_page_forms_still_work_and_link_nothing(demo, client):
    for page in PrivacyPolicyPage.objects.all():
        page.unpublish()
    page = html(client, "/infolettre/inscription/")
    assert FR not in page and "privacy-notice" in page
