"""The outbox: one row per email, sent once per claim, retried on temporary refusals, swept."""

import pytest

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


def test_temporary_refusal_keeps_the_row_for_a_retry_and_the_sweep(smtp):
    email = queue()
    smtp.refuse_with = "451 4.3.0 Try again later"
    with pytest.raises(OSError):
        outbox.deliver(email.pk)
    email.refresh_from_db()
    assert email.state == OutgoingEmail.State.QUEUED and email.attempts == 1 and "451" in email.last_error
    OutgoingEmail.objects.filter(pk=email.pk).update(created_at=email.created_at - outbox.SWEEP_AFTER * 2)
    assert list(outbox.emails_to_retry()) == [email.pk]
    smtp.refuse_with = None
    assert outbox.deliver(email.pk) is True
    assert len(smtp.wait_for(1)) == 1
    assert list(outbox.emails_to_retry()) == []


def test_permanent_refusal_marks_the_row_failed(smtp):
    email = queue()
    smtp.refuse_with = "550 5.1.1 No such user"
    assert outbox.deliver(email.pk) is False
    email.refresh_from_db()
    assert email.state == OutgoingEmail.State.FAILED and "550" in email.last_error
    assert list(outbox.emails_to_retry()) == []


def test_a_refusal_that_never_ends_stops_after_max_attempts(smtp):
    email = queue()
    smtp.refuse_with = "452 4.2.2 Mailbox full"
    for _ in range(outbox.MAX_ATTEMPTS - 1):
        with pytest.raises(OSError):
            outbox.deliver(email.pk)
    assert outbox.deliver(email.pk) is False
    email.refresh_from_db()
    assert email.state == OutgoingEmail.State.FAILED and email.attempts == outbox.MAX_ATTEMPTS
    assert list(outbox.emails_to_retry()) == []
