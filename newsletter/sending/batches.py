"""One batch: claim pending rows under a lock, send them over one SMTP connection, mark them sent in
groups as the server accepts them."""

import collections
import smtplib
import time

from django.conf import settings
from django.core.mail import get_connection
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from newsletter.models import Delivery, NewsletterIssuePage, Send
from newsletter.sending import messages, wire
from newsletter.services import register_bounce
from website.outbox import permanent_smtp_code
from website.redis import redis_client

State, DState = Send.State, Delivery.State


class Transient(Exception):
    """The mail server could not take messages now; try again later."""


def claim(send_id, size):
    with transaction.atomic():
        if not Send.objects.filter(pk=send_id, state=State.SENDING).exists():
            return []
        # No ORDER BY: the index on (send, state) hands over the first pending rows it finds, where sorting
        # every pending row of a large send on each claim would cost more the larger the send.
        rows = Delivery.objects.filter(send_id=send_id, state=DState.PENDING)
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


class Record:
    """Rows the server accepted, marked "sent" NEWSLETTER_RECORD_EVERY at a time (one UPDATE each):
    a worker killed before a group is written leaves at most that many rows "sending" that went out."""

    def __init__(self, worker):
        self.worker = worker
        self.accepted = []
        self.count = 0

    def add(self, delivery):
        self.accepted.append(delivery.pk)
        self.count += 1

    def full(self):
        return len(self.accepted) >= settings.NEWSLETTER_RECORD_EVERY

    def write(self):
        if self.accepted:
            Delivery.objects.filter(pk__in=self.accepted).update(
                state=DState.SENT, sent_at=timezone.now(), sent_by=self.worker, attempts=F("attempts") + 1
            )
            self.accepted = []


def hand_over(connection, delivery, issue, fast):
    """Give one copy to the server: as bytes from the send's template when `fast` and the template is
    sure to be right for this recipient, else as an EmailMessage."""
    send_id, language = delivery.send_id, delivery.language
    links = messages.personal_links(delivery.subscriber, language)
    template = messages.template_for_send(send_id, issue.pk, language) if fast else None
    copy = template.copy(delivery, links, stuffed=True) if template else None
    if copy is None:
        rendered = messages.rendered_for_send(send_id, issue.pk, language)
        connection.send_messages([messages.build_message(delivery, rendered, connection, issue, links)])
    else:
        recipient, data = copy
        wire.send_stuffed(connection.connection, template.sender, recipient, data)


def send_one(connection, delivery, issue, fast):
    """Hand one message to the server: True if accepted, False if refused for good (the row fails and
    a hard bounce counts). Raises Transient for a temporary refusal."""
    try:
        hand_over(connection, delivery, issue, fast)
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
    return True


def send_batch(send_id, worker=""):
    """Claim and send one batch. Returns the number sent; raises Transient for a retry."""
    deliveries = claim(send_id, settings.NEWSLETTER_BATCH_SIZE)
    if not deliveries:
        finish_if_done(send_id)
        return 0
    issue = NewsletterIssuePage.objects.get(pk=deliveries[0].issue_id).specific
    connection = get_connection()
    record = Record(worker)
    remaining = collections.deque(deliveries)
    try:
        connection.open()
        fast = messages.fast_path(connection)
        while remaining:
            if record.full():
                record.write()
                if not still_sending(send_id):
                    break  # paused or cancelled: stop here, the rest goes back to the queue
            throttle()
            if send_one(connection, remaining[0], issue, fast):
                record.add(remaining[0])
            remaining.popleft()
    except (TimeoutError, smtplib.SMTPException, OSError) as exc:
        raise Transient(str(exc)) from exc
    finally:
        record.write()  # what the server accepted is marked sent before anything else
        release(remaining)  # whatever was claimed and not sent goes back (or is cancelled with its send)
        try:
            connection.close()
        except (smtplib.SMTPException, OSError):
            pass
    return record.count
