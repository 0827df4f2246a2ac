"""Thin Celery wrappers around newsletter.sending and newsletter.services."""

from celery import shared_task
from django.conf import settings

from newsletter import sending, services


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
        base = settings.NEWSLETTER_RETRY_BASE_SECONDS
        countdown = min(base * 2 ** min(self.request.retries, 8), 3600)
        if slot is not None:
            sending.renew_lease(send_id, slot, token, extra_seconds=countdown)  # held while it waits
        raise self.retry(exc=exc, countdown=countdown) from exc
    if sent:
        send_batch.delay(send_id, slot, token)  # keep this chain going while there is work
    return sent


@shared_task(ignore_result=True)
def sweep():
    return sending.sweep()


@shared_task(ignore_result=True)
def purge_unconfirmed():
    return services.purge_unconfirmed()
