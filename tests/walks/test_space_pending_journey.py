"""A newsletter sign-up left unconfirmed, walked in Chromium on a phone in both languages with the real
emails (loopback SMTP, real worker): signed up from the home page's block, the person finds it in Mon
espace as waiting for confirmation, has the confirmation sent again, then cancels it; the emailed
confirmation link is dead afterwards. axe finds nothing on the space showing it."""

import pytest
from playwright.sync_api import expect

from tests.support.axe import violations
from tests.walks.journeys import PHONE, PREFIX, collect_errors, email_to, link_in, t

pytestmark = [pytest.mark.browser, pytest.mark.worker]

PERSON = "emilie@example.org"


def confirmations(smtp, subject):
    with smtp.lock:
        return [
            m for to, m in smtp.messages if to == [PERSON] and subject in " ".join(str(m["Subject"]).split())
        ]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_pending_sign_up_is_resent_then_cancelled_from_the_space(
    live_server, demo, celery_worker, smtp, browser, language
):
    from newsletter.models import Subscriber

    server, prefix = live_server.url, PREFIX[language]
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    errors = collect_errors(page)

    page.goto(f"{server}{prefix}/")
    page.locator("#id_email").fill(PERSON)
    page.locator("#id_consent").check()
    page.get_by_role("button", name=t(language, "M'abonner")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t(language, "Vérifiez vos courriels"))
    subject = t(language, "Confirmez votre abonnement à l'infolettre")
    first = link_in(email_to(smtp, PERSON, subject), language, "/infolettre/confirmer/")

    page.goto(f"{server}{prefix}/mon-espace/")
    page.locator("#id_email").fill(PERSON)
    page.get_by_role("button", name=t(language, "Recevoir mon lien")).click()
    space = link_in(email_to(smtp, PERSON, t(language, "Le lien de votre espace")), language, "/mon-espace/")
    page.goto(server + space)
    expect(page.get_by_text(t(language, "En attente de confirmation"))).to_be_visible()
    assert violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.get_by_role("button", name=t(language, "Renvoyer le courriel de confirmation")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t(language, "Courriel de confirmation envoyé"))
    for _ in range(600):
        if len(confirmations(smtp, subject)) >= 2:
            break
        page.wait_for_timeout(100)
    assert len(confirmations(smtp, subject)) == 2

    page.goto(server + space)
    page.get_by_role("button", name=t(language, "Annuler l'inscription")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        t(language, "Inscription à l'infolettre annulée")
    )
    assert not Subscriber.objects.filter(email=PERSON).exists()
    page.goto(server + first)
    expect(page.get_by_role("heading", level=1)).to_have_text(t(language, "Lien invalide ou expiré"))
    context.close()
    assert errors == []
