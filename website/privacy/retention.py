"""The site's own retention job: the outbox keeps no addresses or content past RETENTION_OUTBOX_DAYS."""

import logging

from django.conf import settings
from django.db import models
from django.utils import timezone

from website.models.outbox import OutgoingEmail
from website.models.space import LINK_MAX_AGE, SpaceKey

logger = logging.getLogger(__name__)


def apply_outbox_retention(now=None):
    """Sent (or failed) emails older than RETENTION_OUTBOX_DAYS lose their addresses and content; the
    row stays (its idempotency key still prevents a second sending), saying only what kind of email
    left when."""
    now = now or timezone.now()
    cutoff = now - timezone.timedelta(days=settings.RETENTION_OUTBOX_DAYS)
    State = OutgoingEmail.State
    old = OutgoingEmail.objects.filter(
        models.Q(state=State.SENT, sent_at__lt=cutoff) | models.Q(state=State.FAILED, created_at__lt=cutoff)
    ).exclude(to=[], body="")
    emptied = old.update(
        to=[], reply_to=[], subject="", body="", html="", headers={}, attachments=[], last_error=""
    )
    # A space's key whose every link has expired holds an address for nothing (website/space.py).
    keys, _rows = SpaceKey.objects.filter(
        last_requested_at__lt=now - timezone.timedelta(seconds=LINK_MAX_AGE)
    ).delete()
    logger.info("retention: %s sent emails emptied, %s space keys deleted", emptied, keys)
    return {"emails_emptied": emptied, "space_keys_deleted": keys}
