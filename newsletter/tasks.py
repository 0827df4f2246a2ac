"""Thin Celery wrappers around newsletter.sending and newsletter.services. Tasks import the pipeline,
never the reverse: the pipeline queues these by name (`newsletter.sending.chains`)."""

import logging

from celery import shared_task
from celery.exceptions import Reject

from newsletter import consent_renewal, sending, services

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, ignore_result=True)
def prepare_send(send_id):
    return sending.prepare(send_id)


@shared_task(bind=True, acks_late=True, max_retries=None, ignore_result=True)
def send_batch(self, send_id, slot=None, token=None):
    """One batch of the chain holding `slot` (see sending.start_chains); a message queued without a
    slot (before leases existed) sends one batch and leaves the rest to the sweep's chains."""
    worker = self.request.hostname or ""
    try:
        if slot is None:
            return sending.send_batch(send_id, worker=worker)
        sent = sending.chain_step(send_id, slot, token, worker=worker)
    except sending.Transient as exc:
        countdown = sending.retry_delay(self.request.retries)
        if slot is not None:
            sending.renew_lease(send_id, slot, token, extra_seconds=countdown)  # held while it waits
        try:
            raise self.retry(exc=exc, countdown=countdown) from exc
        except Reject:  # the retry could not be queued (broker down): the next sweep takes the slot
            if slot is not None:
                sending.release_lease(send_id, slot, token)
            raise
    if sent:
        sending.continue_chain(send_id, slot, token)  # or, broker down, give the slot back to the sweep
    return sent


@shared_task(ignore_result=True)
def sweep():
    return sending.sweep()


@shared_task(ignore_result=True)
def purge_unconfirmed():
    return services.purge_unconfirmed()


@shared_task(ignore_result=True)
def ask_consent_renewals():
    """Daily: one email to each subscriber whose implied consent lapses within 30 days (once per expiry)."""
    return consent_renewal.ask_renewals()
