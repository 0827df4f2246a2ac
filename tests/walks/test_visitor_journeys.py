"""Visitors in both languages, in Chromium, reading the real emails (loopback SMTP, real worker):
board post → confirm → moderation → relay message → report; event registration → manage → cancel;
newsletter sign-up → confirm → preferences → unsubscribe."""

import re

import pytest
from playwright.sync_api import expect

from tests.walks.journeys import (
    LANGUAGE_CODE,
    PREFIX,
    collect_errors,
    email_to,
    link_in,
    log_in,
    status_message,
    t,
)

pytestmark = [pytest.mark.browser, pytest.mark.worker]

LANGUAGES = ["fr", "en"]
POSTER, WRITER, REPORTER = "poster@example.org", "camille@example.org", "veille@example.org"
TITLES = {"fr": "Remorque à prêter les fins de semaine", "en": "Trailer to lend on weekends"}


def submit_board_post(page, server, language, title):
    page.goto(f"{server}{PREFIX[language]}/babillard/publier/")
    expect(page.locator("html")).to_have_attribute("lang", re.compile(language))
    page.locator("input[name=kind][value=offre]").check()
    page.locator("#id_title").fill(title)
    page.locator("#id_description").fill(
        "Remorque fermée 5 × 8 pi, attache 2 po. Libre du vendredi au lundi."
    )
    page.locator("#id_category").select_option(index=1)
    page.locator("input[name=regions]").first.check()
    page.locator("#id_organisation").fill("Banque alimentaire d'Argenteuil")
    page.locator("#id_contact_name").fill("Dominique Lévesque")
    page.locator("#id_contact_email").fill(POSTER)
    page.get_by_role("button", name=t(language, "Envoyer mon annonce")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t(language, "Vérifiez vos courriels"))


def open_and_confirm(page, server, path, button):
    """A link from an email: the GET shows a button (mail scanners change nothing), the POST acts."""
    page.goto(server + path)
    page.get_by_role("button", name=button).click()


@pytest.mark.parametrize("language", LANGUAGES)
def test_board_post_confirm_moderate_relay_report(live_server, demo, celery_worker, smtp, page, language):
    from bulletin.models import Post

    server, title = live_server.url, TITLES[language]
    errors = collect_errors(page)

    submit_board_post(page, server, language, title)
    confirmation = email_to(smtp, POSTER, t(language, "Confirmez votre annonce au babillard"))
    open_and_confirm(
        page,
        server,
        link_in(confirmation, language, "/babillard/confirmer/"),
        t(language, "Confirmer mon adresse"),
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(t(language, "Adresse confirmée"))
    post = Post.objects.get(title=title)
    assert post.state == Post.State.PENDING and post.language == LANGUAGE_CODE[language]

    # An editor (French admin) publishes it from its edit screen; the poster hears it in their language.
    editor_context = page.context.browser.new_context()
    editor = editor_context.new_page()
    log_in(editor, server)
    editor.goto(f"{server}/admin/snippets/bulletin/post/edit/{post.pk}/")
    editor.get_by_role("button", name="Publier", exact=True).click()
    expect(editor.get_by_text(f"Annonce « {title} » publiée")).to_be_visible()
    editor_context.close()  # before Wagtail's editing-session pings outlive the test
    approved = email_to(smtp, POSTER, t(language, "Votre annonce est publiée"))
    assert f"{PREFIX[language]}/babillard/" in link_in(approved, language, "/babillard/")

    # A reader finds it on the board and writes through the relay; the address stays hidden.
    page.goto(f"{server}{PREFIX[language]}/babillard/")
    page.get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    assert POSTER not in page.content()
    page.locator("#id_sender_name").fill("Camille Béland")
    page.locator("#id_sender_email").fill(WRITER)
    page.locator("#id_body").fill("Bonjour, la remorque serait-elle libre le 12?")
    page.get_by_role("button", name=t(language, "Envoyer le message")).click()
    status_message(page, t(language, "Votre message a été transmis. La personne vous répondra directement."))
    relayed = email_to(
        smtp, POSTER, t(language, "Message au sujet de votre annonce « %(title)s »", title=title)
    )
    assert relayed["Reply-To"] == WRITER
    assert "la remorque serait-elle libre le 12?" in relayed.get_body(("plain",)).get_content()

    # Someone reports it, then confirms the report from the email.
    page.get_by_text(t(language, "Signaler cette annonce")).click()
    page.locator("#id_reason").select_option(index=1)
    page.locator("#id_email").fill(REPORTER)
    page.get_by_role("button", name=t(language, "Signaler"), exact=True).click()
    status_message(
        page,
        t(
            language,
            "Merci, l'équipe est avisée. Pour que votre signalement compte, confirmez-le par le lien que nous venons d'envoyer à votre adresse.",
        )[:40],
    )
    report = email_to(smtp, REPORTER, t(language, "Confirmez votre signalement"))
    open_and_confirm(
        page,
        server,
        link_in(report, language, "/babillard/signalements/confirmer/"),
        t(language, "Confirmer mon signalement"),
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(t(language, "Signalement confirmé"))
    assert post.reports.get(email=REPORTER).confirmed_at is not None
    # Editors were told at the first report, in the admin's language.
    smtp.wait_for_message(lambda to, m: str(m["Subject"]).strip().startswith(f"Annonce signalée : {title}"))
    assert errors == []


ATTENDEE = "alex@example.org"
EVENT = "Café-réseautage des Basses-Laurentides"


def cancel_registration(page, language):
    """Cancel from "My registration"; a confirmation step, where there is one, is taken too."""
    with page.expect_navigation():  # reading the page before the answer arrives reads the old one
        page.get_by_role("button", name=t(language, "Annuler mon inscription")).click()
    done = t(language, "Votre inscription est annulée. Merci de nous avoir prévenus.")
    if not page.get_by_text(done).count():
        page.get_by_role("button", name=re.compile(t(language, "Annuler mon inscription"))).last.click()
    status_message(page, done)


@pytest.mark.parametrize("language", LANGUAGES)
def test_event_registration_manage_cancel(live_server, demo, celery_worker, smtp, page, language):
    from events.models import Registration

    server, prefix = live_server.url, PREFIX[language]
    errors = collect_errors(page)
    page.goto(f"{server}{prefix}/evenements/")
    link = page.get_by_role("main").get_by_role("link", name=EVENT).first
    assert link.get_attribute("href").startswith(f"{prefix}/evenements/")
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(EVENT)

    page.locator("#id_contact_name").fill("Alex Tremblay")
    page.locator("#id_email").fill(ATTENDEE)
    page.locator("#id_organisation").fill("Comptoir d'entraide de Mirabel")
    page.locator("#id_seats").fill("1")
    page.locator("#id_dietary_needs").fill("Végétarien")
    page.get_by_role("button", name=t(language, "M'inscrire")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t(language, "Mon inscription"))
    assert f"{prefix}/inscriptions/" in page.url
    registration = Registration.objects.get(email=ATTENDEE)
    assert registration.state == "confirmed"

    # The confirmation email, in the reader's language, leads back to the same page.
    confirmed = email_to(smtp, ATTENDEE, t(language, "Inscription confirmée : %(title)s", title="").strip())
    page.goto(server + link_in(confirmed, language, "/inscriptions/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(t(language, "Mon inscription"))

    # Manage: two seats now, then cancel.
    page.locator("#id_seats").fill("2")
    page.get_by_role("button", name=t(language, "Enregistrer"), exact=True).click()
    status_message(page, t(language, "Inscription mise à jour."))
    registration.refresh_from_db()
    assert registration.seats == 2
    cancel_registration(page, language)
    email_to(smtp, ATTENDEE, t(language, "Inscription annulée : %(title)s", title="").strip())
    registration.refresh_from_db()
    assert registration.state == "cancelled"
    assert errors == []


SUBSCRIBER = "lucie@example.org"


@pytest.mark.parametrize("language", LANGUAGES)
def test_newsletter_signup_confirm_preferences_unsubscribe(
    page, live_server, demo, celery_worker, smtp, language
):
    from newsletter.models import Subscriber

    server, prefix = live_server.url, PREFIX[language]
    errors = collect_errors(page)
    page.goto(f"{server}{prefix}/infolettre/inscription/")
    page.locator("#id_email").fill(SUBSCRIBER)
    page.locator("#id_first_name").fill("Lucie")
    page.locator("#id_consent").check()
    page.get_by_role("button", name=t(language, "M'abonner")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t(language, "Vérifiez vos courriels"))
    assert Subscriber.objects.get(email=SUBSCRIBER).state == Subscriber.State.PENDING

    confirmation = email_to(smtp, SUBSCRIBER, t(language, "Confirmez votre abonnement à l'infolettre"))
    page.goto(server + link_in(confirmation, language, "/infolettre/confirmer/"))
    assert Subscriber.objects.get(email=SUBSCRIBER).state == Subscriber.State.PENDING  # a GET changes nothing
    page.get_by_role("button", name=t(language, "Confirmer mon abonnement")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t(language, "Mes préférences"))
    status_message(
        page, t(language, "C'est confirmé : vous recevrez l'infolettre. Vos préférences sont ci-dessous.")
    )

    topics = page.locator("input[name=topics]")
    topics.nth(1).check()
    page.get_by_role("button", name=t(language, "Enregistrer mes préférences")).click()
    status_message(page, t(language, "Préférences enregistrées."))
    subscriber = Subscriber.objects.get(email=SUBSCRIBER)
    assert subscriber.state == Subscriber.State.CONFIRMED and subscriber.topics.count() == 2
    assert subscriber.language == {"fr": "fr-ca", "en": "en"}[language]

    page.get_by_role("link", name=t(language, "Me désabonner de tout")).click()
    page.get_by_role("button", name=t(language, "Confirmer le désabonnement")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t(language, "Désabonnement confirmé"))
    subscriber.refresh_from_db()
    assert subscriber.state == Subscriber.State.UNSUBSCRIBED
    assert errors == []
