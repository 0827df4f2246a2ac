"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives."""

import email
import email.policy
import socket
import threading
import time

from aiosmtpd.controller import Controller


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Handler:
    def __init__(self, sink):
        self.sink = sink

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        """Offer PIPELINING (RFC 2920) as Postfix does, unless the test turned it off: aiosmtpd reads
        pipelined commands line by line anyway, it only does not say so."""
        session.host_name = hostname
        if self.sink.pipelining:
            responses.insert(-1, "250-PIPELINING")
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        refusal = self.sink.refuse_recipient(address) if self.sink.refuse_recipient else None
        if refusal:
            return refusal
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        refusal = self.sink.refuse_with
        if callable(refusal):
            refusal = refusal(list(envelope.rcpt_tos))
        with self.sink.lock:
            self.sink.attempts.extend(envelope.rcpt_tos)
        if refusal:
            return refusal
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.sink.lock:
            self.sink.messages.append((list(envelope.rcpt_tos), message))
            self.sink.raw.append(envelope.original_content)
        return "250 Message accepted for delivery"


class SMTPSink:
    """`refuse_with`: an SMTP answer to give at DATA instead of accepting ("451 …"), or a function of
    the recipients returning one (or None to accept). `refuse_recipient`: a function of one RCPT
    address returning an answer to refuse it with ("550 …"), or None. `attempts` lists the recipients
    of every DATA; `raw` the bytes of each accepted message as received (after un-stuffing dots).
    `pipelining`: whether EHLO offers PIPELINING."""

    def __init__(self, port=None):
        self.messages = []
        self.raw = []
        self.attempts = []
        self.lock = threading.Lock()
        self.refuse_with = None
        self.refuse_recipient = None
        self.pipelining = True
        self.port = port or free_port()
        self.controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)

    @property
    def url(self):
        return f"smtp://127.0.0.1:{self.port}"

    def start(self):
        self.controller.start()
        return self

    def stop(self):
        self.controller.stop()

    def clear(self):
        with self.lock:
            self.messages.clear()
            self.raw.clear()
            self.attempts.clear()

    def wait_for_message(self, predicate, timeout=30):
        """The first message (recipients, message) for which predicate(recipients, message) is true."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                found = [m for m in self.messages if predicate(*m)]
            if found:
                return found[0]
            time.sleep(0.05)
        seen = [(to, m["Subject"]) for to, m in self.messages]
        raise AssertionError(f"no matching message among {seen} in {timeout}s")

    def wait_for(self, count, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.messages) >= count:
                    return list(self.messages)
            time.sleep(0.05)
        raise AssertionError(f"expected {count} messages, got {len(self.messages)} in {timeout}s")
