"""Thin Celery wrappers around the services."""

from celery import shared_task
from celery.signals import worker_ready

from website import health, outbox, privacy


@shared_task(ignore_result=True)
def heartbeat():
    health.record_heartbeat()


@worker_ready.connect
def first_heartbeat(**kwargs):
    # Beat's first tick comes one interval after it starts; a fresh worker is healthy at once.
    health.record_heartbeat()


@shared_task(bind=True, acks_late=True, max_retries=outbox.MAX_ATTEMPTS, ignore_result=True)
def send_outgoing_email(self, email_id):
    try:
        outbox.deliver(email_id)
    except OSError as exc:  # SMTP unreachable or a temporary refusal: the row waits, try again later
        raise self.retry(exc=exc, countdown=min(30 * 2**self.request.retries, 3600)) from exc


@shared_task(ignore_result=True)
def sweep_outgoing_emails():
    for pk in outbox.emails_to_retry().iterator():
        send_outgoing_email.delay(pk)


@shared_task(ignore_result=True)
def apply_retention():
    return privacy.apply_outbox_retention()
