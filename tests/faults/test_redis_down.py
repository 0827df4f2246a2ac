"""Redis stopped under the real stack: gunicorn, a Celery worker with beat, both on a private
redis-server, loopback SMTP. Visitors see nothing; the mail written meanwhile leaves once Redis is
back, within a sweep, each message once."""

import re
import time
from collections import Counter

import pytest
from django.utils import timezone

from bulletin.models import Post
from events.models import EventPage, Registration
from newsletter.models import Subscriber, Topic
from tests.faults.conftest import Browser
from tests.support.services import WebServer
from tests.support.worker import CeleryWorker
from website.i18n import in_default_locale
from website.models import OutgoingEmail, Region, ResourceCategory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

SWEEP_SECONDS = 3
PAGES = [
    "/",
    "/babillard/",
    "/babillard/publier/",
    "/babillard/rss/",
    "/evenements/",
    "/evenements/calendrier.ics",
    "/infolettre/",
    "/infolettre/inscription/",
    "/infolettre/archives/",
    "/recherche/?q=camion",
    "/accompagnement/",
    "/en/",
    "/en/babillard/",
    "/healthz/live/",
]


@pytest.fixture
def stack(private_redis, smtp, demo):
    env = {
        "TEST_REDIS_URL": private_redis.url(),
        "TEST_CACHE_REDIS": "1",
        "PUBLIC_FORM_RATE": "100/m",
        "PAGE_CACHE_SECONDS": "15",  # whole pages stored while Redis is up, none while it is down
    }
    web = WebServer(env).start()
    worker = CeleryWorker(
        email_url=smtp.url,
        name="fault-redis",
        env={**env, "OUTBOX_SWEEP_SECONDS": str(SWEEP_SECONDS)},
        beat=True,
    ).start()
    yield web, worker
    worker.stop()
    web.stop()


def open_event():
    events = in_default_locale(EventPage.objects.live()).filter(start__gt=timezone.now()).order_by("start")
    return next(e for e in events if e.registration_is_open() and not e.questions.exists())


def link(path_start):
    for email in OutgoingEmail.objects.order_by("pk"):
        found = re.search(rf"https?://[^/\s]+({re.escape(path_start)}[^\s]+/)", email.body)
        if found:
            return found.group(1)
    raise AssertionError(f"no {path_start} link in {[e.subject for e in OutgoingEmail.objects.all()]}")


def visit_everything(visitor):
    for path in PAGES:
        visitor.get(path)
    event = open_event()
    visitor.get(event.url)
    board = visitor.submit(
        "/babillard/publier/",
        {
            "kind": "offre",
            "title": "Camionnette à partager pendant la panne",
            "description": "Disponible les mardis.",
            "category": ResourceCategory.objects.first().pk,
            "regions": [Region.objects.first().pk],
            "organisation": "Comptoir du Nord",
            "contact_name": "Alex",
            "contact_email": "alex.panne@example.org",
            "expires_on": Post.default_expiry().isoformat(),
            "premises_accessible": "unknown",
        },
    )
    assert board.status_code == 302, board.text[:3000]
    registration = visitor.submit(
        event.url,
        {
            "contact_name": "Dominique",
            "email": "dominique.panne@example.org",
            "organisation": "Popote",
            "seats": 1,
        },
    )
    assert registration.status_code == 302, registration.text[:3000]
    signup = visitor.submit(
        "/infolettre/inscription/",
        {
            "email": "lea.panne@example.org",
            "language": "fr-ca",
            "topics": [Topic.objects.first().pk],
            "consent": "on",
        },
    )
    assert signup.status_code == 302, signup.text[:3000]
    support = visitor.submit(
        "/accompagnement/",
        {
            "nom_de_lorganisme": "Maison de la famille",
            "personne_ressource": "Julie Tremblay",
            "courriel": "julie.panne@example.org",
            "region": "Mirabel",
            "ce_que_vous_souhaitez_mutualiser": ["Locaux"],
            "decrivez_votre_projet": "Partager une salle pendant la panne.",
        },
    )
    assert support.status_code == 302, support.text[:3000]

    # The emailed links: each row is there even though no task could be queued.
    confirm_post = link("/babillard/confirmer/")
    assert visitor.get(confirm_post).status_code == 200
    assert visitor.submit(confirm_post, {}).status_code == 200
    confirm_signup = link("/infolettre/confirmer/")
    assert visitor.get(confirm_signup).status_code == 200
    assert visitor.submit(confirm_signup, {}).status_code == 302
    manage = registration.headers["Location"]
    assert visitor.get(manage).status_code == 200
    assert visitor.submit(manage + "annuler/", {}, form_page=manage).status_code == 302


def test_visitors_see_nothing_of_a_redis_outage_and_its_mail_leaves_once_after(stack, private_redis, smtp):
    web, _worker = stack
    visitor = Browser(web.url)
    assert visitor.get("/").status_code == 200  # warm: the cache and the broker were up

    private_redis.stop()
    started = time.monotonic()
    visit_everything(visitor)
    outage = time.monotonic() - started
    assert visitor.errors() == [], visitor.errors()
    assert len(visitor.responses) >= 30

    assert Post.objects.get(contact_email="alex.panne@example.org").state == Post.State.PENDING
    assert Registration.objects.get(email="dominique.panne@example.org").state == Registration.State.CANCELLED
    assert Subscriber.objects.get(email="lea.panne@example.org").state == Subscriber.State.CONFIRMED
    rows = list(OutgoingEmail.objects.all())
    assert len(rows) >= 6 and all(row.state == OutgoingEmail.State.QUEUED for row in rows)
    assert all(row.next_attempt_at <= timezone.now() for row in rows)  # due at the first sweep

    private_redis.start()
    back = time.monotonic()
    deadline = back + 60
    while OutgoingEmail.objects.filter(state=OutgoingEmail.State.QUEUED).exists():
        assert time.monotonic() < deadline, "mail still queued a minute after Redis returned"
        time.sleep(0.5)
    delay = time.monotonic() - back
    time.sleep(2 * SWEEP_SECONDS)  # later sweeps must not send anything again

    expected = Counter((tuple(row.to), row.subject) for row in OutgoingEmail.objects.all())
    assert all(row.state == OutgoingEmail.State.SENT for row in OutgoingEmail.objects.all())
    ours = {to for to, _subject in expected}
    with smtp.lock:
        received = Counter(
            (tuple(to), " ".join(str(message["Subject"]).split()))
            for to, message in smtp.messages
            if tuple(to) in ours
        )
    assert received == expected
    print(
        f"outage: {len(visitor.responses)} requests in {outage:.1f}s, 0 errors; {len(rows)} emails sent {delay:.1f}s after Redis returned"
    )
