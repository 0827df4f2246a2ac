"""The demo site with one of everything a visitor can reach by a form, a filter or an emailed link, and a
way to tell whether a request changed anything."""

import os
import types
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone, translation

# What a visitor's request may create or change; pages are included (events are pages).
WATCHED_APPS = ("bulletin", "events", "newsletter", "website")
WATCHED_MODELS = ("wagtailforms.FormSubmission", "wagtailcore.ModelLogEntry", "wagtailcore.PageLogEntry")


def path_of(url):
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def watched_models():
    for model in apps.get_models():
        if model._meta.app_label in WATCHED_APPS or model._meta.label in WATCHED_MODELS:
            if not model._meta.proxy:
                yield model


def snapshot():
    """Every row a visitor's request could touch, and the mail sent so far."""
    state = {
        model._meta.label: list(model._base_manager.order_by("pk").values_list())
        for model in watched_models()
    }
    state["mail"] = len(mail.outbox)
    return state


def changes(before, after):
    return sorted(label for label in before if before[label] != after[label])


@pytest.fixture(autouse=True)
def _fuzz_settings(settings):
    # Every generated request is counted against the same IP: the rate limit would answer 429 to
    # most of them and hide what the forms do.
    settings.PUBLIC_FORM_RATE = "100000/m"
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The demo content, plus one live link of every kind, as paths the test client can open.

    Seeded once per module inside a transaction rolled back at its end; each test runs in a savepoint
    of it (pytest-django's `db`), so tests still start from the same state."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _seed_world()
        transaction.set_rollback(True)


@pytest.fixture
def site(world, db):
    return world


def _seed_world():
    from bulletin import links
    from bulletin.models import AlertSubscription, Post, Report
    from events import services as events
    from events.models import EventIndexPage, EventPage
    from newsletter import links as newsletter_links
    from newsletter.models import NewsletterArchivePage, Subscriber
    from website import space
    from website.i18n import in_default_locale
    from website.models import CaseStudyIndexPage, ResourceLibraryPage, SpaceKey, SupportRequestPage

    with open(os.devnull, "w") as devnull:
        call_command("seed_demo", stdout=devnull)
    post = Post.objects.filter(state=Post.State.PUBLISHED).order_by("pk").first()
    unconfirmed = Post.objects.create(
        kind=Post.Kind.OFFER,
        title="Annonce à confirmer",
        description="Texte.",
        category=post.category,
        organisation="Organisme",
        contact_name="Alex",
        contact_email="alex@example.org",
        expires_on=Post.default_expiry(),
        state=Post.State.UNCONFIRMED,
    )
    event = (
        in_default_locale(EventPage.objects.live())
        .filter(slug="formation-gestion-benevoles")
        .select_related("kind")
        .get()
    )
    registration = event.registrations.order_by("pk").first() or events.register(
        event, seats=1, contact_name="Dominique", email="dominique@example.org", organisation="Organisme"
    )
    subscriber = Subscriber.objects.filter(state=Subscriber.State.CONFIRMED).order_by("pk").first()
    alert = AlertSubscription.objects.create(email="alerte@example.org", language="fr")
    report = Report.objects.create(post=post, email="signale@example.org", reason=Report.Reason.choices[0][0])
    key = SpaceKey.objects.create(email=post.contact_email.lower(), last_requested_at=timezone.now())
    mail.outbox.clear()
    return types.SimpleNamespace(
        post=post,
        event=event,
        registration=registration,
        subscriber=subscriber,
        post_path=post.get_absolute_url(),
        post_manage=path_of(links.manage_url(post)),
        post_confirm=path_of(links.confirm_url(unconfirmed)),
        report_confirm=path_of(links.report_url(report)),
        alert_confirm=path_of(links.alert_url("alert_confirm", alert, "alert.confirm")),
        alert_unsubscribe=path_of(links.alert_url("alert_unsubscribe", alert, "alert.unsubscribe")),
        event_path=event.url,
        registration_manage=path_of(events.manage_url(registration)),
        preferences=newsletter_links.path(subscriber, "newsletter.preferences"),
        unsubscribe=newsletter_links.path(subscriber, "newsletter.unsubscribe"),
        renew=newsletter_links.path(subscriber, "newsletter.renew"),
        pending_resend=newsletter_links.path(subscriber, "newsletter.resend").removesuffix("renvoyer/"),
        pending_cancel=newsletter_links.path(subscriber, "newsletter.cancel").removesuffix("annuler/"),
        newsletter_confirm=path_of(newsletter_links.confirm_link(subscriber)),
        space=f"/mon-espace/{space.token_for(key)}/",
        support_page=in_default_locale(SupportRequestPage.objects.live()).get(),
        events_index=in_default_locale(EventIndexPage.objects.live()).get().url,
        library=in_default_locale(ResourceLibraryPage.objects.live()).get().url,
        case_studies=in_default_locale(CaseStudyIndexPage.objects.live()).get().url,
        archive=in_default_locale(NewsletterArchivePage.objects.live()).get().url,
    )


@pytest.fixture
def isolated(site):
    """Run one generated request in a savepoint that is rolled back: examples do not pile up, a
    database error in one of them cannot poison the next, and the state before each is `initial`."""

    class Isolated:
        initial = snapshot()

        def __enter__(self):
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
            self.outbox = len(mail.outbox)
            return self

        def __exit__(self, *exc):
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)
            del mail.outbox[self.outbox :]
            return False

    return Isolated
