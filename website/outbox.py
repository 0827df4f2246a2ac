"""Every single email (confirmations, notices, reminders, relayed messages) is a row first.

`queue_email` writes the row and queues its task once the transaction commits; `deliver` claims the
row under a lock and sends it at most once per claim. The database keeps the schedule: each queued row
has a `next_attempt_at`, and the sweep (every OUTBOX_SWEEP_SECONDS, a minute) hands every due row to a
worker:
- a row whose task could not be published (Redis down) is due at once, so it leaves within a sweep of
  Redis returning;
- a temporary refusal or an unreachable server makes the row due again after a backoff (doubling from
  OUTBOX_RETRY_BASE_SECONDS, at most an hour), for MAX_ATTEMPTS attempts in all, then it fails for good;
- a row whose task was published is due again after LEASE, in case that task was lost with its worker.
A crash between the server's acceptance and the commit can repeat one message, never lose one.
"""

import logging
import smtplib
from datetime import timedelta

from anymail.exceptions import AnymailError, AnymailRecipientsRefused
from celery import signature
from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from website.mail import EmailMessage
from website.models.outbox import OutgoingEmail
from website.queueing import publish, publish_on_commit

logger = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 8
# The task that calls `deliver` (website/tasks.py), named here so that the outbox, below the tasks,
# never imports them.
SEND_TASK = "website.tasks.send_outgoing_email"


def send_task():
    return signature(SEND_TASK)


def queue_email(to, subject, body, *, key=None, reply_to=(), html="", headers=None, tag="", attachments=()):
    """Store one email and queue its sending. With `key`, the same email is never queued twice.
    A record anonymised by website.privacy has no address left: nothing is queued for it (None)."""
    to = [address for address in to if address]
    if not to:
        return None
    fields = {
        "to": to,
        "subject": " ".join(str(subject).split()),
        "body": body,
        "html": html,
        "reply_to": list(reply_to),
        "headers": headers or {},
        "attachments": list(attachments),
        "tag": tag,
    }
    fields["next_attempt_at"] = timezone.now() + LEASE
    # One INSERT needs no transaction of its own (outside one, the task is published right after it).
    if key is None:
        email = OutgoingEmail.objects.create(**fields)
    else:
        try:
            with transaction.atomic():
                email = OutgoingEmail.objects.create(key=key, **fields)
        except IntegrityError:
            return OutgoingEmail.objects.get(key=key)
    publish_on_commit(send_task(), email.pk, on_failure=lambda: due_now([email.pk]))
    return email


def due_now(pks):
    """The next sweep hands these rows to a worker (their task could not be published)."""
    OutgoingEmail.objects.filter(pk__in=pks, state=OutgoingEmail.State.QUEUED).update(
        next_attempt_at=timezone.now()
    )


def queue_templated_email(template, context, to, *, language=None, **kwargs):
    """Render `<template>_subject.txt` and `<template>.txt` in `language`, then queue the email."""
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {"site_url": settings.SITE_URL, **context}
        subject = render_to_string(f"{template}_subject.txt", context, using="text").strip()
        body = render_to_string(f"{template}.txt", context, using="text")
    return queue_email(to, subject, body, **kwargs)


def deliver(email_id):
    """Send one queued email. Returns True if it was sent by this call."""
    with transaction.atomic():
        email = (
            OutgoingEmail.objects.select_for_update()
            .filter(pk=email_id, state=OutgoingEmail.State.QUEUED)
            .first()
        )
        if email is None:
            return False
        email.attempts += 1
        message = EmailMessage(
            email.subject, email.body, to=email.to, reply_to=email.reply_to or None, headers=email.headers
        )
        if email.html:
            message.attach_alternative(email.html, "text/html")
        for attachment in email.attachments:
            message.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
        try:
            message.send()
        except (OSError, AnymailError) as exc:  # smtplib's too: a refusal, an unreachable or silent server
            email.last_error = f"{exc.__class__.__name__}: {exc}"[:1000]
            if permanent_smtp_code(exc) or email.attempts >= MAX_ATTEMPTS:
                email.state = OutgoingEmail.State.FAILED
                email.save(update_fields=["state", "attempts", "last_error"])
                logger.warning("email %s failed for good: %s", email.pk, exc)
                return False
            # Counted and committed, so that a refusal that never ends stops at MAX_ATTEMPTS.
            email.next_attempt_at = timezone.now() + retry_delay(email.attempts)
            email.save(update_fields=["attempts", "last_error", "next_attempt_at"])
            logger.info(
                "email %s refused (attempt %s), next at %s", email.pk, email.attempts, email.next_attempt_at
            )
            return False
        email.state = OutgoingEmail.State.SENT
        email.sent_at = timezone.now()
        email.save(update_fields=["state", "attempts", "sent_at"])
        return True


def retry_delay(attempts):
    """After the n-th failed attempt: base, 2 × base, 4 × base… at most an hour."""
    base = settings.OUTBOX_RETRY_BASE_SECONDS
    return timedelta(seconds=min(base * 2 ** (attempts - 1), 3600))


def permanent_smtp_code(exc):
    """The 5xx code of a refusal the server will not change its mind about, else 0 (try again)."""
    if isinstance(exc, AnymailRecipientsRefused):
        return 550
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in exc.recipients.values()]
        return min(codes) if codes and min(codes) >= 500 else 0
    code = getattr(exc, "smtp_code", 0)
    return code if code >= 500 else 0


def emails_to_retry(now=None):
    """Queued rows whose time has come (see the module docstring)."""
    return OutgoingEmail.objects.filter(
        state=OutgoingEmail.State.QUEUED, next_attempt_at__lte=now or timezone.now()
    ).values_list("pk", flat=True)


def sweep(now=None, batch=1000, max_batches=50):
    """Hand every due row to a worker, each under a new lease, a batch at a time (a long Redis outage
    can leave thousands). Returns how many were handed over."""
    now = now or timezone.now()
    handed = 0
    for _ in range(max_batches):
        pks = list(emails_to_retry(now).order_by("next_attempt_at")[:batch])
        OutgoingEmail.objects.filter(pk__in=pks).update(next_attempt_at=now + LEASE)
        for n, pk in enumerate(pks):
            if not publish(send_task(), pk):
                due_now(pks[n:])
                return handed + n
        handed += len(pks)
        if len(pks) < batch:
            break
    return handed
