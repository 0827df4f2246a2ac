"""A worker SIGKILLed in the middle of a reminder run and of a digest run (a private Redis, a real
worker of two processes, loopback SMTP). After a restart, the next run and the outbox sweep serve
everyone; duplicates stay within the stated bound: at most one message per worker process, the one
the server had accepted when the kill came and whose row was not marked sent yet.

The newsletter's own kill test is tests/newsletter/test_pipeline.py."""

import datetime
import signal
import time
from collections import Counter

import pytest
from celery import Celery
from django.utils import timezone

from bulletin.models import AlertSubscription, Post
from events.models import Registration
from tests.factories import PostFactory
from tests.support.worker import CeleryWorker
from website.models import OutgoingEmail

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

CONCURRENCY = 2
PEOPLE = 300


@pytest.fixture
def broker(private_redis):
    """Tasks go to the private Redis, as beat would put them there. Not the current app: this process's
    own tasks must keep publishing to the test Redis."""
    app = Celery("faults", broker=private_redis.url(), set_as_current=False)
    yield app
    app.close()


def start_worker(private_redis, smtp, name):
    return CeleryWorker(
        email_url=smtp.url, name=name, concurrency=CONCURRENCY, env={"TEST_REDIS_URL": private_redis.url()}
    ).start()


def wait_until(check, timeout=120, every=0.02):
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(every)


def kill_mid_run(worker, done, total):
    """SIGKILL the whole worker once the run has done part of its work."""
    wait_until(lambda: done() >= total // 5)
    worker.stop(sig=signal.SIGKILL)
    at_kill = done()
    assert at_kill < total, "the run finished before the kill: make it longer"
    return at_kill


def restart_and_serve_everyone(broker, private_redis, smtp, task, done, total):
    """A new worker; the next scheduled run; the outbox sweep once the lease of the lost tasks is over."""
    worker = start_worker(private_redis, smtp, "fault-restarted")
    try:
        broker.send_task(task)
        wait_until(lambda: done() == total)
        # As if OUTBOX lease had passed since the kill: rows whose task died with the worker are due.
        OutgoingEmail.objects.filter(state=OutgoingEmail.State.QUEUED).update(next_attempt_at=timezone.now())
        broker.send_task("website.tasks.sweep_outgoing_emails")
        wait_until(lambda: not OutgoingEmail.objects.filter(state=OutgoingEmail.State.QUEUED).exists())
        time.sleep(1)
    finally:
        worker.stop()


def received(smtp, tag_word):
    with smtp.lock:
        return Counter(to[0] for to, message in smtp.messages if tag_word in message["Subject"])


def test_a_worker_killed_during_the_reminder_run_leaves_nobody_without_a_reminder(
    make_event, private_redis, smtp, broker
):
    event = make_event(in_days=1, reminder_days=2, capacity=PEOPLE, max_seats=1)
    Registration.objects.bulk_create(
        Registration(
            event=event,
            contact_name=f"Personne {n}",
            email=f"rappel{n:04d}@example.org",
            organisation=f"Organisme {n}",
            seats=1,
            state=Registration.State.CONFIRMED,
        )
        for n in range(PEOPLE)
    )
    reminded = Registration.objects.filter(event=event, reminder_sent_at__isnull=False).count

    worker = start_worker(private_redis, smtp, "fault-killed")
    broker.send_task("events.tasks.send_reminders")
    at_kill = kill_mid_run(worker, reminded, PEOPLE)
    restart_and_serve_everyone(broker, private_redis, smtp, "events.tasks.send_reminders", reminded, PEOPLE)

    counts = received(smtp, "Rappel")
    assert len(counts) == PEOPLE  # everyone
    duplicates = sum(counts.values()) - PEOPLE
    assert duplicates <= CONCURRENCY, (duplicates, counts.most_common(3))
    assert OutgoingEmail.objects.filter(tag="events.reminder").count() == PEOPLE  # one row each, ever
    print(f"reminders: killed after {at_kill}/{PEOPLE}, {duplicates} duplicate(s)")


def test_a_worker_killed_during_the_digest_run_leaves_nobody_without_a_digest(private_redis, smtp, broker):
    confirmed = timezone.now() - datetime.timedelta(days=1)
    AlertSubscription.objects.bulk_create(
        AlertSubscription(email=f"veille{n:04d}@example.org", consent_text="oui", confirmed_at=confirmed)
        for n in range(PEOPLE)
    )
    PostFactory(title="Camionnette réfrigérée", state=Post.State.PUBLISHED)
    served = AlertSubscription.objects.filter(last_digest_at__isnull=False).count

    worker = start_worker(private_redis, smtp, "fault-killed")
    broker.send_task("bulletin.tasks.send_daily_digests")
    at_kill = kill_mid_run(worker, served, PEOPLE)
    restart_and_serve_everyone(
        broker, private_redis, smtp, "bulletin.tasks.send_daily_digests", served, PEOPLE
    )

    with smtp.lock:
        counts = Counter(to[0] for to, _message in smtp.messages if to[0].startswith("veille"))
    assert len(counts) == PEOPLE
    duplicates = sum(counts.values()) - PEOPLE
    assert duplicates <= CONCURRENCY, (duplicates, counts.most_common(3))
    assert OutgoingEmail.objects.filter(tag="bulletin.digest").count() == PEOPLE
    print(f"digests: killed after {at_kill}/{PEOPLE}, {duplicates} duplicate(s)")
