"""Thin Celery wrappers around events.services, run by Celery beat."""

from celery import shared_task

from events import privacy, services


@shared_task(ignore_result=True)
def send_reminders():
    return services.send_reminders()


@shared_task(ignore_result=True)
def release_unconfirmed():
    return services.release_unconfirmed()


@shared_task(ignore_result=True)
def expire_offers():
    return services.expire_offers()


@shared_task(ignore_result=True)
def decide_thresholds():
    return len(services.decide_thresholds())


@shared_task(ignore_result=True)
def send_final_shares():
    return services.send_final_shares()


@shared_task(ignore_result=True)
def send_follow_ups():
    return services.send_follow_ups()


@shared_task(ignore_result=True)
def apply_retention():
    return privacy.apply_retention()
