"""In Chromium: sign up, open the confirmation link from the email, change preferences, unsubscribe."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from newsletter.models import Subscriber

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_signup_confirm_preferences_unsubscribe(page, live_server, celery_worker, smtp):
    call_command("seed_demo", stdout=StringIO())
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    page.goto(live_server.url + "/infolettre/inscription/")
    page.get_by_label(re.compile(r"^\s*Courriel")).fill("lucie@example.org")
    page.get_by_label("Prénom (facultatif)").fill("Lucie")
    page.get_by_label("Formations").check()
    page.get_by_label(re.compile("J'accepte de recevoir l'infolettre")).check()
    page.get_by_role("button", name="M'abonner").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifiez vos courriels")

    _, confirmation = smtp.wait_for_message(lambda to, m: to == ["lucie@example.org"])
    link = re.search(r"http://testserver(/infolettre/confirmer/\S+/)", confirmation.get_content()).group(1)
    page.goto(live_server.url + link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes préférences")
    expect(page.get_by_text("Abonné", exact=True)).to_be_visible()

    page.get_by_label("Babillard").check()
    page.get_by_label("Langue").select_option("en")
    page.get_by_role("button", name="Enregistrer mes préférences").click()
    expect(page.get_by_text("Préférences enregistrées.")).to_be_visible()
    subscriber = Subscriber.objects.get(email="lucie@example.org")
    assert subscriber.language == "en"
    assert set(subscriber.topics.values_list("slug", flat=True)) == {"generale", "formations", "babillard"}

    page.get_by_role("link", name="Me désabonner de tout").click()
    page.get_by_role("button", name="Confirmer le désabonnement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Désabonnement confirmé")
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    assert [r.action for r in subscriber.ledger.all()] == [
        "subscribed",
        "confirmed",
        "preferences",
        "unsubscribed",
    ]
    assert errors == []


@pytest.mark.parametrize(
    "path", ["/infolettre/", "/infolettre/inscription/", "/infolettre/archives/novembre-2026/"]
)
def test_newsletter_pages_pass_axe(page, live_server, path):
    from axe_playwright_python.sync_playwright import Axe

    call_command("seed_demo", stdout=StringIO())
    page.goto(live_server.url + path)
    results = Axe().run(
        page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
    )
    assert results.violations_count == 0, results.generate_report()
