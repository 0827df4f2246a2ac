"""The mail server misbehaving under a real worker (with beat, on a private Redis): nobody listening,
a server that never answers, 4xx, then 5xx. Each outbox row is retried with a growing delay, then
delivered once or failed for good; the attempts are counted, so a retry storm would show.

Delays are shortened (OUTBOX_RETRY_BASE_SECONDS=1, sweep every second, EMAIL_TIMEOUT=1): attempt n
comes about 2^(n-1) seconds after the one before."""

import socket
import threading
import time

import pytest

from tests.support.smtp import SMTPSink, free_port
from tests.support.worker import CeleryWorker
from website.models import OutgoingEmail

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

TRANSIENT = "451 4.3.0 Réessayez plus tard"
PERMANENT = "550 5.1.1 Boîte inconnue"


class SilentServer:
    """Accepts connections and never says a word, like a mail server that hangs."""

    def __init__(self, port):
        self.sock = socket.create_server(("127.0.0.1", port))
        self.sock.settimeout(0.1)
        self.connections = []
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.accept, daemon=True)
        self.thread.start()

    def accept(self):
        while not self.stopped.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            self.connections.append(conn)
        self.sock.close()  # here: a socket closed while another thread waits in accept() stays bound

    def stop(self):
        self.stopped.set()
        self.thread.join()
        for conn in self.connections:
            conn.close()


@pytest.fixture
def worker(private_redis, db):
    port = free_port()
    env = {
        "TEST_REDIS_URL": private_redis.url(),
        "OUTBOX_RETRY_BASE_SECONDS": "1",
        "OUTBOX_SWEEP_SECONDS": "1",
        "EMAIL_TIMEOUT": "1",
    }
    running = CeleryWorker(
        email_url=f"smtp://127.0.0.1:{port}", name="fault-smtp", env=env, beat=True
    ).start()
    running.smtp_port = port
    yield running
    running.stop()


def queue(name):
    """A row due at once, as queue_email leaves it when its task could not be published: the worker's
    sweep hands it over (this process's Celery publishes elsewhere, to the shared test Redis)."""
    return OutgoingEmail.objects.create(to=[f"{name}@example.org"], subject=f"Message {name}", body="Corps")


def attempts(email):
    email.refresh_from_db()
    return email.attempts


def wait_until(check, timeout=60):
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def test_refused_silent_and_4xx_servers_are_retried_with_backoff_then_delivered_once(worker):
    # Nobody listening on the port: refused connections.
    refused = queue("refus")
    time.sleep(8)
    assert 2 <= attempts(refused) <= 4, refused.attempts  # t≈0, 1, 3, 7: not one per sweep
    assert refused.state == OutgoingEmail.State.QUEUED and "ConnectionRefused" in refused.last_error

    # A server that accepts and never answers: each attempt ends with EMAIL_TIMEOUT.
    silent = SilentServer(worker.smtp_port)
    hung = queue("muet")
    time.sleep(8)
    silent.stop()
    assert 2 <= attempts(hung) <= 3, hung.attempts
    assert hung.state == OutgoingEmail.State.QUEUED and "timed out" in hung.last_error

    # A server refusing for now (451), then accepting.
    sink = SMTPSink(port=worker.smtp_port)
    sink.refuse_with = TRANSIENT
    sink.start()
    try:
        later = queue("plus-tard")
        time.sleep(5)
        assert 2 <= attempts(later) <= 3, later.attempts
        sink.refuse_with = None
        rows = [refused, hung, later]
        wait_until(lambda: all(attempts(row) and row.state == OutgoingEmail.State.SENT for row in rows), 90)
        time.sleep(3)  # later sweeps send nothing again
        received = sorted(to[0] for to, _message in sink.messages)
        assert received == ["muet@example.org", "plus-tard@example.org", "refus@example.org"]
        # No storm: every attempt the server saw is one the rows counted, each row a handful.
        for row in rows:
            row.refresh_from_db()
            assert row.attempts <= 6, (row.to, row.attempts)
        assert sink.attempts.count("plus-tard@example.org") == attempts(later)
    finally:
        sink.stop()


def test_a_4xx_then_5xx_ends_in_a_final_failure_without_more_attempts(worker):
    sink = SMTPSink(port=worker.smtp_port)
    sink.refuse_with = TRANSIENT
    sink.start()
    try:
        email = queue("inconnue")
        wait_until(lambda: attempts(email) >= 2)
        sink.refuse_with = PERMANENT
        wait_until(lambda: attempts(email) and email.state == OutgoingEmail.State.FAILED, 30)
        seen = len(sink.attempts)
        time.sleep(5)  # five sweeps later: nobody tries it again
        assert len(sink.attempts) == seen == attempts(email) <= 4
        assert "550" in email.last_error and sink.messages == []
    finally:
        sink.stop()
