"""Thin Celery wrappers around bulletin.services, run by Celery beat."""

from celery import shared_task

from bulletin import images, privacy, services


@shared_task(ignore_result=True)
def expire_posts():
    return services.expire_posts()


@shared_task(ignore_result=True)
def send_expiry_reminders():
    return services.send_expiry_reminders()


@shared_task(ignore_result=True)
def send_daily_digests():
    return services.send_daily_digests()


@shared_task(ignore_result=True)
def apply_retention():
    return privacy.apply_retention()


@shared_task(ignore_result=True)
def purge_kept_images():
    return images.purge_kept_images()
