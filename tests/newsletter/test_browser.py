"""In Chromium: sign up, open the confirmation link from the email, change preferences, unsubscribe."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
import redis
from django.conf import settings
from playwright.sync_api import expect

from newsletter.models import Subscriber
from tests.support import demo_snapshot
from tests.support.axe import assert_accessible as assert_no_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]
# The address the preview panel's iframe loads (Wagtail: the edit view's preview, in a mode).
PANEL_PREVIEW = re.compile(r"/edit/preview/\?.*in_preview_panel=true")


def wait_for_email_preview(page, text, subject):
    """Wagtail swaps in a new iframe once a preview has loaded; wait until the shown one is the email."""
    page.wait_for_function(
        """([text, subject]) => {
            const body = document.querySelector("#w-preview-iframe")?.contentDocument?.body;
            return body && body.innerText.includes(text) && body.innerText.includes(subject);
        }""",
        arg=[text, subject],
        timeout=60_000,
    )


def test_signup_confirm_preferences_unsubscribe(page, live_server, celery_worker, smtp):
    demo_snapshot.load_demo()
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
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirmer mon abonnement")
    assert Subscriber.objects.get(email="lucie@example.org").state == Subscriber.State.PENDING
    page.get_by_role("button", name="Confirmer mon abonnement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes préférences")
    expect(page.get_by_role("status")).to_contain_text("C'est confirmé : vous recevrez l'infolettre.")
    expect(page.get_by_text("Abonné", exact=True)).to_be_visible()

    page.get_by_label("Babillard").check()
    page.get_by_label("Langue").select_option("en")
    page.get_by_role("button", name="Enregistrer mes préférences").click()
    # The preference centre now speaks the language just chosen.
    expect(page.get_by_role("heading", level=1)).to_have_text("My preferences")
    expect(page.get_by_role("status")).to_contain_text("Preferences saved.")
    assert "/en/infolettre/preferences/" in page.url
    subscriber = Subscriber.objects.get(email="lucie@example.org")
    assert subscriber.language == "en"
    assert set(subscriber.topics.values_list("slug", flat=True)) == {"generale", "formations", "babillard"}

    page.get_by_role("link", name="Unsubscribe from everything").click()
    page.get_by_role("button", name="Confirm unsubscribing").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Unsubscribed")
    subscriber.refresh_from_db()
    assert subscriber.state == Subscriber.State.UNSUBSCRIBED
    assert [r.action for r in subscriber.ledger.all()] == [
        "subscribed",
        "confirmed",
        "preferences",
        "unsubscribed",
    ]
    assert errors == []


def test_editor_previews_the_email_sends_a_test_then_sends_and_watches_it_finish(page, live_server, smtp):
    from django.contrib.auth import get_user_model

    from newsletter.models import NewsletterIssuePage, Send
    from tests.support.worker import CeleryWorker
    from website.i18n import in_default_locale

    demo_snapshot.load_demo()
    get_user_model().objects.create_superuser("redaction", "redaction@example.org", "mot-de-passe-long")
    issue = in_default_locale(NewsletterIssuePage.objects).get(slug="novembre-2026")
    queue = redis.Redis.from_url(settings.REDIS_URL)
    queue.delete("newsletter")
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Nom d’utilisateur").fill("redaction")
    page.get_by_label("Mot de passe").fill("mot-de-passe-long")
    page.get_by_role("button", name="S'identifier").click()

    # The email as English readers will get it, in the live preview of the edit screen. The mode is
    # chosen while the panel's first preview (the web page) is still loading, as a quick editor does and
    # as a loaded machine made this test do now and then: the email must come all the same.
    page.goto(live_server.url + f"/admin/pages/{issue.pk}/edit/")
    first_load = []
    page.route(PANEL_PREVIEW, lambda route: route.continue_() if first_load else first_load.append(route))
    page.locator("[data-side-panel-toggle='preview']").click()
    for _ in range(600):
        if first_load:
            break
        page.wait_for_timeout(50)
    assert parse_qs(urlsplit(first_load[0].request.url).query, keep_blank_values=True)["mode"] == [""]
    page.locator("#id_preview_mode").select_option("email-en")
    first_load[0].continue_()
    wait_for_email_preview(page, "View in browser", issue.subject)
    page.locator("#id_preview_mode").select_option("email-fr-ca")
    wait_for_email_preview(page, "Voir dans le navigateur", issue.subject)

    # From the page listing to the send screen, which names the issue and its audience.
    page.goto(live_server.url + f"/admin/pages/{issue.get_parent().pk}/")
    page.get_by_role("row").filter(has_text=issue.title).get_by_role("link", name="Envoyer").click()
    expect(page.get_by_role("heading", name=issue.title, exact=True)).to_be_visible()
    expect(page.get_by_text("3 personnes abonnées recevront ce numéro.")).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_label("Adresses (séparées par des virgules)").fill("moi@example.org, toi@example.org")
    page.get_by_role("button", name="Envoyer le test").click()
    expect(page.get_by_text("Envoi de test fait : une copie à chacune des 2 adresses.")).to_be_visible()

    page.get_by_role("button", name="Envoyer maintenant…").click()
    expect(
        page.get_by_text(f"Vous allez envoyer « {issue.subject} » maintenant à 3 personnes.")
    ).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Oui, envoyer à 3 personnes").click()
    section = page.locator("[data-progress-url]")
    expect(section.get_by_text("Planifié")).to_be_visible()  # no newsletter worker yet: queued
    expect(section.get_by_role("button", name="Annuler l'envoi")).to_be_visible()
    expect(page.get_by_role("button", name="Envoyer maintenant…")).to_have_count(0)
    page.evaluate("window.sameDocument = true")

    worker = CeleryWorker(email_url=smtp.url, name="nl-browser", queues="newsletter").start()
    try:
        expect(section.get_by_text("Terminé")).to_be_visible(timeout=60_000)
    finally:
        worker.dismiss()
    expect(section.get_by_role("button", name="Annuler l'envoi")).to_be_hidden()
    expect(section.get_by_role("button", name="Pause")).to_be_hidden()
    expect(section.locator('[data-field="sent"]')).to_have_text("3")
    assert page.evaluate("window.sameDocument") is True  # shown without a reload
    assert Send.objects.get().state == Send.State.DONE
    assert errors == []


@pytest.mark.parametrize(
    "path",
    [
        "/infolettre/",
        "/infolettre/inscription/",
        "/infolettre/archives/novembre-2026/",
        "/en/infolettre/archives/novembre-2026/",
        "/infolettre/lien-exemple/",
    ],
)
def test_newsletter_pages_pass_axe(page, live_server, path):
    demo_snapshot.load_demo()
    page.goto(live_server.url + path)
    assert_no_axe_violations(page)


def test_confirmation_and_preference_pages_pass_axe(page, live_server, demo, make_subscriber):
    from newsletter import links

    pending = make_subscriber("axe@example.org", state=Subscriber.State.PENDING)
    for language in ("fr-ca", "en"):
        page.goto(live_server.url + links.confirm_link(pending).replace("http://testserver", ""))
        assert_no_axe_violations(page)
        page.goto(live_server.url + links.path(pending, "newsletter.preferences", language))
        page.get_by_role("checkbox", checked=True).uncheck()
        page.locator("form button[type=submit]").first.click()  # no topic left: an error beside the field
        expect(page.locator("[id^=error_]").first).to_be_visible()
        assert_no_axe_violations(page)
