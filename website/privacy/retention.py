"""The site's own retention jobs: the outbox keeps no addresses or content past RETENTION_OUTBOX_DAYS;
closed support requests keep the requester's answers and the notes RETENTION_SUPPORT_REQUESTS_MONTHS;
a space's key goes once every link it signed has expired."""

import logging

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from wagtail.contrib.forms.models import FormSubmission

from website.models.outbox import OutgoingEmail
from website.models.space import LINK_MAX_AGE, SpaceKey
from website.models.support import SupportRequest, SupportRequestNote
from website.privacy.helpers import months_before

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


def apply_support_request_retention(now=None):
    """A request closed (terminée, sans suite) more than RETENTION_SUPPORT_REQUESTS_MONTHS ago (default
    24: long enough to follow a project that comes back) loses the requester's answers (the form
    submission, with its organisation link) and the team's notes. The request stays without them
    (status, dates, MRC, links) for the network's figures."""
    cutoff = months_before(now or timezone.now(), settings.RETENTION_SUPPORT_REQUESTS_MONTHS)
    old = SupportRequest.objects.filter(status__in=SupportRequest.CLOSED, closed_at__lt=cutoff)
    with transaction.atomic():
        notes, _rows = SupportRequestNote.objects.filter(request__in=old).delete()
        submissions = list(old.exclude(submission=None).values_list("submission_id", flat=True))
        SupportRequest.objects.filter(submission__in=submissions).update(submission=None)
        emptied, _rows = FormSubmission.objects.filter(pk__in=submissions).delete()
    logger.info("retention: %s support requests emptied, %s notes deleted", len(submissions), notes)
    return {"support_requests_emptied": len(submissions), "support_request_notes_deleted": notes}
