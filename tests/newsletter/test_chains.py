"""Batch chains: the sweep starts one only in a free slot of NEWSLETTER_PARALLEL_BATCHES, a chain whose
worker died is taken over once its lease is over, and a chain the broker did not take gives its slot back.
Against the real broker (Redis): the "newsletter" queue has no consumer in the test session."""

import base64
import datetime
import json
import time

import pytest
import redis
from django.core import mail
from django.utils import timezone

from newsletter import sending, tasks
from newsletter.models import ChainLease, Send
from newsletter.sending import chains
from website import queueing
from website.celery import app

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue(settings):
    client = redis.Redis.from_url(settings.REDIS_URL)
    client.delete("newsletter")
    yield client
    client.delete("newsletter")


def queued_chains(queue):
    """(send id, slot, token) of every send_batch message waiting in the newsletter queue, oldest first."""
    chains = []
    for raw in reversed(queue.lrange("newsletter", 0, -1)):  # Celery pushes on the left
        message = json.loads(raw)
        if message["headers"]["task"] == "newsletter.tasks.send_batch":
            args, _kwargs, _embed = json.loads(base64.b64decode(message["body"]))
            chains.append(tuple(args))
    return chains


def later(**delta):
    return timezone.now() + datetime.timedelta(**delta)


def test_sweeps_during_a_send_never_run_more_chains_than_allowed_and_take_over_a_dead_one(
    issue, queue, settings, django_capture_on_commit_callbacks
):
    settings.NEWSLETTER_PARALLEL_BATCHES = 2
    with django_capture_on_commit_callbacks(execute=False):
        send = sending.start(issue)
    with django_capture_on_commit_callbacks(execute=True):
        sending.prepare(send.pk)
        for minute in range(1, 6):  # the sweep runs every minute while the chains are alive
            sending.sweep(now=later(minutes=minute))
    first = queued_chains(queue)
    assert len(first) == 2 and {slot for _send, slot, _token in first} == {0, 1}

    # Nobody ran them (a dead worker): once the lease is over, the next sweep starts two chains again.
    with django_capture_on_commit_callbacks(execute=True):
        sending.sweep(now=later(seconds=settings.NEWSLETTER_CLAIM_TIMEOUT + 60))
    second = queued_chains(queue)[2:]
    assert len(second) == 2 and {slot for _send, slot, _token in second} == {0, 1}
    assert {token for *_, token in first}.isdisjoint(token for *_, token in second)

    # A message of a chain that lost its slot (redelivered after the worker died) sends nothing.
    assert [sending.chain_step(*chain) for chain in first] == [None, None] and mail.outbox == []
    # The live chains send everything, then give their slots back; the send is done.
    steps = [sending.chain_step(*chain) for chain in second]
    assert sorted(steps) == [0, 3]
    assert sending.chain_step(*second[steps.index(3)]) == 0  # nothing left: it ends
    assert len(mail.outbox) == 3 and Send.objects.get().state == "done"
    assert not ChainLease.objects.exists()


def test_a_live_chain_keeps_its_slot_and_a_paused_send_gives_it_back(
    issue, queue, settings, django_capture_on_commit_callbacks
):
    settings.NEWSLETTER_PARALLEL_BATCHES = 1
    settings.NEWSLETTER_BATCH_SIZE = 1
    with django_capture_on_commit_callbacks(execute=False):
        send = sending.start(issue)
    with django_capture_on_commit_callbacks(execute=True):
        sending.prepare(send.pk)
    (chain,) = queued_chains(queue)
    assert sending.chain_step(*chain) == 1  # renews the lease
    with django_capture_on_commit_callbacks(execute=True):
        sending.sweep(now=later(seconds=settings.NEWSLETTER_CLAIM_TIMEOUT - 30))
    assert queued_chains(queue) == [chain]

    sending.pause(send)
    assert sending.chain_step(*chain) == 0 and not ChainLease.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        sending.resume(send)
    assert len(queued_chains(queue)) == 2 and ChainLease.objects.count() == 1


def test_a_chain_the_broker_does_not_take_gives_its_slot_back_for_the_next_sweep(
    issue, queue, settings, monkeypatch, django_capture_on_commit_callbacks
):
    """Redis down: publishing fails (and pauses) in website.queueing; no slot stays held by a chain that
    was never queued, so the first sweep after the outage starts the chains."""
    settings.NEWSLETTER_PARALLEL_BATCHES = 2
    with django_capture_on_commit_callbacks(execute=False):
        send = sending.start(issue)
    monkeypatch.setattr(queueing, "_paused_until", time.monotonic() + 60)  # as after a failed publish
    with django_capture_on_commit_callbacks(execute=True):
        sending.prepare(send.pk)
        sending.sweep(now=later(minutes=1))
    assert queued_chains(queue) == [] and not ChainLease.objects.exists()
    monkeypatch.setattr(queueing, "_paused_until", 0.0)  # Redis is back
    with django_capture_on_commit_callbacks(execute=True):
        sending.sweep(now=later(minutes=2))
    assert len(queued_chains(queue)) == 2


def test_the_pipeline_queues_tasks_that_exist_under_the_names_it_uses():
    """The pipeline queues its tasks by name (tasks import the pipeline, never the reverse)."""
    assert app.tasks[chains.SEND_BATCH_TASK].name == tasks.send_batch.name == chains.SEND_BATCH_TASK
    assert app.tasks[chains.PREPARE_SEND_TASK].name == tasks.prepare_send.name == chains.PREPARE_SEND_TASK
