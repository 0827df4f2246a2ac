"""Celery beat's schedule: the periodic jobs of every app (base.py reads it)."""

import environ
from celery.schedules import crontab

env = environ.Env()

CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {"task": "website.tasks.heartbeat", "schedule": 30.0},
    "bulletin-expire-posts": {"task": "bulletin.tasks.expire_posts", "schedule": crontab(minute=5)},
    "bulletin-expiry-reminders": {
        "task": "bulletin.tasks.send_expiry_reminders",
        "schedule": crontab(hour=9, minute=0),
    },
    "bulletin-daily-digests": {
        "task": "bulletin.tasks.send_daily_digests",
        "schedule": crontab(hour=7, minute=0),
    },
    "bulletin-purge-kept-images": {
        "task": "bulletin.tasks.purge_kept_images",
        "schedule": crontab(minute=50),
    },
    "events-reminders": {"task": "events.tasks.send_reminders", "schedule": crontab(minute=15)},
    "events-release-unconfirmed": {
        "task": "events.tasks.release_unconfirmed",
        "schedule": crontab(minute=30),
    },
    "events-expire-offers": {"task": "events.tasks.expire_offers", "schedule": crontab(minute="*/10")},
    "events-decide-thresholds": {
        "task": "events.tasks.decide_thresholds",
        "schedule": crontab(hour=8, minute=0),
    },
    "events-final-shares": {"task": "events.tasks.send_final_shares", "schedule": crontab(minute=45)},
    "events-follow-ups": {"task": "events.tasks.send_follow_ups", "schedule": crontab(hour=10, minute=0)},
    "newsletter-sweep": {"task": "newsletter.tasks.sweep", "schedule": 60.0},
    "newsletter-purge-unconfirmed": {
        "task": "newsletter.tasks.purge_unconfirmed",
        "schedule": crontab(hour=3, minute=0),
    },
    # CASL: subscribers on implied consent are asked to renew it 30 days before it lapses.
    "newsletter-consent-renewals": {
        "task": "newsletter.tasks.ask_consent_renewals",
        "schedule": crontab(hour=9, minute=30),
    },
    # Emails whose task could not be queued (Redis down) leave within one sweep of Redis returning.
    "outgoing-emails-sweep": {
        "task": "website.tasks.sweep_outgoing_emails",
        "schedule": float(env.int("OUTBOX_SWEEP_SECONDS", default=60)),
    },
    # Retention of personal data (periods in base.py), each night after the newsletter purge.
    "privacy-retention-bulletin": {
        "task": "bulletin.tasks.apply_retention",
        "schedule": crontab(hour=3, minute=10),
    },
    "privacy-retention-events": {
        "task": "events.tasks.apply_retention",
        "schedule": crontab(hour=3, minute=20),
    },
    "privacy-retention-outbox": {
        "task": "website.tasks.apply_retention",
        "schedule": crontab(hour=3, minute=30),
    },
}
