"""In Chromium, French and English: the renewal page from the emailed link (axe clean), its button makes
the consent express; the editors' dashboard panel (axe clean) lists the consents lapsing soon."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from newsletter import consent_renewal
from newsletter.models import Subscriber
from tests import factories
from tests.support.axe import assert_accessible as assert_no_axe_violations
from website.models import OutgoingEmail

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PANEL = "section[aria-labelledby=infolettre-consentements-titre]"


def emailed_path(subscriber):
    body = OutgoingEmail.objects.get(tag="newsletter.renewal", to=[subscriber.email]).body
    return re.search(r"https?://[^/\s]+(/(?:en/)?infolettre/renouveler/[^\s]+/)", body).group(1)


@pytest.mark.parametrize(
    "language, button, done",
    [
        ("fr-ca", "Oui, je veux continuer de recevoir l'infolettre", "vous continuerez de recevoir"),
        ("en", "Yes, I want to keep receiving the newsletter", "you will keep receiving"),
    ],
)
def test_the_renewal_page_in_each_language(page, live_server, language, button, done):
    factories.newsletter_archive()
    subscriber = factories.SubscriberFactory(
        email="tacite@example.org",
        language=language,
        consent_expires_at=timezone.now() + datetime.timedelta(days=20),
    )
    consent_renewal.ask_renewals()
    page.goto(live_server.url + emailed_path(subscriber))
    assert page.locator("html").get_attribute("lang").startswith(language[:2])
    assert_no_axe_violations(page)
    subscriber.refresh_from_db()
    assert subscriber.consent_expires_at is not None  # the page alone changes nothing
    page.get_by_role("button", name=button).click()
    expect(page.get_by_text(re.compile(done))).to_be_visible()
    subscriber.refresh_from_db()
    assert subscriber.consent_expires_at is None and subscriber.ledger.get().action == "renewed"


def test_the_dashboard_panel(page, live_server, admin_user):
    factories.home_page()
    for index in range(3):
        factories.SubscriberFactory(
            email=f"bientot{index}@example.org",
            consent_expires_at=timezone.now() + datetime.timedelta(days=10 + 30 * index),
        )
    consent_renewal.ask_renewals()
    page.goto(live_server.url + "/admin/login/")
    page.locator("#id_username").fill(admin_user.username)
    page.locator("#id_password").fill("password")
    page.locator("form button[type=submit]").click()
    page.wait_for_url(live_server.url + "/admin/")
    panel = page.locator(PANEL)
    expect(panel).to_contain_text("3 consentements tacites prennent fin dans les 90 prochains jours")
    expect(panel.locator("tbody tr")).to_have_count(3)
    assert_no_axe_violations(page, context=PANEL)
    panel.get_by_role("link", name=re.compile("3 consentements")).click()
    expect(page.locator("main")).to_contain_text("bientot2@example.org")
    assert Subscriber.objects.count() == 3
