"""Thin Celery wrappers around the services."""

from celery import shared_task
from celery.signals import worker_ready

from website import health, organisation_proposals, outbox, privacy


@shared_task(ignore_result=True)
def heartbeat():
    health.record_heartbeat()


@worker_ready.connect
def first_heartbeat(**kwargs):
    # Beat's first tick comes one interval after it starts; a fresh worker is healthy at once.
    health.record_heartbeat()


@shared_task(name=outbox.SEND_TASK, acks_late=True, ignore_result=True)
def send_outgoing_email(email_id):
    # No Celery retry: a refused row records when to try again and the sweep hands it back (outbox.py).
    outbox.deliver(email_id)


@shared_task(ignore_result=True)
def sweep_outgoing_emails():
    return outbox.sweep()


@shared_task(ignore_result=True)
def apply_retention():
    return {
        **privacy.apply_outbox_retention(),
        **privacy.apply_support_request_retention(),
        **organisation_proposals.apply_retention(),
    }
