"""One batch: claim pending rows under a lock, send them over one SMTP connection, mark each at once."""

import functools
import smtplib
import time

from django.conf import settings
from django.core.mail import get_connection
from django.db import connection as db_connection
from django.db import transaction
from django.utils import timezone

from newsletter import rendering
from newsletter.links import link
from newsletter.models import Delivery, NewsletterIssuePage, Send
from newsletter.services import register_bounce
from website.mail import EmailMessage
from website.outbox import permanent_smtp_code
from website.redis import redis_client

State, DState = Send.State, Delivery.State


class Transient(Exception):
    """The mail server could not take messages now; try again later."""


def claim(send_id, size):
    with transaction.atomic():
        if not Send.objects.filter(pk=send_id, state=State.SENDING).exists():
            return []
        rows = Delivery.objects.filter(send_id=send_id, state=DState.PENDING).order_by("pk")
        if db_connection.features.has_select_for_update_skip_locked:
            rows = rows.select_for_update(skip_locked=True)
        ids = list(rows.values_list("pk", flat=True)[:size])
        Delivery.objects.filter(pk__in=ids, state=DState.PENDING).update(
            state=DState.SENDING, claimed_at=timezone.now()
        )
    return list(
        Delivery.objects.filter(pk__in=ids, state=DState.SENDING).select_related("subscriber").order_by("pk")
    )


def release(deliveries):
    """Rows claimed but not sent go back to the queue, or are cancelled with their send."""
    if not deliveries:
        return
    cancelled = Send.objects.filter(pk=deliveries[0].send_id, state=State.CANCELLED).exists()
    Delivery.objects.filter(pk__in=[d.pk for d in deliveries], state=DState.SENDING).update(
        state=DState.CANCELLED if cancelled else DState.PENDING, claimed_at=None
    )


def still_sending(send_id):
    return Send.objects.filter(pk=send_id, state=State.SENDING).exists()


def finish_if_done(send_id):
    with transaction.atomic():
        open_rows = Delivery.objects.filter(
            send_id=send_id, state__in=[DState.PENDING, DState.SENDING]
        ).exists()
        if not open_rows:
            Send.objects.filter(pk=send_id, state=State.SENDING).update(
                state=State.DONE, finished_at=timezone.now()
            )


def build_message(delivery, rendered, connection, issue):
    subscriber = delivery.subscriber
    unsubscribe_url = link(subscriber, "newsletter.unsubscribe", language=delivery.language)
    subject, html_body, text = rendering.personalise(
        rendered,
        unsubscribe_url=unsubscribe_url,
        preferences_url=link(subscriber, "newsletter.preferences", language=delivery.language),
    )
    message = EmailMessage(
        subject,
        text,
        to=[delivery.email],
        connection=connection,
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "X-Maillon-Delivery": str(delivery.pk),
        },
    )
    message.attach_alternative(html_body, "text/html")
    # Privacy by default (Law 25): providers track only when the editor turned it on for this issue.
    message.track_opens = message.track_clicks = bool(issue.tracking_enabled)
    return message


@functools.lru_cache(maxsize=32)
def rendered_for_send(send_id, issue_id, language):
    """Within a send, an issue is rendered once per worker process and language (the board and events
    blocks are read at that moment)."""
    issue = NewsletterIssuePage.objects.get(pk=issue_id).specific
    return rendering.render_issue(issue, language)


def throttle():
    """Global messages-per-second limit shared by every worker, counted in Redis."""
    rate = settings.NEWSLETTER_RATE_PER_SECOND
    if not rate:
        return
    client = redis_client()
    while True:
        second = int(time.time())
        key = f"maillon:newsletter:rate:{second}"
        count = client.incr(key)
        if count == 1:
            client.expire(key, 5)
        if count <= rate:
            return
        time.sleep(max(0.0, second + 1 - time.time()))


def send_one(connection, delivery, message, worker):
    """Hand one message to the server and record the outcome: True if accepted, False if refused for
    good (the row fails and a hard bounce counts). Raises Transient for a temporary refusal."""
    try:
        connection.send_messages([message])
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException) as exc:
        code = permanent_smtp_code(exc)
        if not code:
            raise Transient(str(exc)) from exc
        Delivery.objects.filter(pk=delivery.pk).update(
            state=DState.FAILED, error=str(exc)[:500], attempts=delivery.attempts + 1
        )
        register_bounce(delivery.email, permanent=True)
        if isinstance(exc, smtplib.SMTPResponseException):
            connection.close()  # the session may be in a bad state after a refusal
            connection.open()
        return False
    # Accepted by the server: record it at once, in its own statement (autocommit).
    Delivery.objects.filter(pk=delivery.pk).update(
        state=DState.SENT, sent_at=timezone.now(), sent_by=worker, attempts=delivery.attempts + 1
    )
    return True


def send_batch(send_id, worker=""):
    """Claim and send one batch. Returns the number sent; raises Transient for a retry."""
    deliveries = claim(send_id, settings.NEWSLETTER_BATCH_SIZE)
    if not deliveries:
        finish_if_done(send_id)
        return 0
    issue = NewsletterIssuePage.objects.get(pk=deliveries[0].issue_id).specific
    connection = get_connection()
    sent = 0
    remaining = list(deliveries)
    try:
        connection.open()
        while remaining:
            if sent % 20 == 0 and not still_sending(send_id):
                break  # paused or cancelled: stop here, the rest goes back to the queue
            delivery = remaining[0]
            rendered = rendered_for_send(send_id, issue.pk, delivery.language)
            throttle()
            message = build_message(delivery, rendered, connection, issue)
            sent += send_one(connection, delivery, message, worker)
            remaining.pop(0)
    except (TimeoutError, smtplib.SMTPException, OSError) as exc:
        raise Transient(str(exc)) from exc
    finally:
        release(remaining)  # whatever was claimed and not sent goes back (or is cancelled with its send)
        try:
            connection.close()
        except (smtplib.SMTPException, OSError):
            pass
    return sent
