"""A send's life: scheduled, prepared (one Delivery row per recipient), sending, paused, cancelled, done."""

from django.db import connection as db_connection
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from newsletter.audience import recipients
from newsletter.models import Delivery, NewsletterIssuePage, Send
from newsletter.sending.chains import PREPARE_SEND_TASK, start_chains, task
from website.queueing import publish_on_commit

State, DState = Send.State, Delivery.State
OPEN_STATES = (State.SCHEDULED, State.PREPARING, State.SENDING, State.PAUSED)


class SendRefused(Exception):
    """This issue cannot be sent now; the message says why, for the editor."""


def start(issue, user=None, when=None):
    """Schedule a send of `issue` (now when `when` is None). Refused while another send of the issue is
    under way or done, and when nobody is left to receive it: an issue goes out once."""
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
            publish_on_commit(task(PREPARE_SEND_TASK), send.pk)  # else (or if not queued) the sweep does
    return send


def audience(issue):
    """The issue's recipients: its topics, regions and organisation types (newsletter.audience)."""
    return recipients(issue)


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
    created = snapshot_audience(send)
    with transaction.atomic():
        Send.objects.filter(pk=send.pk, state=State.PREPARING).update(
            state=State.SENDING, started_at=timezone.now()
        )
        start_chains(send.pk)  # else the sweep does
    return created


def snapshot_audience(send):
    """One pending Delivery per person of the audience not served yet. Returns how many."""
    issue = send.issue
    # After a cancelled send, the people it had not reached yet (and still in the audience) get this one.
    created = Delivery.objects.filter(
        issue=issue, state=DState.CANCELLED, subscriber__in=audience(issue).values("pk")
    ).update(send=send, state=DState.PENDING, claimed_at=None)
    served = Delivery.objects.filter(issue=issue).values("subscriber_id")
    people = audience(issue).exclude(pk__in=served).order_by().values("pk", "email", "language")
    return created + insert_deliveries(send, people)


def insert_deliveries(send, people):
    """One INSERT … SELECT: the rows are made by the database, never loaded into the worker (a send
    to 100,000 people costs one statement and no memory here)."""
    select, params = people.query.sql_with_params()
    table = Delivery._meta.db_table
    columns = "send_id, issue_id, subscriber_id, email, language, state, attempts, sent_by, error"
    sql = (
        f"INSERT INTO {table} ({columns}) "
        f"SELECT %s, %s, people.pk, people.email, people.language, %s, 0, '', '' "
        f"FROM ({select}) AS people WHERE 1 = 1 "  # WHERE: SQLite reads the ON CONFLICT that follows
        "ON CONFLICT (issue_id, subscriber_id) DO NOTHING"
    )
    with db_connection.cursor() as cursor:
        cursor.execute(sql, [send.pk, send.issue_id, DState.PENDING, *params])
        return cursor.rowcount


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
