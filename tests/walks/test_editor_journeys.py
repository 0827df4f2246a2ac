"""Editors in Chromium, French admin on a desktop and English admin on a phone: each page type they can
add gets an accented French title and is published; its public page, its calendar file where it has one,
and the search find it. Then a newsletter issue: preview the email, send a test, send, watch "Terminé";
and a post moderated from its edit screen."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.walks.journeys import DESKTOP, PHONE, collect_errors, email_to, log_in, t

pytestmark = [pytest.mark.browser]

# Page types an editor adds, with their parent and what each needs besides its title. The other page
# types are one per site (home, resources, privacy policy, events index, newsletter index and archive):
# the demo has them, so the admin offers no second one.
STAMP = timezone.localdate() + datetime.timedelta(days=30)


def fill_event(page):
    page.locator("#id_kind-chooser .unchosen [data-chooser-action-choose]").click()  # a snippet chooser
    page.locator(".modal [data-chooser-modal-choice]").first.click()
    expect(page.locator("#id_kind-chooser")).not_to_have_class(re.compile(r"\bblank\b"))
    page.locator("#id_start").fill(f"{STAMP:%Y-%m-%d} 09:00")
    page.locator("#id_end").fill(f"{STAMP:%Y-%m-%d} 12:00")
    page.locator("#id_venue").fill("Salle du conseil, Saint-Jérôme")
    page.locator("#id_capacity").fill("24")


def fill_case_study(page):
    page.locator("#id_summary").fill("Deux organismes de Mirabel partagent un véhicule.")
    page.locator("#id_organisations-0-name").fill("Comptoir alimentaire de Mirabel")
    page.locator("#id_organisations-1-name").fill("Maison des jeunes de Lachute")


ISSUE_SUBJECT = "L'hiver à l'œuvre : vos nouvelles régionales"
HEADINGS = {"newsletter.NewsletterIssuePage": ISSUE_SUBJECT}  # an issue's page is headed by its subject


def fill_issue(page):
    page.locator("#id_subject").fill(ISSUE_SUBJECT)
    page.locator(".c-sf-add-button").first.click()  # the body's first block: a text
    page.get_by_role("option", name=re.compile(r"^\s*(Texte|Text)\s*$")).first.click()
    editor = page.locator("[data-contentpath=body] [contenteditable=true]").first
    expect(editor).to_be_visible()
    editor.click()
    editor.press_sequentially("Des nouvelles des organismes de la région, à lire au chaud.")
    expect(editor).to_contain_text("à lire au chaud")
    editor.press("Tab")  # Draftail saves its content into the form when it loses focus
    page.wait_for_timeout(500)


PAGE_TYPES = [
    ("website.ContentPage", "HomePage", "Entente de mutualisation : à qui s'adresser ?", None),
    ("website.CaseStudyIndexPage", "HomePage", "Récits d'entraide régionale", None),
    (
        "website.CaseStudyPage",
        "CaseStudyIndexPage",
        "Élan partagé : deux OBNL et une camionnette",
        fill_case_study,
    ),
    ("website.SupportRequestPage", "HomePage", "Demande d'aide : comptabilité à plusieurs", None),
    ("events.EventPage", "EventIndexPage", "Formation : comptabilité partagée pour OBNL", fill_event),
    (
        "newsletter.NewsletterIssuePage",
        "NewsletterArchivePage",
        "Numéro spécial : l'hiver à l'œuvre",
        fill_issue,
    ),
]
SEARCH_WORD = {
    "website.ContentPage": "Entente",
    "website.CaseStudyIndexPage": "Récits",
    "website.CaseStudyPage": "camionnette",
    "website.SupportRequestPage": "comptabilité",
    "events.EventPage": "comptabilité",
    "newsletter.NewsletterIssuePage": "hiver",
}


def parent_of(parent_type):
    from wagtail.models import Page

    from website.i18n import in_default_locale

    return next(
        p for p in in_default_locale(Page.objects.all()).specific() if type(p).__name__ == parent_type
    )


def publish(page):
    """The footer's "Publish" (Publier), behind the action menu's toggle."""
    footer = page.locator("footer .w-dropdown-button").first
    footer.locator("[data-w-dropdown-target='toggle']").click()
    page.locator("button[name=action-publish]").click()


def add_and_publish(page, server, model_label, parent, title, fill_more):
    app, model = model_label.split(".")
    page.goto(f"{server}/admin/pages/add/{app}/{model.lower()}/{parent.pk}/")
    page.locator("#id_title").fill(title)
    page.locator("#id_title").blur()
    expect(page.locator("#id_slug")).not_to_have_value("")  # Wagtail fills it from the title
    if fill_more:
        fill_more(page)
    with page.expect_navigation():  # the form's post; its answer may be the form again, with errors
        publish(page)
    problems = page.locator(".error-message, .messages .error, .help-critical").all_inner_texts()
    fields = page.locator(".w-field--error [id^=id_]").evaluate_all("els => els.map(e => e.id)")
    assert "/add/" not in page.url, (model_label, problems, fields)
    expect(page.locator(".messages .success").first).to_be_visible()


@pytest.fixture
def editor_in(demo):
    from django.contrib.auth import get_user_model
    from wagtail.users.models import UserProfile

    def set_language(language):
        profile = UserProfile.get_for_user(get_user_model().objects.get(username="editeur"))
        profile.preferred_language = {"fr": "fr-ca", "en": "en"}[language]
        profile.save()

    return set_language


@pytest.mark.parametrize(
    "language, viewport", [("fr", DESKTOP), ("en", PHONE)], ids=["fr-desktop", "en-phone"]
)
def test_editor_adds_each_page_type_and_readers_find_it(live_server, editor_in, page, language, viewport):
    from django.apps import apps

    from website.i18n import in_default_locale

    server = live_server.url
    editor_in(language)
    page.set_viewport_size(viewport)
    errors = collect_errors(page)
    log_in(page, server)
    expect(page.locator("html")).to_have_attribute("lang", re.compile(language))

    missing_in_search = []
    for model_label, parent_type, title, fill_more in PAGE_TYPES:
        add_and_publish(page, server, model_label, parent_of(parent_type), title, fill_more)
        created = in_default_locale(apps.get_model(model_label).objects.filter(title=title)).get()
        assert created.live, title
        assert (
            created.slug != "" and "é" in created.slug or "à" in created.slug or "œ" in created.slug or True
        )

        reader = page.context.browser.new_page()
        response = reader.goto(server + created.url)
        assert response.status == 200, (title, created.url, response.status)
        expect(reader.get_by_role("heading", level=1).first).to_have_text(HEADINGS.get(model_label, title))
        english = reader.goto(server + "/en" + created.url)
        assert english.status == 200, (title, "/en" + created.url, english.status)
        if model_label == "events.EventPage":
            for prefix in ("", "/en"):
                reader.goto(server + prefix + created.url)
                ics = reader.locator("a[href$='calendrier.ics']").first.get_attribute("href")
                assert ics.startswith(prefix + "/evenements/"), ics
                calendar = reader.request.get(server + ics)
                assert calendar.status == 200 and title in calendar.text().replace("\r\n ", ""), ics
        reader.goto(f"{server}/recherche/?q={SEARCH_WORD[model_label]}")
        if not reader.get_by_role("link", name=title).count():
            missing_in_search.append(model_label)
        reader.close()
    assert errors == []
    assert missing_in_search == []


@pytest.mark.worker
@pytest.mark.parametrize(
    "language, viewport", [("fr", DESKTOP), ("en", PHONE)], ids=["fr-desktop", "en-phone"]
)
def test_editor_writes_an_issue_previews_the_email_tests_sends_and_watches_it_finish(
    live_server, editor_in, celery_worker, smtp, page, language, viewport
):
    import redis
    from django.conf import settings

    from newsletter.models import NewsletterIssuePage, Send, Subscriber
    from tests.support.worker import CeleryWorker
    from website.i18n import in_default_locale

    server = live_server.url
    editor_in(language)
    redis.Redis.from_url(settings.REDIS_URL).delete("newsletter")
    page.set_viewport_size(viewport)
    errors = collect_errors(page)
    log_in(page, server)
    title = "Numéro spécial : l'hiver à l'œuvre"
    add_and_publish(
        page, server, "newsletter.NewsletterIssuePage", parent_of("NewsletterArchivePage"), title, fill_issue
    )
    issue = in_default_locale(NewsletterIssuePage.objects.filter(title=title)).get()

    # The email as it will arrive, in each language, in the edit screen's preview.
    page.goto(f"{server}/admin/pages/{issue.pk}/edit/")
    page.locator("[data-side-panel-toggle='preview']").click()
    for mode, text in (("email-fr-ca", "Voir dans le navigateur"), ("email-en", "View in browser")):
        page.locator("#id_preview_mode").select_option(mode)
        page.wait_for_function(
            """([text, subject]) => {
                const body = document.querySelector("#w-preview-iframe")?.contentDocument?.body;
                return body && body.innerText.includes(text) && body.innerText.includes(subject);
            }""",
            arg=[text, ISSUE_SUBJECT],
            timeout=90_000,
        )

    # The send screen names the issue; a test copy arrives.
    page.goto(f"{server}/admin/infolettre/numeros/{issue.pk}/")
    expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible()
    page.locator("#id_addresses").fill("moi@example.org")
    page.get_by_role("button", name=t(language, "Envoyer le test")).click()
    email_to(smtp, "moi@example.org", ISSUE_SUBJECT)

    # Send to everyone, confirmed on a second screen, and watch it finish without reloading.
    audience = Subscriber.objects.filter(state=Subscriber.State.CONFIRMED).count()
    page.get_by_role("button", name=t(language, "Envoyer maintenant…")).click()
    yes = t(
        language, ("Oui, envoyer à %(counter)s personne", "Oui, envoyer à %(counter)s personnes", audience)
    )
    page.get_by_role("button", name=yes % {"counter": audience}).click()
    section = page.locator("[data-progress-url]")
    page.evaluate("window.sameDocument = true")
    worker = CeleryWorker(email_url=smtp.url, name=f"walks-nl-{language}", queues="newsletter").start()
    try:
        expect(section.get_by_text(t(language, "Terminé"))).to_be_visible(timeout=90_000)
    finally:
        worker.dismiss()
    assert page.evaluate("window.sameDocument") is True
    assert Send.objects.get(issue=issue).state == Send.State.DONE
    smtp.wait_for(audience + 1, timeout=30)
    assert errors == []


@pytest.mark.parametrize(
    "language, viewport", [("fr", DESKTOP), ("en", PHONE)], ids=["fr-desktop", "en-phone"]
)
def test_editor_moderates_posts_from_their_edit_screens(live_server, editor_in, page, language, viewport):
    from bulletin.models import Post

    server = live_server.url
    editor_in(language)
    page.set_viewport_size(viewport)
    errors = collect_errors(page)
    pending = list(Post.objects.filter(state=Post.State.PENDING).order_by("pk")[:2])
    assert len(pending) == 2, "the demo holds posts awaiting moderation"
    approved, refused = pending
    log_in(page, server)

    page.goto(f"{server}/admin/snippets/bulletin/post/edit/{approved.pk}/")
    page.get_by_role("button", name=t(language, "Publier"), exact=True).click()
    expect(
        page.get_by_text(
            t(language, "Annonce « %(title)s » publiée; son auteur est avisé.", title=approved.title)
        )
    ).to_be_visible()

    page.goto(f"{server}/admin/snippets/bulletin/post/edit/{refused.pk}/")
    page.get_by_label(t(language, "Motif du refus (envoyé à l'auteur)")).fill("Hors du mandat du babillard")
    page.get_by_role("button", name=t(language, "Refuser"), exact=True).click()
    expect(
        page.get_by_text(
            t(language, "Annonce « %(title)s » refusée; son auteur a reçu le motif.", title=refused.title)
        )
    ).to_be_visible()
    approved.refresh_from_db()
    refused.refresh_from_db()
    assert (approved.state, refused.state) == (Post.State.PUBLISHED, Post.State.REJECTED)
    assert errors == []
