"""Thin Celery wrappers around website.services and website.health."""

from celery import shared_task
from celery.signals import worker_ready

from website import health, services


@shared_task(ignore_result=True)
def heartbeat():
    health.record_heartbeat()


@worker_ready.connect
def first_heartbeat(**kwargs):
    # Beat's first tick comes one interval after it starts; a fresh worker is healthy at once.
    health.record_heartbeat()


@shared_task(bind=True, acks_late=True, max_retries=8, ignore_result=True)
def notify_support_request(self, submission_id):
    try:
        services.notify_support_request(submission_id)
    except OSError as exc:  # SMTP refused or unreachable: try again later, the row waits.
        raise self.retry(exc=exc, countdown=min(60 * 2**self.request.retries, 3600)) from exc


@shared_task(ignore_result=True)
def sweep_support_requests():
    for pk in services.support_requests_to_retry():
        notify_support_request.delay(pk)
