"""The sending pipeline against real services: Redis, Celery worker processes, a loopback SMTP server.

Each test starts its own workers on the "newsletter" queue, so that killing one harms nothing else."""

import datetime
import signal
import time
from collections import Counter

import pytest
from django.utils import timezone

from newsletter import sending
from newsletter.models import Delivery, NewsletterIssuePage, Send, Subscriber, Topic
from tests.support import demo_snapshot
from tests.support.worker import CeleryWorker, start_all
from website.i18n import in_default_locale

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

FAST = {
    "NEWSLETTER_BATCH_SIZE": "50",
    "NEWSLETTER_RETRY_BASE_SECONDS": "1",
    "NEWSLETTER_CLAIM_TIMEOUT": "600",
    "NEWSLETTER_RECORD_EVERY": "20",
}


@pytest.fixture
def issue(celery_worker):  # the session worker makes sure the test database and queue are ready
    demo_snapshot.load_demo()
    return in_default_locale(NewsletterIssuePage.objects).get(slug="novembre-2026")


def add_subscribers(count):
    topic = Topic.objects.get(slug="generale")
    now = timezone.now()
    Subscriber.objects.bulk_create(
        [
            Subscriber(email=f"abonne{i:05d}@example.org", state="confirmed", confirmed_at=now)
            for i in range(count)
        ],
        batch_size=1000,
    )
    through = Subscriber.topics.through
    through.objects.bulk_create(
        [
            through(subscriber_id=pk, topic_id=topic.pk)
            for pk in Subscriber.objects.filter(email__startswith="abonne").values_list("pk", flat=True)
        ],
        batch_size=1000,
    )
    return set(
        sending.audience(
            in_default_locale(NewsletterIssuePage.objects).get(slug="novembre-2026")
        ).values_list("email", flat=True)
    )


def workers(smtp, *names, **env):
    return start_all(
        [
            CeleryWorker(email_url=smtp.url, name=name, queues="newsletter", env={**FAST, **env})
            for name in names
        ]
    )


def wait_for(check, timeout=240, every=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(every)
    raise AssertionError("timed out")


def sent_count(send):
    return Delivery.objects.filter(send=send, state="sent").count()


def settled_count(send, quiet=1.0):
    """The sent count once it has stopped moving for `quiet` seconds: a paused or cancelled batch stops
    at its next group of NEWSLETTER_RECORD_EVERY (20 messages, about 0.15 s at the rates below; a
    second of quiet leaves room for a worker starved of CPU on a loaded machine)."""
    last, since = sent_count(send), time.monotonic()
    while time.monotonic() - since < quiet:
        time.sleep(0.1)
        now = sent_count(send)
        if now != last:
            last, since = now, time.monotonic()
    return last


def received(smtp):
    with smtp.lock:
        return Counter(recipients[0] for recipients, _message in smtp.messages)


def test_two_workers_share_a_send_and_deliver_exactly_one_each(issue, smtp):
    audience = add_subscribers(800)
    running = workers(smtp, "nl-a", "nl-b")  # ready side by side, so both take batches from the start
    try:
        send = sending.start(issue)
        wait_for(lambda: Send.objects.get(pk=send.pk).state == Send.State.DONE)
    finally:
        for worker in running:
            worker.dismiss()
    counts = received(smtp)
    assert set(counts) == audience and len(audience) == 803
    assert max(counts.values()) == 1
    by_worker = Counter(Delivery.objects.filter(send=send).values_list("sent_by", flat=True))
    assert len(by_worker) == 2 and all(n > 100 for n in by_worker.values()), by_worker


def test_sigkill_mid_send_then_restart_delivers_to_everyone(issue, smtp):
    audience = add_subscribers(500)
    # A rate limit, so that the kill lands in the middle of the send however fast the worker is.
    (first,) = workers(smtp, "nl-killed", NEWSLETTER_RATE_PER_SECOND="100")
    send = sending.start(issue)
    wait_for(lambda: sent_count(send) >= 200)
    first.stop(sig=signal.SIGKILL)
    killed_at = timezone.now()
    in_flight = Delivery.objects.filter(send=send, state="sending").count()
    assert 0 < sent_count(send) < len(audience)
    time.sleep(1)
    (second,) = workers(smtp, "nl-restarted")
    try:
        # The sweep runs every minute in production; here, as if its claim timeout had passed since the kill.
        sending.sweep(now=killed_at + datetime.timedelta(seconds=600, milliseconds=500))
        wait_for(lambda: Send.objects.get(pk=send.pk).state == Send.State.DONE)
    finally:
        second.dismiss()
    counts = received(smtp)
    assert set(counts) == audience  # nobody lost
    duplicates = sum(counts.values()) - len(audience)
    # Only messages the server accepted before the kill whose group was not marked sent yet can go
    # twice: at most NEWSLETTER_RECORD_EVERY per sending process (one here), never more than in flight.
    assert duplicates <= min(in_flight, int(FAST["NEWSLETTER_RECORD_EVERY"])), (duplicates, in_flight)


def test_smtp_outage_is_survived_with_nothing_lost_or_doubled(issue, smtp):
    audience = add_subscribers(400)
    (worker,) = workers(smtp, "nl-outage")
    try:
        send = sending.start(issue)
        wait_for(lambda: sent_count(send) >= 100)
        smtp.refuse_with = "421 4.3.2 Service not available, closing channel"
        time.sleep(2)  # long enough for the first retries (NEWSLETTER_RETRY_BASE_SECONDS) to be refused too
        during = sent_count(send)
        smtp.refuse_with = None
        wait_for(lambda: Send.objects.get(pk=send.pk).state == Send.State.DONE)
    finally:
        worker.dismiss()
    assert during < len(audience)
    counts = received(smtp)
    assert set(counts) == audience and max(counts.values()) == 1
    assert Delivery.objects.filter(send=send, state="failed").count() == 0


def test_pause_resume_and_cancel(issue, smtp):
    audience = add_subscribers(400)
    (worker,) = workers(smtp, "nl-pause", NEWSLETTER_RATE_PER_SECOND="150")
    try:
        send = sending.start(issue)
        wait_for(lambda: sent_count(send) >= 100)
        sending.pause(Send.objects.get(pk=send.pk))
        paused_at = settled_count(send)  # the batch in progress stops at its next check
        time.sleep(1)
        assert sent_count(send) == paused_at < len(audience)
        assert Send.objects.get(pk=send.pk).state == Send.State.PAUSED
        sending.resume(Send.objects.get(pk=send.pk))
        wait_for(lambda: Send.objects.get(pk=send.pk).state == Send.State.DONE)
        counts = received(smtp)
        assert set(counts) == audience and max(counts.values()) == 1

        smtp.clear()
        second_issue = NewsletterIssuePage.objects.get(pk=issue.pk)
        second_issue = second_issue.copy(update_attrs={"slug": "decembre-2026", "title": "Décembre"})
        second_issue.topics.set(issue.topics.all())
        second_issue.save_revision().publish()
        other = sending.start(NewsletterIssuePage.objects.get(pk=second_issue.pk))
        wait_for(lambda: sent_count(other) >= 50)
        sending.cancel(Send.objects.get(pk=other.pk))
        stopped_at = settled_count(other)
        time.sleep(1)
        assert sent_count(other) == stopped_at < len(audience)
        assert Send.objects.get(pk=other.pk).state == Send.State.CANCELLED
        assert Delivery.objects.filter(send=other, state="pending").count() == 0
        assert len(smtp.messages) == stopped_at
    finally:
        worker.dismiss()
