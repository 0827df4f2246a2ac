"""Retention (Law 25): personal data has a lifetime, one setting per period, applied by nightly jobs.
Rows are made old by writing old timestamps, never by freezing the clock."""

import datetime
import logging
import time

import pytest
from django.conf import settings as django_settings
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from bulletin import links
from bulletin import privacy as bulletin_privacy
from bulletin import services as board
from bulletin.models import AlertSubscription, ContactMessage, Post, Report
from events import privacy as events_privacy
from events.models import EventIndexPage, EventKind, EventPage, Registration
from newsletter import services as newsletter
from newsletter.models import Subscriber
from tests import factories
from website import privacy
from website.i18n import in_default_locale
from website.models import OutgoingEmail, Region, ResourceCategory

NOW = timezone.now()


def days_ago(days):
    return NOW - datetime.timedelta(days=days)


def make_post(state, email, **fields):
    fields.setdefault("category", ResourceCategory.objects.get(slug="transport"))
    post = Post.objects.create(
        kind=Post.Kind.OFFER,
        title=fields.pop("title", "Camionnette"),
        description="Disponible les mardis.",
        organisation="Popote",
        contact_name="Ginette",
        contact_email=email,
        phone="450 555-0142",
        expires_on=fields.pop("expires_on", timezone.localdate()),
        state=state,
        **fields,
    )
    post.regions.set([Region.objects.get(slug="mirabel")])
    return post


def make_event(ended_days_ago):
    index = in_default_locale(EventIndexPage.objects).get()
    end = days_ago(ended_days_ago)
    event = EventPage(
        title=f"Atelier d'il y a {ended_days_ago} jours",
        slug=f"atelier-{ended_days_ago}",
        kind=EventKind.objects.get(slug="formation"),
        start=end - datetime.timedelta(hours=2),
        end=end,
        capacity=10,
    )
    index.add_child(instance=event)
    return event


def register_past(event, email):
    return Registration.objects.create(
        event=event,
        contact_name="Ginette Plouffe",
        email=email,
        organisation="Popote",
        seats=2,
        attendee_names=["Ginette Plouffe", "Réjean"],
        dietary_needs="Allergie arachides",
        accessibility_needs="Fauteuil roulant",
        answers={"Autre chose?": "Chien-guide"},
        state=Registration.State.CONFIRMED,
        attended=2,
    )


pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    """The site with its events listing and reference data: all these tests need of the demo."""
    return factories.event_index()


def test_unconfirmed_sign_ups_alerts_and_posts_go_after_30_days(demo):
    old_subscriber = Subscriber.objects.create(email="vieux@example.org", state=Subscriber.State.PENDING)
    new_subscriber = Subscriber.objects.create(email="recent@example.org", state=Subscriber.State.PENDING)
    Subscriber.objects.filter(pk=old_subscriber.pk).update(created_at=days_ago(31))
    Subscriber.objects.filter(pk=new_subscriber.pk).update(created_at=days_ago(29))
    alerts = {
        name: AlertSubscription.objects.create(email=f"{name}@example.org", consent_text="oui")
        for name in ("vieille", "recente", "confirmee")
    }
    AlertSubscription.objects.filter(pk__in=[alerts["vieille"].pk, alerts["confirmee"].pk]).update(
        created_at=days_ago(31)
    )
    AlertSubscription.objects.filter(pk=alerts["confirmee"].pk).update(confirmed_at=days_ago(30))
    unconfirmed = make_post(Post.State.UNCONFIRMED, "jamais@example.org")
    Post.objects.filter(pk=unconfirmed.pk).update(created_at=days_ago(31))

    assert newsletter.purge_unconfirmed() == 1
    counts = bulletin_privacy.apply_retention()
    assert counts["unconfirmed_alerts_deleted"] == 1 and counts["unconfirmed_posts_deleted"] == 1
    assert list(Subscriber.objects.filter(email__endswith="@example.org", state="pending")) == [
        new_subscriber
    ]
    assert set(AlertSubscription.objects.values_list("email", flat=True)) >= {
        "recente@example.org",
        "confirmee@example.org",
    }
    assert not AlertSubscription.objects.filter(email="vieille@example.org").exists()
    assert not Post.objects.filter(pk=unconfirmed.pk).exists()


def test_contact_of_closed_expired_and_refused_posts_is_forgotten_after_12_months(demo, caplog):
    old_closed = make_post(Post.State.PUBLISHED, "fermee@example.org", title="Salle partagée")
    board.close_post(old_closed, "shared", savings_money=500)
    Post.objects.filter(pk=old_closed.pk).update(closed_at=privacy.months_before(NOW, 13))
    recent_closed = make_post(
        Post.State.CLOSED, "recente@example.org", closed_at=privacy.months_before(NOW, 11)
    )
    old_expired = make_post(
        Post.State.EXPIRED,
        "expiree@example.org",
        expires_on=timezone.localdate(privacy.months_before(NOW, 13)),
    )
    old_rejected = make_post(Post.State.REJECTED, "refusee@example.org")
    Post.objects.filter(pk=old_rejected.pk).update(updated_at=privacy.months_before(NOW, 13))
    old_published = make_post(Post.State.PUBLISHED, "publiee@example.org")
    Post.objects.filter(pk=old_published.pk).update(created_at=privacy.months_before(NOW, 13))
    log(instance=old_closed, action="bulletin.post.submitted", data={"email": "fermee@example.org"})
    old_link = links.manage_url(old_closed).rsplit("/", 2)[-2]
    assert links.post_for_management(old_link) is not None

    with caplog.at_level(logging.INFO, logger="bulletin.privacy"):
        counts = bulletin_privacy.apply_retention()
    assert counts["post_contacts_forgotten"] == 3
    assert "post_contacts_forgotten': 3" in caplog.text  # the counts are logged

    for post in (old_closed, old_expired, old_rejected):
        post.refresh_from_db()
        assert (post.contact_name, post.contact_email, post.phone) == ("", "", ""), post.state
    old_closed.refresh_from_db()
    assert old_closed.title == "Salle partagée" and old_closed.savings_money == 500  # figures stay
    assert links.post_for_management(old_link) is None  # the emailed link died with the address
    for post in (recent_closed, old_published):
        post.refresh_from_db()
        assert post.contact_email.endswith("@example.org")
    assert privacy.leftovers("fermee@example.org", "expiree@example.org", "refusee@example.org") == []
    assert ModelLogEntry.objects.filter(
        object_id=str(old_closed.pk), action="bulletin.post.submitted"
    ).exists()
    assert bulletin_privacy.apply_retention()["post_contacts_forgotten"] == 0  # nothing twice


def test_reports_and_relayed_messages_go_after_12_months_unless_the_post_awaits_an_editor(demo):
    post = make_post(Post.State.PUBLISHED, "p@example.org")
    hidden = make_post(Post.State.HIDDEN, "h@example.org")
    old = privacy.months_before(NOW, 12) - datetime.timedelta(days=1)
    rows = [
        Report.objects.create(post=post, email="vieux@example.org", reason="spam"),
        Report.objects.create(post=hidden, email="attente@example.org", reason="spam"),
        ContactMessage.objects.create(
            post=post, sender_name="Luc", sender_email="l@example.org", body="Allo"
        ),
    ]
    for row in rows:
        type(row).objects.filter(pk=row.pk).update(created_at=old)
    recent = Report.objects.create(post=post, email="recent@example.org", reason="spam")
    counts = bulletin_privacy.apply_retention()
    assert (counts["reports_deleted"], counts["messages_deleted"]) == (1, 1)
    assert set(Report.objects.values_list("pk", flat=True)) == {rows[1].pk, recent.pk}
    assert not ContactMessage.objects.exists()


def test_attendees_names_needs_and_answers_go_six_months_after_the_event(demo, settings):
    long_ago = register_past(make_event(ended_days_ago=200), "ancienne@example.org")
    lately = register_past(make_event(ended_days_ago=150), "recente@example.org")
    log(instance=long_ago, action="events.registration.confirmed")

    assert events_privacy.apply_retention() == {"registrations_anonymised": 1}
    long_ago.refresh_from_db()
    assert (long_ago.contact_name, long_ago.email, long_ago.attendee_names, long_ago.answers) == (
        "",
        "",
        [],
        {},
    )
    assert (long_ago.dietary_needs, long_ago.accessibility_needs) == ("", "")
    assert (long_ago.organisation, long_ago.seats, long_ago.attended) == ("Popote", 2, 2)  # the figures
    lately.refresh_from_db()
    assert lately.dietary_needs == "Allergie arachides"
    assert privacy.leftovers("ancienne@example.org", "Ginette Plouffe") == [
        ("events.Registration", "contact_name", lately.pk),
        ("events.Registration", "attendee_names", lately.pk),
    ]

    settings.RETENTION_ATTENDEES_MONTHS = 4  # one setting per period
    assert events_privacy.apply_retention() == {"registrations_anonymised": 1}
    assert events_privacy.apply_retention() == {"registrations_anonymised": 0}


def test_sent_emails_lose_addresses_and_bodies_30_days_after_sending(db):
    def email(state, sent_days_ago=None, created_days_ago=0, to="g@example.org"):
        row = OutgoingEmail.objects.create(
            to=[to],
            reply_to=["r@example.org"],
            subject="Votre inscription",
            body=f"Bonjour {to}",
            state=state,
        )
        sent_at = days_ago(sent_days_ago) if sent_days_ago is not None else None
        OutgoingEmail.objects.filter(pk=row.pk).update(created_at=days_ago(created_days_ago), sent_at=sent_at)
        return row

    old_sent = email("sent", sent_days_ago=31, created_days_ago=31, to="vieux@example.org")
    old_failed = email("failed", created_days_ago=31, to="echec@example.org")
    recent = email("sent", sent_days_ago=29, created_days_ago=40, to="recent@example.org")
    stuck = email("queued", created_days_ago=40, to="attente@example.org")

    assert privacy.apply_outbox_retention() == {"emails_emptied": 2, "space_keys_deleted": 0}
    for row in (old_sent, old_failed):
        row.refresh_from_db()
        assert (row.to, row.reply_to, row.subject, row.body) == ([], [], "", "")
    assert row.state == "failed" and OutgoingEmail.objects.get(pk=old_sent.pk).sent_at is not None
    assert privacy.leftovers("recent@example.org") and privacy.leftovers("attente@example.org")
    assert privacy.leftovers("vieux@example.org", "echec@example.org") == []
    assert privacy.apply_outbox_retention() == {"emails_emptied": 0, "space_keys_deleted": 0}
    assert recent.pk and stuck.pk


def test_every_retention_job_is_scheduled_nightly():
    from website.celery import app

    app.loader.import_default_modules()
    schedule = {entry["task"] for entry in django_settings.CELERY_BEAT_SCHEDULE.values()}
    jobs = {
        "newsletter.tasks.purge_unconfirmed",
        "bulletin.tasks.apply_retention",
        "events.tasks.apply_retention",
        "website.tasks.apply_retention",
    }
    assert jobs <= schedule
    assert jobs <= set(app.tasks)


@pytest.mark.parametrize(
    "moment, months, expected",
    [
        (datetime.datetime(2026, 3, 31, 12), 1, datetime.datetime(2026, 2, 28, 12)),
        (datetime.datetime(2026, 1, 15), 12, datetime.datetime(2025, 1, 15)),
        (datetime.datetime(2026, 1, 15), 13, datetime.datetime(2024, 12, 15)),
        (datetime.datetime(2024, 8, 31), 6, datetime.datetime(2024, 2, 29)),
    ],
)
def test_months_before_counts_calendar_months(moment, months, expected):
    assert privacy.months_before(moment, months) == expected


@pytest.fixture
def own_worker(transactional_db, smtp_server):
    """A fresh worker on a queue of its own: the session's worker outlives database flushes between
    tests and keeps stale content-type ids in its cache, which a save of a post in the worker trips on."""
    from tests.support.worker import CeleryWorker

    worker = CeleryWorker(email_url=smtp_server.url, name="retention", queues="retention-test").start()
    yield worker
    worker.dismiss()


@pytest.mark.worker
def test_a_real_worker_runs_the_board_retention_job(own_worker):
    from bulletin.tasks import apply_retention

    ResourceCategory.objects.get_or_create(slug="transport", defaults={"name": "Transport"})
    Region.objects.get_or_create(slug="mirabel", defaults={"name": "Mirabel"})
    post = make_post(Post.State.CLOSED, "ouvrier@example.org", closed_at=privacy.months_before(NOW, 14))
    apply_retention.apply_async(queue="retention-test")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        post.refresh_from_db()
        if not post.contact_email:
            break
        time.sleep(0.2)
    assert post.contact_email == "" and post.contact_name == "", "".join(own_worker.log[-40:])
    assert "retention (babillard)" in "".join(own_worker.log)
