"""Every single email (confirmations, notices, reminders, relayed messages) is a row first.

`queue_email` writes the row and queues its task once the transaction commits; `deliver` claims the
row under a lock and sends it at most once per claim; the periodic sweep re-queues rows a lost task
left behind. A crash between the server's acceptance and the commit can repeat one message, never
lose one.
"""

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

logger = logging.getLogger(__name__)

SWEEP_AFTER = timedelta(minutes=5)
MAX_ATTEMPTS = 8


def queue_email(to, subject, body, *, key=None, reply_to=(), html="", headers=None, tag="", attachments=()):
    """Store one email and queue its sending. With `key`, the same email is never queued twice.
    A record anonymised by website.privacy has no address left: nothing is queued for it (None)."""
    from website.models import OutgoingEmail
    from website.tasks import send_outgoing_email

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
    with transaction.atomic():
        if key is None:
            email = OutgoingEmail.objects.create(**fields)
        else:
            try:
                with transaction.atomic():
                    email = OutgoingEmail.objects.create(key=key, **fields)
            except IntegrityError:
                return OutgoingEmail.objects.get(key=key)
        transaction.on_commit(lambda: send_outgoing_email.delay(email.pk))
    return email


def queue_templated_email(template, context, to, *, language=None, **kwargs):
    """Render `<template>_subject.txt` and `<template>.txt` in `language`, then queue the email."""
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {"site_url": settings.SITE_URL, **context}
        subject = render_to_string(f"{template}_subject.txt", context, using="text").strip()
        body = render_to_string(f"{template}.txt", context, using="text")
    return queue_email(to, subject, body, **kwargs)


def deliver(email_id):
    """Send one queued email. Returns True if it was sent by this call."""
    from website.models import OutgoingEmail

    with transaction.atomic():
        email = (
            OutgoingEmail.objects.select_for_update()
            .filter(pk=email_id, state=OutgoingEmail.State.QUEUED)
            .first()
        )
        if email is None:
            return False
        email.attempts += 1
        message = EmailMultiAlternatives(
            email.subject, email.body, to=email.to, reply_to=email.reply_to or None, headers=email.headers
        )
        if email.html:
            message.attach_alternative(email.html, "text/html")
        for attachment in email.attachments:
            message.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
        try:
            message.send()
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException) as exc:
            email.last_error = str(exc)[:1000]
            if permanent_smtp_code(exc) or email.attempts >= MAX_ATTEMPTS:
                email.state = OutgoingEmail.State.FAILED
                email.save(update_fields=["state", "attempts", "last_error"])
                logger.warning("email %s failed for good: %s", email.pk, exc)
                return False
            # Counted and committed before the retry, so that a refusal that never ends stops at MAX_ATTEMPTS.
            email.save(update_fields=["attempts", "last_error"])
            refused = exc
        else:
            email.state = OutgoingEmail.State.SENT
            email.sent_at = timezone.now()
            email.save(update_fields=["state", "attempts", "sent_at"])
            return True
    raise refused


def permanent_smtp_code(exc):
    """The 5xx code of a refusal the server will not change its mind about, else 0 (try again)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in exc.recipients.values()]
        return min(codes) if codes and min(codes) >= 500 else 0
    code = getattr(exc, "smtp_code", 0)
    return code if code >= 500 else 0


def emails_to_retry():
    from website.models import OutgoingEmail

    return OutgoingEmail.objects.filter(
        state=OutgoingEmail.State.QUEUED, created_at__lt=timezone.now() - SWEEP_AFTER
    ).values_list("pk", flat=True)
