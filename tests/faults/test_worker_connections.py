"""A real worker keeps its PostgreSQL session between tasks for CONN_MAX_AGE, as web processes do. Celery
alone closes it before and after every task: a new session (a server process forked, authenticated,
its catalogue read again) for every email, which halved registrations per second under load (issue 11).
A session dropped under the worker (pg_terminate_backend, as a restart or failover does) is replaced
before the next task uses it: every email still leaves, once."""

import time
from collections import Counter

import pytest
from django.db import connection
from django.utils import timezone

from tests.support import worker as support
from tests.support.smtp import SMTPSink
from tests.support.worker import CeleryWorker
from website import outbox
from website.celery import app
from website.models import OutgoingEmail

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

APP_NAME = "maillon-fault-worker"


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("pg_stat_activity and pg_terminate_backend are PostgreSQL's")


@pytest.fixture
def smtp():
    sink = SMTPSink().start()
    yield sink
    sink.stop()


@pytest.fixture
def worker(private_redis, smtp, db):
    """Production's CONN_MAX_AGE and health checks, on a broker of its own; no beat (no sweep): each email
    is its send task's first database work, as after a registration."""
    env = {
        "TEST_REDIS_URL": private_redis.url(),
        "DATABASE_URL": f"{support.test_database_url()}?application_name={APP_NAME}",
        "CONN_MAX_AGE": "600",
        "CONN_HEALTH_CHECKS": "true",
    }
    running = CeleryWorker(email_url=smtp.url, name="fault-connections", env=env).start()
    running.broker_url = private_redis.url()
    yield running
    running.stop()


def worker_sessions():
    """(pid, start) of every PostgreSQL session the worker holds now."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid, backend_start FROM pg_stat_activity "
            "WHERE datname = current_database() AND application_name = %s",
            [APP_NAME],
        )
        return set(cursor.fetchall())


def send(worker, names, timeout=60):
    """Queued as queue_email does (due again only after the lease), each send task published to the
    worker's broker; returns once all of them are sent."""
    due = timezone.now() + outbox.LEASE
    pks = [
        OutgoingEmail.objects.create(
            to=[f"{name}@example.org"], subject=f"Message {name}", body="Corps", next_attempt_at=due
        ).pk
        for name in names
    ]
    with app.connection_for_write(worker.broker_url) as broker:
        for pk in pks:
            outbox.send_task().apply_async(args=[pk], connection=broker)
    deadline = time.monotonic() + timeout
    while OutgoingEmail.objects.filter(pk__in=pks, state=OutgoingEmail.State.SENT).count() < len(pks):
        assert time.monotonic() < deadline, "not all sent in time"
        time.sleep(0.1)


def test_the_worker_sends_many_emails_on_the_session_it_already_holds(worker, smtp):
    send(worker, ["premier"])
    held = worker_sessions()
    assert held, "the worker closed its session after the task (a new one for every email)"

    send(worker, [f"personne-{n}" for n in range(15)])

    assert worker_sessions() == held  # the same sessions: none opened for these 15 emails
    assert len(smtp.wait_for(16)) == 16


def test_a_session_dropped_under_the_worker_is_replaced_and_no_email_is_lost_or_doubled(worker, smtp):
    send(worker, ["avant"])
    held = worker_sessions()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND application_name = %s",
            [APP_NAME],
        )
        assert cursor.fetchone()[0] == len(held) >= 1

    names = [f"apres-{n}" for n in range(5)]
    send(worker, names, timeout=30)  # a failed task would wait for the lease: minutes

    received = Counter(address for to, _message in smtp.wait_for(6) for address in to)
    assert received == Counter(f"{name}@example.org" for name in ["avant", *names])
    assert worker_sessions() and not worker_sessions() & held
    assert not OutgoingEmail.objects.exclude(state=OutgoingEmail.State.SENT).exists()
