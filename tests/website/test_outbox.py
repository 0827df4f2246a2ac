"""The outbox: one row per email, sent once per claim, retried on temporary refusals, swept."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.support.smtp import free_port
from website import outbox
from website.models import OutgoingEmail

pytestmark = pytest.mark.django_db


def queue(**kwargs):
    kwargs.setdefault("key", None)
    return outbox.queue_email(["a@example.org"], "Objet", "Corps", **kwargs)


def test_a_keyed_email_is_queued_only_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = queue(key="bulletin.match:1:2")
        second = queue(key="bulletin.match:1:2")
    assert first.pk == second.pk
    assert OutgoingEmail.objects.count() == 1
    assert len(callbacks) == 1


def test_delivery_reaches_the_smtp_server_once(smtp):
    email = queue(reply_to=["b@example.org"], headers={"X-Maillon": "1"})
    assert outbox.deliver(email.pk) is True
    assert outbox.deliver(email.pk) is False
    ((recipients, message),) = smtp.wait_for(1)
    assert recipients == ["a@example.org"]
    assert message["Reply-To"] == "b@example.org" and message["X-Maillon"] == "1"
    email.refresh_from_db()
    assert email.state == OutgoingEmail.State.SENT and email.sent_at is not None


@pytest.mark.parametrize(
    "subject",
    [
        "Inscription confirmée : Formation en comptabilité pour les organismes à but non lucratif",
        "Message au sujet de votre annonce « Camionnette à partager pour les déménagements »",
        "Inscription confirmée : court",
        "A plain subject without any accent that is long enough to be folded on two lines by the writer",
    ],
)
def test_a_long_subject_with_accents_arrives_as_written(smtp, subject):
    # Django 5.2 folded such a subject after "Subject:", and readers showed it with a leading space.
    email = outbox.queue_email(["a@example.org"], subject, "Corps")
    assert outbox.deliver(email.pk) is True
    ((_recipients, message),) = smtp.wait_for(1)
    assert message["Subject"] == subject
    raw = message.as_bytes().decode()
    assert "Subject: \n" not in raw.replace("\r\n", "\n")


def test_temporary_refusal_keeps_the_row_until_the_backoff_has_passed(smtp, settings):
    settings.OUTBOX_RETRY_BASE_SECONDS = 60
    email = queue()
    smtp.refuse_with = "451 4.3.0 Try again later"
    assert outbox.deliver(email.pk) is False
    email.refresh_from_db()
    assert email.state == OutgoingEmail.State.QUEUED and email.attempts == 1 and "451" in email.last_error
    assert list(outbox.emails_to_retry()) == []  # not before its backoff
    later = email.next_attempt_at + timedelta(seconds=1)
    assert list(outbox.emails_to_retry(later)) == [email.pk]
    smtp.refuse_with = None
    assert outbox.deliver(email.pk) is True
    assert len(smtp.wait_for(1)) == 1
    assert list(outbox.emails_to_retry(later)) == []


def test_permanent_refusal_marks_the_row_failed(smtp):
    email = queue()
    smtp.refuse_with = "550 5.1.1 No such user"
    assert outbox.deliver(email.pk) is False
    email.refresh_from_db()
    assert email.state == OutgoingEmail.State.FAILED and "550" in email.last_error
    assert list(outbox.emails_to_retry(timezone.now() + timedelta(days=1))) == []


def test_a_refusal_that_never_ends_stops_after_max_attempts_with_growing_delays(smtp):
    email = queue()
    smtp.refuse_with = "452 4.2.2 Mailbox full"
    delays = []
    for _ in range(outbox.MAX_ATTEMPTS):
        before = timezone.now()
        assert outbox.deliver(email.pk) is False
        email.refresh_from_db()
        delays.append((email.next_attempt_at - before).total_seconds())
    assert email.state == OutgoingEmail.State.FAILED and email.attempts == outbox.MAX_ATTEMPTS
    assert all(b > a for a, b in zip(delays[:4], delays[1:5], strict=True)), delays
    assert list(outbox.emails_to_retry(timezone.now() + timedelta(days=1))) == []


def test_an_unreachable_server_counts_attempts_too(settings):
    """Connection refused is an OSError that used to roll the attempt back: retried forever."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    email = queue()
    assert outbox.deliver(email.pk) is False
    email.refresh_from_db()
    assert email.state == OutgoingEmail.State.QUEUED and email.attempts == 1
    assert "ConnectionRefusedError" in email.last_error


def test_a_published_row_waits_for_its_lease_and_an_unpublished_one_is_due_at_once():
    published, unpublished = queue(), queue()
    assert list(outbox.emails_to_retry()) == []
    outbox.due_now([unpublished.pk])  # what a failed publish does
    assert list(outbox.emails_to_retry()) == [unpublished.pk]
    after_lease = timezone.now() + outbox.LEASE + timedelta(seconds=1)
    assert set(outbox.emails_to_retry(after_lease)) == {published.pk, unpublished.pk}


def test_the_sweep_runs_every_minute():
    from django.conf import settings

    assert settings.CELERY_BEAT_SCHEDULE["outgoing-emails-sweep"]["schedule"] == 60.0


def test_the_sweep_hands_over_every_due_row_in_batches_and_leases_them(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        emails = [queue() for _ in range(7)]
    outbox.due_now([email.pk for email in emails])
    assert outbox.sweep(batch=3) == 7
    assert list(outbox.emails_to_retry()) == []  # leased: the next sweep does not hand them over again
    assert outbox.sweep(batch=3) == 0
    after_lease = timezone.now() + outbox.LEASE + timedelta(seconds=1)
    assert len(outbox.emails_to_retry(after_lease)) == 7
