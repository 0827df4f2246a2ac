"""The sending pipeline: one concept per module, read in this order.

1. `sends`: `start` writes a Send; when due, `prepare` snapshots the audience into one Delivery row per
   recipient (unique per issue and subscriber) and starts a few batch chains. Pause, resume, cancel,
   progress.
2. `batches`: `send_batch` claims up to BATCH_SIZE pending rows under a row lock (skip_locked on
   PostgreSQL, the database write lock on SQLite), marks them "sending", and commits; then it sends them
   over one SMTP connection, marking rows "sent" in groups of RECORD_EVERY as the server accepts them
   (one UPDATE per group). Each copy is written by `messages` (bytes cut from one template per send and
   language for Django's SMTP backend, an EmailMessage otherwise). Several workers on several machines
   run batches of the same send side by side: a row is claimed by one of them only.
   A temporary SMTP error puts the batch's unsent rows back to "pending" and raises `Transient` (the
   task retries with exponential backoff); a permanent one (5xx) marks the row failed and counts a hard
   bounce.
3. `chains`: a chain (one batch after another until none is left) holds one of the send's
   NEWSLETTER_PARALLEL_BATCHES slots: a ChainLease row, renewed at each batch and given up when the chain
   ends, or when the broker does not take its next message (Redis down): then the next sweep starts it
   again, instead of waiting for the lease to run out.
4. `sweep`: puts rows left "sending" by a worker that died back to "pending" after CLAIM_TIMEOUT,
   prepares due scheduled sends, and starts a chain only in a free or expired slot (a worker that died
   stops renewing), so at most that many chains run per send. A chain whose slot was taken over stops
   at its next batch.

Tasks import this package, never the reverse: the pipeline queues its tasks by name (`chains.task`),
after the current transaction commits, through `website.queueing` (a broker that is down is logged and
skipped; the sweep picks the rows up).

The only duplicates possible are rows the server accepted but whose "sent" mark was lost with a killed
worker: at most NEWSLETTER_RECORD_EVERY messages (the group not yet marked) per worker process killed.
"""

from newsletter.sending.batches import Transient, send_batch
from newsletter.sending.chains import (
    chain_step,
    continue_chain,
    release_lease,
    renew_lease,
    retry_delay,
    start_chains,
)
from newsletter.sending.messages import build_message, personal_links, rendered_for_send, template_for_send
from newsletter.sending.sends import (
    OPEN_STATES,
    SendRefused,
    audience,
    cancel,
    pause,
    prepare,
    progress,
    recipients_left,
    resume,
    start,
)
from newsletter.sending.sweep import sweep

__all__ = [
    "OPEN_STATES",
    "SendRefused",
    "Transient",
    "audience",
    "build_message",
    "cancel",
    "chain_step",
    "continue_chain",
    "pause",
    "personal_links",
    "prepare",
    "progress",
    "recipients_left",
    "release_lease",
    "rendered_for_send",
    "renew_lease",
    "resume",
    "retry_delay",
    "send_batch",
    "start",
    "start_chains",
    "sweep",
    "template_for_send",
]
