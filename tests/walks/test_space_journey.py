"""Mon espace in Chromium, in both languages, on a phone, reading the real email (loopback SMTP, real
worker): a person with a board post, an event registration and a newsletter subscription asks for their
link, follows it, and manages all three from it (renews the post, takes two seats, adds a topic); the
forms they visit next are pre-filled; logging out voids the link. axe finds nothing on the space's
pages."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.support.axe import violations
from tests.walks.journeys import (
    LANGUAGE_CODE,
    PHONE,
    PREFIX,
    collect_errors,
    email_to,
    link_in,
    status_message,
    t,
)

pytestmark = [pytest.mark.browser, pytest.mark.worker]

PERSON = "dominique@example.org"
EVENT = "Café-réseautage des Basses-Laurentides"  # a demo event, free, open, without approval


def records_of_one_person(language):
    """A published post, a registration for one seat and a confirmed subscription, all theirs."""
    from bulletin.models import Post
    from events import services
    from events.models import EventPage
    from newsletter.models import Subscriber, Topic
    from tests.factories import PostFactory
    from website.i18n import in_default_locale

    post = PostFactory(
        title="Remorque à prêter",
        contact_email=PERSON,
        contact_name="Dominique Lévesque",
        organisation="Org D",
    )
    event = in_default_locale(EventPage.objects.live()).get(title=EVENT)
    registration = services.register(
        event, seats=1, organisation="Org D", contact_name="Dominique Lévesque", email=PERSON
    )
    subscriber = Subscriber.objects.create(
        email=PERSON,
        first_name="Dominique",
        language=LANGUAGE_CODE[language],
        state=Subscriber.State.CONFIRMED,
        confirmed_at=timezone.now(),
    )
    subscriber.topics.set(Topic.objects.order_by("pk")[:1])
    return Post.objects.get(pk=post.pk), registration, subscriber, event


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_person_manages_post_registration_and_subscription_from_one_link(
    live_server, demo, celery_worker, smtp, browser, language
):
    post, registration, subscriber, event = records_of_one_person(language)
    server, prefix = live_server.url, PREFIX[language]
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    errors = collect_errors(page)

    page.goto(f"{server}{prefix}/mon-espace/")
    assert violations(page) == []
    page.locator("#id_email").fill(PERSON.upper())
    page.get_by_role("button", name=t(language, "Recevoir mon lien")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t(language, "Vérifiez vos courriels"))

    space = link_in(email_to(smtp, PERSON, t(language, "Le lien de votre espace")), language, "/mon-espace/")
    page.goto(server + space)
    expect(page.get_by_role("heading", level=1)).to_have_text(t(language, "Mon espace"))
    assert violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # The post: renewed from its management page.
    page.get_by_role("link", name=re.compile(t(language, "Modifier, renouveler ou fermer"))).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t(language, "Gérer mon annonce"))
    page.get_by_role("button", name=t(language, "Renouveler mon annonce")).click()
    status_message(page, t(language, "Annonce renouvelée jusqu'au %(date)s.", date="@").split("@")[0])
    post.refresh_from_db()
    assert post.expires_on > timezone.localdate() + datetime.timedelta(days=60)

    # The registration: two seats.
    page.goto(server + space)
    page.get_by_role("link", name=re.compile(t(language, "Gérer mon inscription"))).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t(language, "Mon inscription"))
    page.locator("#id_seats").fill("2")
    page.get_by_role("button", name=t(language, "Enregistrer"), exact=True).click()
    status_message(page, t(language, "Inscription mise à jour."))
    registration.refresh_from_db()
    assert registration.seats == 2

    # The subscription: one more topic.
    page.goto(server + space)
    page.get_by_role("link", name=t(language, "Mes préférences")).click()
    page.locator("input[name=topics]:not(:checked)").first.check()
    page.get_by_role("button", name=t(language, "Enregistrer mes préférences")).click()
    status_message(page, t(language, "Préférences enregistrées."))
    assert subscriber.topics.count() == 2

    # The next form is pre-filled; logging out everywhere voids the link.
    page.goto(f"{server}{prefix}/babillard/publier/")
    expect(page.locator("#id_contact_email")).to_have_value(PERSON)
    expect(page.locator("#id_contact_name")).to_have_value("Dominique Lévesque")
    page.goto(server + space)
    page.get_by_role("button", name=t(language, "Me déconnecter partout")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t(language, "Déconnexion faite"))
    page.goto(f"{server}{prefix}/babillard/publier/")
    expect(page.locator("#id_contact_email")).to_have_value("")
    page.goto(server + space)
    expect(page.get_by_role("heading", level=1)).to_have_text(t(language, "Lien invalide ou expiré"))
    context.close()
    assert errors == []
