"""The periodic sweep (every minute, from beat): what a dead worker or a broker outage left behind."""

from django.conf import settings
from django.utils import timezone

from newsletter.models import Delivery, Send
from newsletter.sending.batches import finish_if_done
from newsletter.sending.chains import PREPARE_SEND_TASK, start_chains, task
from website.queueing import publish

State, DState = Send.State, Delivery.State


def sweep(now=None):
    """Rows left "sending" by a dead worker go back to "pending"; due scheduled sends start; sends
    with work left get a chain in each slot where none is running (no live lease). Nothing here fails
    when the broker is down: a send not queued stays scheduled, a chain not queued gives its slot back,
    and the next sweep tries again. Returns how many rows went back to "pending"."""
    now = now or timezone.now()
    timeout = timezone.timedelta(seconds=settings.NEWSLETTER_CLAIM_TIMEOUT)
    stuck = Delivery.objects.filter(state=DState.SENDING, claimed_at__lt=now - timeout)
    stuck.filter(send__state=State.CANCELLED).update(state=DState.CANCELLED, claimed_at=None)
    reset = stuck.update(state=DState.PENDING, claimed_at=None)
    due = Send.objects.filter(state=State.SCHEDULED, scheduled_at__lte=now).values_list("pk", flat=True)
    for send_id in due:
        publish(task(PREPARE_SEND_TASK), send_id)  # prepare() takes a send once: a duplicate does nothing
    for send_id in Send.objects.filter(state=State.SENDING).values_list("pk", flat=True):
        if Delivery.objects.filter(send_id=send_id, state=DState.PENDING).exists():
            start_chains(send_id, now)
        else:
            finish_if_done(send_id)
    return reset
