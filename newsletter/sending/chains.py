"""Batch chains and their leases: at most NEWSLETTER_PARALLEL_BATCHES chains per send.

A chain holds a slot (a ChainLease row) while it runs, renews it at each batch and gives it back when
nothing is left, when its next message cannot be queued, or when its worker died (the lease runs out).
Its tasks are queued by name, so this module never imports `newsletter.tasks` (which imports it)."""

import functools
import logging
import secrets

from celery import current_app
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from newsletter.models import ChainLease
from newsletter.sending.batches import send_batch
from website.queueing import publish, publish_on_commit

logger = logging.getLogger(__name__)

SEND_BATCH_TASK = "newsletter.tasks.send_batch"
PREPARE_SEND_TASK = "newsletter.tasks.prepare_send"


def task(name):
    """The Celery task `name` (one of the names above), to queue without importing newsletter.tasks."""
    return current_app.signature(name)


def lease_seconds():
    """A chain renews its lease at each batch; a batch that outlives CLAIM_TIMEOUT is taken for dead."""
    return settings.NEWSLETTER_CLAIM_TIMEOUT


def retry_delay(retries):
    """Seconds before a batch the mail server refused for now is tried again (exponential, ≤ 1 hour)."""
    return min(settings.NEWSLETTER_RETRY_BASE_SECONDS * 2 ** min(retries, 8), 3600)


def take_lease(send_id, slot, now=None):
    """The slot's new token if it was free or its lease had expired, else None."""
    now = now or timezone.now()
    token = secrets.token_hex(16)
    until = now + timezone.timedelta(seconds=lease_seconds())
    # One UPDATE: on PostgreSQL a concurrent taker waits for the row, then sees the lease taken.
    if ChainLease.objects.filter(send_id=send_id, slot=slot, leased_until__lt=now).update(
        token=token, leased_until=until
    ):
        return token
    try:
        with transaction.atomic():
            ChainLease.objects.create(send_id=send_id, slot=slot, token=token, leased_until=until)
    except IntegrityError:
        return None  # held by a live chain
    return token


def renew_lease(send_id, slot, token, extra_seconds=0):
    """Keep the slot for another lease (plus `extra_seconds`, a retry's wait). False if the slot went
    to another chain: then this one stops."""
    until = timezone.now() + timezone.timedelta(seconds=lease_seconds() + extra_seconds)
    return bool(ChainLease.objects.filter(send_id=send_id, slot=slot, token=token).update(leased_until=until))


def release_lease(send_id, slot, token):
    ChainLease.objects.filter(send_id=send_id, slot=slot, token=token).delete()


def start_chains(send_id, now=None):
    """Start a chain in every free slot of the send (after the current transaction commits). A chain
    the broker does not take gives its slot back, for the next sweep. Returns how many were started."""
    started = 0
    for slot in range(settings.NEWSLETTER_PARALLEL_BATCHES):
        token = take_lease(send_id, slot, now)
        if token is None:
            continue
        publish_on_commit(
            task(SEND_BATCH_TASK),
            send_id,
            slot,
            token,
            on_failure=functools.partial(release_lease, send_id, slot, token),
        )
        started += 1
    return started


def chain_step(send_id, slot, token, worker=""):
    """One batch of the chain holding `slot`: None if the slot went to another chain (nothing sent),
    else the number sent. A chain with nothing left to send gives its slot back."""
    if not renew_lease(send_id, slot, token):
        return None
    sent = send_batch(send_id, worker=worker)
    if not sent:
        release_lease(send_id, slot, token)
    return sent


def continue_chain(send_id, slot, token):
    """Queue the chain's next batch now. If the broker does not take it (Redis down), the chain ends
    here and gives its slot back, so the first sweep after the outage starts it again, rather than after
    the lease runs out. True if queued."""
    if publish(task(SEND_BATCH_TASK), send_id, slot, token):
        return True
    release_lease(send_id, slot, token)
    logger.warning(
        "Infolettre : envoi %s, chaîne %s arrêtée (courtier absent), le balayage la reprendra.", send_id, slot
    )
    return False
