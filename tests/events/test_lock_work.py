"""What a registration does while it holds its event's lock (issue 11: 50 registrations a second for one
event). Every registration of an event waits for that lock, so only what decides the seat is done under
it: the emails are rendered and queued once the transaction has committed (`transaction.on_commit`),
exactly once, and never for a registration whose transaction rolled back.

Run with `-s` to print the time each registration held the lock (mean and max, in ms)."""

import statistics
import time

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from events import emails as event_emails
from events import services
from events.models import Registration
from events.services import registration as registration_service
from website.models import OutgoingEmail

pytestmark = pytest.mark.django_db(transaction=True)
S = Registration.State
OUTBOX_TABLE = OutgoingEmail._meta.db_table


class LockClock:
    """Wraps `lock_event` where the registration service calls it: records, for each registration,
    the time from the lock's grant to the commit that releases it, and the SQL run in between."""

    def __init__(self, monkeypatch):
        self.held, self.locked_queries, self.sql_seconds = [], [], []
        real = registration_service.lock_event

        def lock_event(event_id):
            capture = CaptureQueriesContext(connection)
            capture.__enter__()
            event = real(event_id)
            granted = time.perf_counter()

            def released():  # the first callback of the commit: runs right after it
                self.held.append(time.perf_counter() - granted)
                capture.__exit__(None, None, None)
                locked = capture.captured_queries[1:]
                self.locked_queries.append([q["sql"] for q in locked])
                self.sql_seconds.append(sum(float(q["time"]) for q in locked))

            transaction.on_commit(released)
            return event

        monkeypatch.setattr(registration_service, "lock_event", lock_event)


@pytest.fixture
def clock(monkeypatch):
    return LockClock(monkeypatch)


def test_registering_renders_and_queues_no_email_under_the_lock(make_event, register, clock):
    event = make_event(capacity=20)
    made = [register(event, seats=2) for _ in range(15)]
    assert [r.state for r in made] == [S.CONFIRMED] * 10 + [S.WAITING] * 5
    held_ms = [s * 1000 for s in clock.held]
    print(
        f"\nlock held per registration: mean {statistics.mean(held_ms):.2f} ms, "
        f"median {statistics.median(held_ms):.2f} ms, max {max(held_ms):.2f} ms, "
        f"{statistics.mean(map(len, clock.locked_queries)):.1f} queries taking "
        f"{statistics.mean(clock.sql_seconds) * 1000:.2f} ms ({len(held_ms)} registrations)"
    )
    for queries in clock.locked_queries:
        assert not [sql for sql in queries if OUTBOX_TABLE in sql], queries
        # seats count, insert, log: a handful of statements, whatever the template or the event
        assert len(queries) <= 6, queries
    # ... and each email is queued once the registration committed, exactly once.
    emails = OutgoingEmail.objects.filter(tag__in=["events.confirmed", "events.waiting"])
    assert sorted(address for e in emails for address in e.to) == sorted(r.email for r in made)
    confirmation = OutgoingEmail.objects.get(to=[made[0].email])
    assert confirmation.tag == "events.confirmed" and "BEGIN:VEVENT" in confirmation.attachments[0]["content"]


def test_a_registration_whose_transaction_fails_sends_nothing(make_event, register):
    event = make_event(capacity=5)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.register(
            event, seats=1, contact_name="Annulée", email="annulee@example.org", organisation="X"
        )
        raise RuntimeError("the caller's transaction fails after the registration")
    assert not Registration.objects.filter(email="annulee@example.org").exists()
    assert not OutgoingEmail.objects.exists()
    kept = register(event, seats=1, email="gardee@example.org")
    assert list(OutgoingEmail.objects.values_list("to", flat=True)) == [[kept.email]]


def test_a_registration_whose_email_step_fails_is_kept_and_answered(
    make_event, register, monkeypatch, caplog
):
    """The email step runs after the commit: if it fails (the database locked or gone meanwhile), the
    registration stands and the visitor is answered; the failure is logged. (Django names the failed
    step by its `__qualname__`: a `functools.partial` had none, and the log line itself raised.)"""
    event = make_event(capacity=5)

    def broken(*args, **kwargs):
        raise RuntimeError("outbox unavailable")

    monkeypatch.setattr(event_emails, "queue_templated_email", broken)
    registration = register(event, seats=1, email="gardee@example.org")
    assert Registration.objects.get(pk=registration.pk).state == S.CONFIRMED
    assert not OutgoingEmail.objects.exists()
    assert "outbox unavailable" in caplog.text


def test_a_promotion_emails_once_after_the_commit_and_never_when_rolled_back(make_event, register):
    event = make_event(capacity=2)
    first = register(event, seats=2)
    waiting = register(event, seats=1, email="attente@example.org")
    promoted = OutgoingEmail.objects.filter(to=["attente@example.org"], tag="events.confirmed")

    with pytest.raises(RuntimeError), transaction.atomic():
        services.cancel(first)
        assert Registration.objects.get(pk=waiting.pk).state == S.CONFIRMED
        raise RuntimeError("rolled back")
    assert Registration.objects.get(pk=waiting.pk).state == S.WAITING
    assert not promoted.exists() and not OutgoingEmail.objects.filter(tag="events.cancelled").exists()

    services.cancel(first)
    services.cancel(first)  # idempotent: nothing more is sent
    assert Registration.objects.get(pk=waiting.pk).state == S.CONFIRMED
    assert promoted.count() == 1
    assert OutgoingEmail.objects.filter(tag="events.cancelled", to=[first.email]).count() == 1
