"""The sending pipeline.

1. `start` writes a Send; when due, `prepare` snapshots the audience into one Delivery row per
   recipient (unique per issue and subscriber) and starts a few batch chains.
2. `send_batch` claims up to BATCH_SIZE pending rows under a row lock (skip_locked on PostgreSQL, the
   database write lock on SQLite), marks them "sending", and commits; then it sends them over one SMTP
   connection, marking each row "sent" as soon as the server accepts it. Several workers on several
   machines run batches of the same send side by side: a row is claimed by one of them only.
3. A temporary SMTP error puts the batch's unsent rows back to "pending" and retries the task with
   exponential backoff; a permanent one (5xx) marks the row failed and counts a hard bounce.
4. `sweep` puts rows left "sending" by a worker that died back to "pending" after CLAIM_TIMEOUT.
5. A chain (one batch after another until none is left) holds one of the send's
   NEWSLETTER_PARALLEL_BATCHES slots: a ChainLease row, renewed at each batch and given up when the chain
   ends. `sweep` starts a chain only in a free or expired slot (a worker that died stops renewing), and a
   chain whose slot was taken over stops at its next batch, so at most that many chains run per send.

The only duplicates possible are rows the server accepted but whose "sent" mark was lost with a killed
worker: at most the one message being sent per worker process at the kill.
"""

import functools
import logging
import secrets
import smtplib
import time

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db import connection as db_connection
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from newsletter import rendering
from newsletter.models import ChainLease, Delivery, NewsletterIssuePage, Send, Subscriber
from newsletter.services import link, register_bounce
from website.outbox import permanent_smtp_code, queue_email
from website.queueing import publish_on_commit
from website.redis import redis_client

logger = logging.getLogger(__name__)
State, DState = Send.State, Delivery.State


# Starting, pausing, cancelling ------------------------------------------------------------------


class SendRefused(Exception):
    """This issue cannot be sent now; the message says why, for the editor."""


OPEN_STATES = (State.SCHEDULED, State.PREPARING, State.SENDING, State.PAUSED)


def start(issue, user=None, when=None):
    """Schedule a send of `issue` (now when `when` is None). Refused while another send of the issue is
    under way or done, and when nobody is left to receive it: an issue goes out once."""
    from newsletter.tasks import prepare_send

    with transaction.atomic():
        issue = NewsletterIssuePage.objects.select_for_update().get(pk=issue.pk)
        if not issue.live:
            raise SendRefused(_("Publiez le numéro avant de l'envoyer."))
        if issue.sends.filter(state__in=[*OPEN_STATES, State.DONE]).exists():
            raise SendRefused(_("Ce numéro a déjà un envoi en cours, planifié ou terminé."))
        if not recipients_left(issue).exists():
            raise SendRefused(
                _(
                    "Personne ne recevrait ce numéro : aucun abonné confirmé de ses thèmes ne l'a pas déjà reçu."
                )
            )
        send = Send.objects.create(issue=issue, scheduled_at=when or timezone.now(), created_by=user)
        if send.scheduled_at <= timezone.now():
            publish_on_commit(prepare_send, send.pk)  # else the sweep starts it
    return send


def audience(issue):
    subscribers = Subscriber.objects.mailable()
    topic_ids = list(issue.topics.values_list("pk", flat=True))
    if topic_ids:
        subscribers = subscribers.filter(topics__in=topic_ids).distinct()
    return subscribers


def recipients_left(issue):
    """The audience, less the people this issue was already sent to (or failed for)."""
    done = Delivery.objects.filter(issue=issue, state__in=[DState.SENT, DState.FAILED, DState.SENDING])
    return audience(issue).exclude(pk__in=done.values("subscriber_id"))


def prepare(send_id):
    """Snapshot the audience into Delivery rows, in chunks, then start the batch chains."""
    with transaction.atomic():
        send = Send.objects.select_for_update().get(pk=send_id)
        if send.state != State.SCHEDULED:
            return 0
        send.state = State.PREPARING
        send.save(update_fields=["state"])
    issue = send.issue
    # After a cancelled send, the people it had not reached yet (and still in the audience) get this one.
    reopened = Delivery.objects.filter(
        issue=issue, state=DState.CANCELLED, subscriber__in=audience(issue).values("pk")
    ).update(send=send, state=DState.PENDING, claimed_at=None)
    chunk, created = [], reopened
    served = Delivery.objects.filter(issue=issue).values("subscriber_id")
    for subscriber in (
        audience(issue).exclude(pk__in=served).only("pk", "email", "language").iterator(chunk_size=2000)
    ):
        chunk.append(
            Delivery(
                send=send,
                issue=issue,
                subscriber=subscriber,
                email=subscriber.email,
                language=subscriber.language,
            )
        )
        if len(chunk) >= 2000:
            created += len(Delivery.objects.bulk_create(chunk, ignore_conflicts=True))
            chunk = []
    if chunk:
        created += len(Delivery.objects.bulk_create(chunk, ignore_conflicts=True))
    with transaction.atomic():
        Send.objects.filter(pk=send.pk, state=State.PREPARING).update(
            state=State.SENDING, started_at=timezone.now()
        )
        start_chains(send.pk)  # else the sweep does
    return created


def pause(send):
    return Send.objects.filter(pk=send.pk, state=State.SENDING).update(state=State.PAUSED)


def resume(send):
    with transaction.atomic():
        updated = Send.objects.filter(pk=send.pk, state=State.PAUSED).update(state=State.SENDING)
        if updated:
            start_chains(send.pk)  # slots still held by a chain that saw the pause: it goes on
    return updated


def cancel(send):
    with transaction.atomic():
        updated = Send.objects.filter(
            pk=send.pk, state__in=[State.SCHEDULED, State.SENDING, State.PAUSED, State.PREPARING]
        ).update(state=State.CANCELLED, finished_at=timezone.now())
        Delivery.objects.filter(send=send, state=DState.PENDING).update(state=DState.CANCELLED)
    return updated


# Batch chains and their leases ------------------------------------------------------------------


def lease_seconds():
    """A chain renews its lease at each batch; a batch that outlives CLAIM_TIMEOUT is taken for dead."""
    return settings.NEWSLETTER_CLAIM_TIMEOUT


def take_lease(send_id, slot, now=None):
    """The slot's new token if it was free or its lease had expired, else None."""
    now = now or timezone.now()
    token = secrets.token_hex(16)
    until = now + timezone.timedelta(seconds=lease_seconds())
    # One UPDATE: on PostgreSQL a concurrent taker waits for the row, then sees the lease taken.
    if ChainLease.objects.filter(send_id=send_id, slot=slot, leased_until__lt=now).update(
        token=token, leased_until=until
    ):
        return token
    try:
        with transaction.atomic():
            ChainLease.objects.create(send_id=send_id, slot=slot, token=token, leased_until=until)
    except IntegrityError:
        return None  # held by a live chain
    return token


def renew_lease(send_id, slot, token, extra_seconds=0):
    """Keep the slot for another lease (plus `extra_seconds`, a retry's wait). False if the slot went
    to another chain: then this one stops."""
    until = timezone.now() + timezone.timedelta(seconds=lease_seconds() + extra_seconds)
    return bool(ChainLease.objects.filter(send_id=send_id, slot=slot, token=token).update(leased_until=until))


def release_lease(send_id, slot, token):
    ChainLease.objects.filter(send_id=send_id, slot=slot, token=token).delete()


def start_chains(send_id, now=None):
    """Start a chain in every free slot of the send (after the current transaction commits). A chain
    the broker does not take gives its slot back, for the next sweep. Returns how many were started."""
    from newsletter.tasks import send_batch

    started = 0
    for slot in range(settings.NEWSLETTER_PARALLEL_BATCHES):
        token = take_lease(send_id, slot, now)
        if token is None:
            continue
        publish_on_commit(
            send_batch,
            send_id,
            slot,
            token,
            on_failure=functools.partial(release_lease, send_id, slot, token),
        )
        started += 1
    return started


def chain_step(send_id, slot, token, worker=""):
    """One batch of the chain holding `slot`: None if the slot went to another chain (nothing sent),
    else the number sent. A chain with nothing left to send gives its slot back."""
    if not renew_lease(send_id, slot, token):
        return None
    sent = send_batch(send_id, worker=worker)
    if not sent:
        release_lease(send_id, slot, token)
    return sent


# Sending ----------------------------------------------------------------------------------------


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


def build_message(delivery, rendered, connection, issue):
    subscriber = delivery.subscriber
    unsubscribe_url = link(subscriber, "newsletter.unsubscribe", language=delivery.language)
    subject, html_body, text = rendering.personalise(
        rendered,
        unsubscribe_url=unsubscribe_url,
        preferences_url=link(subscriber, "newsletter.preferences", language=delivery.language),
    )
    message = EmailMultiAlternatives(
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


def send_batch(send_id, worker=""):
    """Claim and send one batch. Returns the number sent; raises Transient for a retry."""
    deliveries = claim(send_id, settings.NEWSLETTER_BATCH_SIZE)
    if not deliveries:
        finish_if_done(send_id)
        return 0
    issue = NewsletterIssuePage.objects.get(pk=deliveries[0].issue_id).specific
    rendered = {}
    connection = get_connection()
    sent = 0
    remaining = list(deliveries)
    try:
        connection.open()
        while remaining:
            if sent % 20 == 0 and not still_sending(send_id):
                break  # paused or cancelled: stop here, the rest goes back to the queue
            delivery = remaining[0]
            if delivery.language not in rendered:
                rendered[delivery.language] = rendered_for_send(send_id, issue.pk, delivery.language)
            throttle()
            message = build_message(delivery, rendered[delivery.language], connection, issue)
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
                remaining.pop(0)
                if isinstance(exc, smtplib.SMTPResponseException):
                    connection.close()  # the session may be in a bad state after a refusal
                    connection.open()
                continue
            # Accepted by the server: record it at once, in its own statement (autocommit).
            Delivery.objects.filter(pk=delivery.pk).update(
                state=DState.SENT, sent_at=timezone.now(), sent_by=worker, attempts=delivery.attempts + 1
            )
            remaining.pop(0)
            sent += 1
    except (TimeoutError, smtplib.SMTPException, OSError) as exc:
        raise Transient(str(exc)) from exc
    finally:
        release(remaining)  # whatever was claimed and not sent goes back (or is cancelled with its send)
        try:
            connection.close()
        except (smtplib.SMTPException, OSError):
            pass
    return sent


def finish_if_done(send_id):
    with transaction.atomic():
        open_rows = Delivery.objects.filter(
            send_id=send_id, state__in=[DState.PENDING, DState.SENDING]
        ).exists()
        if not open_rows:
            Send.objects.filter(pk=send_id, state=State.SENDING).update(
                state=State.DONE, finished_at=timezone.now()
            )


def sweep(now=None):
    """Rows left "sending" by a dead worker go back to "pending"; due scheduled sends start; sends
    with work left get a chain in each slot where none is running (no live lease)."""
    from newsletter.tasks import prepare_send

    now = now or timezone.now()
    timeout = timezone.timedelta(seconds=settings.NEWSLETTER_CLAIM_TIMEOUT)
    stuck = Delivery.objects.filter(state=DState.SENDING, claimed_at__lt=now - timeout)
    stuck.filter(send__state=State.CANCELLED).update(state=DState.CANCELLED, claimed_at=None)
    reset = stuck.update(state=DState.PENDING, claimed_at=None)
    for send_id in Send.objects.filter(state=State.SCHEDULED, scheduled_at__lte=now).values_list(
        "pk", flat=True
    ):
        prepare_send.delay(send_id)
    active = Send.objects.filter(state=State.SENDING).values_list("pk", flat=True)
    for send_id in active:
        if Delivery.objects.filter(send_id=send_id, state=DState.PENDING).exists():
            start_chains(send_id, now)
        else:
            finish_if_done(send_id)
    return reset


def progress(send):
    counts = dict(Delivery.objects.filter(send=send).values_list("state").annotate(n=Count("pk")))
    total = sum(counts.values())
    minute_ago = timezone.now() - timezone.timedelta(minutes=1)
    rate = Delivery.objects.filter(send=send, state=DState.SENT, sent_at__gte=minute_ago).count() / 60
    done = counts.get(DState.SENT, 0) + counts.get(DState.FAILED, 0) + counts.get(DState.CANCELLED, 0)
    return {
        "state": send.state,
        "state_label": send.get_state_display(),
        "total": total,
        "sent": counts.get(DState.SENT, 0),
        "failed": counts.get(DState.FAILED, 0),
        "cancelled": counts.get(DState.CANCELLED, 0),
        "remaining": counts.get(DState.PENDING, 0) + counts.get(DState.SENDING, 0),
        "rate_per_second": round(rate, 1),
        "percent": round(100 * done / total) if total else (100 if send.state == State.DONE else 0),
    }


def send_test(issue, addresses, language=None):
    """One test copy per address, queued in the outbox (no Delivery rows). An address that belongs to a
    subscriber gets that subscriber's own working links; any other gets sample links to a page that
    says so. The copy shows the latest draft, so editors check it before publishing. Returns how many
    copies were queued."""
    language = language or settings.LANGUAGE_CODE
    rendered = rendering.render_issue(issue.get_latest_revision_as_object(), language)
    addresses = list(dict.fromkeys(address.strip().lower() for address in addresses))
    subscribers = {s.email: s for s in Subscriber.objects.filter(email__in=addresses)}
    with transaction.atomic():
        for address in addresses:
            subscriber = subscribers.get(address)
            if subscriber is None:
                links = rendering.sample_links(language)
            else:
                links = {
                    "unsubscribe_url": link(subscriber, "newsletter.unsubscribe", language=language),
                    "preferences_url": link(subscriber, "newsletter.preferences", language=language),
                }
            subject, html_body, text = rendering.personalise(rendered, **links)
            queue_email([address], f"[TEST] {subject}", text, html=html_body, tag="newsletter.test")
    return len(addresses)
