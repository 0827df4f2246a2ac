"""Redis (the broker) stops in the middle of a newsletter send: the sweep does not fail, a scheduled send
waits for the broker, and a chain that cannot queue its next batch gives its slot back, so the first
sweep once Redis is back carries on, without waiting NEWSLETTER_CLAIM_TIMEOUT. In this process, with
Celery publishing to a private redis-server that the test stops and starts."""

import base64
import datetime
import json
from io import StringIO

import pytest
import redis
from celery.exceptions import Reject
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from newsletter import sending, tasks
from newsletter.models import ChainLease, Delivery, NewsletterIssuePage, Send
from tests.support.smtp import free_port
from website import queueing
from website.celery import app
from website.i18n import in_default_locale

pytestmark = pytest.mark.django_db


def forget_connections():
    """The app's producers are found again for the broker URL now configured (kombu keeps one pool per
    URL, so the shared Redis's pool stays as it was)."""
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def broker(private_redis, monkeypatch):
    """Celery publishes to the private redis-server; a failed publish pauses nothing across tests."""
    redis.Redis.from_url(private_redis.url()).flushdb()  # what an earlier test left queued
    monkeypatch.setitem(app.conf, "broker_url", private_redis.url())
    monkeypatch.setattr(queueing, "_paused_until", 0.0)
    forget_connections()
    yield private_redis
    if private_redis.process.poll() is not None:
        private_redis.start()
    forget_connections()
    monkeypatch.undo()
    forget_connections()


@pytest.fixture
def issue(db, settings):
    settings.NEWSLETTER_PARALLEL_BATCHES = 1
    settings.NEWSLETTER_BATCH_SIZE = 1
    call_command("seed_demo", stdout=StringIO())
    return in_default_locale(NewsletterIssuePage.objects).get(slug="novembre-2026")


def queued(broker):
    """(task name, args) of every message waiting in the newsletter queue, oldest first."""
    client = redis.Redis.from_url(broker.url())
    found = []
    for raw in reversed(client.lrange("newsletter", 0, -1)):  # Celery pushes on the left
        message = json.loads(raw)
        args, _kwargs, _embed = json.loads(base64.b64decode(message["body"]))
        found.append((message["headers"]["task"], tuple(args)))
    return found


def broker_back(broker, monkeypatch):
    broker.start()
    monkeypatch.setattr(queueing, "_paused_until", 0.0)  # as 5 seconds after the failed publish


def later(**delta):
    return timezone.now() + datetime.timedelta(**delta)


def test_a_chain_that_cannot_queue_its_next_batch_gives_its_slot_back_to_the_next_sweep(
    broker, issue, monkeypatch, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send = sending.start(issue)
    ((name, args),) = queued(broker)
    assert (name, args) == ("newsletter.tasks.prepare_send", (send.pk,))
    with django_capture_on_commit_callbacks(execute=True):
        sending.prepare(send.pk)
    (chain,) = [args for name, args in queued(broker) if name == "newsletter.tasks.send_batch"]

    broker.stop()
    assert tasks.send_batch(*chain) == 1  # one batch sent; its successor could not be queued
    assert len(mail.outbox) == 1 and not ChainLease.objects.exists()  # the slot is free at once
    with django_capture_on_commit_callbacks(execute=True):
        assert sending.sweep(now=later(minutes=1)) == 0  # Redis still down: nothing fails, nothing held
    assert not ChainLease.objects.exists()

    broker_back(broker, monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        sending.sweep(now=later(minutes=2))  # long before NEWSLETTER_CLAIM_TIMEOUT
    (restarted,) = [args for name, args in queued(broker) if name == "newsletter.tasks.send_batch"]
    assert restarted != chain and ChainLease.objects.count() == 1
    while (sent := sending.chain_step(*restarted)) is not None and sent:
        pass
    assert sorted(m.to[0] for m in mail.outbox) == sorted(Delivery.objects.values_list("email", flat=True))
    assert len(mail.outbox) == 3 and Send.objects.get().state == Send.State.DONE


def test_the_sweep_leaves_a_due_scheduled_send_for_when_the_broker_is_back(
    broker, issue, monkeypatch, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send = sending.start(issue, when=later(minutes=5))
    assert queued(broker) == []

    broker.stop()
    sending.sweep(now=later(minutes=6))  # used to raise: the task was queued with .delay
    send.refresh_from_db()
    assert send.state == Send.State.SCHEDULED

    broker_back(broker, monkeypatch)
    sending.sweep(now=later(minutes=7))
    assert queued(broker) == [("newsletter.tasks.prepare_send", (send.pk,))]
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.prepare_send(send.pk) == 3
    assert [name for name, _args in queued(broker)][-1] == "newsletter.tasks.send_batch"


def test_a_batch_whose_retry_cannot_be_queued_gives_its_slot_back_to_the_next_sweep(
    broker, issue, smtp, settings, monkeypatch, django_capture_on_commit_callbacks
):
    """The mail server and the broker are both away: the batch's retry is refused by Celery (Reject),
    and the slot does not stay held for the retry's wait plus NEWSLETTER_CLAIM_TIMEOUT."""
    with django_capture_on_commit_callbacks(execute=True):
        send = sending.start(issue)
        sending.prepare(send.pk)
    (chain,) = [args for name, args in queued(broker) if name == "newsletter.tasks.send_batch"]

    settings.EMAIL_PORT = free_port()  # nothing listens there: the batch is Transient
    broker.stop()
    # Run the task as a worker does (a request of its own, not a direct call, not eager).
    tasks.send_batch.push_request(called_directly=False, args=list(chain), kwargs={}, retries=0, id="t1")
    try:
        with pytest.raises(Reject):
            tasks.send_batch.run(*chain)
    finally:
        tasks.send_batch.pop_request()
    assert not ChainLease.objects.exists()
    assert set(Delivery.objects.values_list("state", flat=True)) == {Delivery.State.PENDING}

    broker_back(broker, monkeypatch)
    settings.EMAIL_PORT = smtp.port
    with django_capture_on_commit_callbacks(execute=True):
        sending.sweep(now=later(minutes=1))
    (restarted,) = [args for name, args in queued(broker) if name == "newsletter.tasks.send_batch"]
    while sending.chain_step(*restarted):
        pass
    assert len(smtp.messages) == 3 and Send.objects.get().state == Send.State.DONE
