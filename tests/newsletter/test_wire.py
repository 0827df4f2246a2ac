"""A copy handed to the server by `newsletter.sending.wire` (dot-stuffed once per template, MAIL, RCPT and
DATA pipelined when offered) arrives as the general way's message, and refusals are handled as
`sendmail`'s: against the real loopback SMTP server (aiosmtpd), with and without PIPELINING."""

import re
import smtplib

import pytest

from newsletter import sending
from newsletter.models import Delivery, Send, Subscriber
from newsletter.sending import wire
from tests.newsletter.test_fast_copies import general_bytes, normalised

pytestmark = pytest.mark.django_db

# Lines a server would read as the end of the message, or lose a dot of, if they were not stuffed.
DOTTED = b"From: a@example.org\r\nSubject: points\r\n\r\n.\r\n..deux\r\n.un\r\nfin.\r\n"


def untimed(data):
    """`data` without what differs between two builds a second apart: the date, ids and the links'
    signed tokens (they carry the time of signing)."""
    return re.sub(rb"[\w-]+:[\w]+:[\w-]{43}", b"token", normalised(data))


def session(smtp):
    connection = smtplib.SMTP("127.0.0.1", smtp.port)
    connection.ehlo()
    return connection


@pytest.mark.parametrize("pipelining", [True, False])
def test_a_stuffed_message_arrives_whole_with_its_dotted_lines(smtp, pipelining):
    smtp.pipelining = pipelining
    connection = session(smtp)
    assert connection.has_extn("pipelining") is pipelining
    wire.send_stuffed(
        connection, "ne-pas-repondre@maillon.example", "a@example.org", wire.stuff(DOTTED, True)
    )
    wire.send_stuffed(
        connection, "ne-pas-repondre@maillon.example", "b@example.org", wire.stuff(DOTTED, True)
    )
    connection.quit()
    assert [to for to, _message in smtp.messages] == [["a@example.org"], ["b@example.org"]]
    assert smtp.raw == [DOTTED, DOTTED]


def test_stuffing_touches_only_dots_that_start_a_line():
    assert wire.stuff(b".a\r\nb.\r\n.c", at_start=True) == b"..a\r\nb.\r\n..c"
    assert wire.stuff(b".a\r\n.c") == b".a\r\n..c"  # the part goes on a line begun by a recipient's value


@pytest.mark.parametrize("pipelining", [True, False])
def test_a_refused_recipient_raises_as_sendmail_and_the_session_goes_on(smtp, pipelining):
    smtp.pipelining = pipelining
    smtp.refuse_recipient = lambda address: "550 5.1.1 no such user" if address.startswith("x") else None
    connection = session(smtp)
    with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
        wire.send_stuffed(connection, "ne-pas-repondre@maillon.example", "x@example.org", DOTTED)
    assert refused.value.recipients == {"x@example.org": (550, b"5.1.1 no such user")}
    with pytest.raises(smtplib.SMTPDataError):  # refused at the end of DATA
        smtp.refuse_with = "554 5.7.1 refused"
        wire.send_stuffed(
            connection, "ne-pas-repondre@maillon.example", "a@example.org", wire.stuff(DOTTED, True)
        )
    smtp.refuse_with = None
    wire.send_stuffed(
        connection, "ne-pas-repondre@maillon.example", "a@example.org", wire.stuff(DOTTED, True)
    )
    connection.quit()
    assert smtp.raw == [DOTTED]


def test_an_issue_whose_text_starts_lines_with_dots_arrives_as_the_general_message(issue, smtp):
    issue.body.append(
        ("text", '<p data-block-key="a">.point de départ</p><p data-block-key="b">...et ensuite</p>')
    )
    issue.save_revision().publish()
    send = Send.objects.create(issue=issue)
    total = sending.prepare(send.pk)
    assert sending.send_batch(send.pk, worker="w") == total > 0
    assert len(smtp.raw) == total
    for raw in smtp.raw:
        assert re.search(rb"\r\n\.\.\.et ensuite", raw)  # one line, three dots, as written
        address = re.search(rb"\r\nTo: ([^\r]+)", raw)[1].decode()
        delivery = Delivery.objects.select_related("subscriber").get(send=send, email=address)
        personal = sending.personal_links(delivery.subscriber, delivery.language)
        expected = general_bytes(delivery, issue, personal)
        assert untimed(raw) == untimed(expected)


def test_a_recipient_the_server_refuses_fails_alone_and_the_batch_goes_on(issue, smtp, make_subscriber):
    make_subscriber("xrefuse@example.org")
    smtp.refuse_recipient = lambda address: (
        "550 5.1.1 no such user" if address == "xrefuse@example.org" else None
    )
    send = Send.objects.create(issue=issue)
    total = sending.prepare(send.pk)
    assert sending.send_batch(send.pk, worker="w") == total - 1
    refused = Delivery.objects.get(send=send, email="xrefuse@example.org")
    assert refused.state == Delivery.State.FAILED and "550" in refused.error
    assert Subscriber.objects.get(email="xrefuse@example.org").hard_bounces == 1
    assert len(smtp.messages) == total - 1 and "xrefuse@example.org" not in {to[0] for to, _ in smtp.messages}
