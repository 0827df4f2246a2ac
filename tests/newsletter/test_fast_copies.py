"""The fast way to write each recipient's copy (bytes cut from one template per send and language) gives
what the general way (Django's MIME classes) gives, to the byte; sent rows are recorded in groups."""

import re

import pytest
from django.core.mail import get_connection
from django.db import connection as db_connection
from django.test.utils import CaptureQueriesContext

from newsletter import links, rendering, sending
from newsletter.models import Delivery, Send, Subscriber
from newsletter.sending import messages

pytestmark = pytest.mark.django_db

# What differs between two builds of the same message whatever its recipient: when and which id.
VARYING = [
    (rb"Date: [^\r]*", b"Date: -"),
    (rb"Message-ID: <[^>]*>", b"Message-ID: -"),
    (rb"=+\d+==", b"=boundary="),
]


def normalised(data):
    for pattern, replacement in VARYING:
        data = re.sub(pattern, replacement, data)
    return data


def general_bytes(delivery, issue, personal):
    rendered = sending.rendered_for_send(delivery.send_id, issue.pk, delivery.language)
    message = sending.build_message(delivery, rendered, None, issue, personal)
    return message.message().as_bytes(linesep="\r\n")


@pytest.fixture
def prepared(issue):
    send = Send.objects.create(issue=issue)
    sending.prepare(send.pk)
    return send


def test_a_copy_from_the_template_is_the_general_copy_to_the_byte(issue, make_subscriber):
    make_subscriber("une.adresse.tres.longue.pour.plier.l.en-tete@organisme-de-mutualisation.example.org")
    send = Send.objects.create(issue=issue)
    sending.prepare(send.pk)
    prepared = send
    deliveries = Delivery.objects.filter(send=prepared).select_related("subscriber")
    assert {d.language for d in deliveries} == {"fr-ca", "en"}
    for delivery in deliveries:
        personal = sending.personal_links(delivery.subscriber, delivery.language)
        template = sending.template_for_send(prepared.pk, issue.pk, delivery.language)
        recipient, data = template.copy(delivery, personal)
        expected = general_bytes(delivery, issue, personal)
        assert recipient == delivery.email
        assert normalised(data) == normalised(expected)
        assert data.count(personal["unsubscribe_url"].encode()) == 3  # header, text, HTML (no & to escape)
        assert f"X-Maillon-Delivery: {delivery.pk}\r\n".encode() in data
        assert re.search(rb"Date: \w{3}, \d+ \w{3} \d{4} ", data) and b"Message-ID: <" in data


def test_each_copy_has_its_own_message_id(issue, prepared):
    delivery = Delivery.objects.filter(send=prepared).select_related("subscriber").first()
    personal = sending.personal_links(delivery.subscriber, delivery.language)
    template = sending.template_for_send(prepared.pk, issue.pk, delivery.language)
    ids = {re.search(rb"Message-ID: (<[^>]*>)", template.copy(delivery, personal)[1])[1] for _ in range(3)}
    assert len(ids) == 3


def test_a_fast_link_is_the_link(issue):
    for subscriber in Subscriber.objects.all():
        for purpose in ("newsletter.unsubscribe", "newsletter.preferences"):
            for language in ("fr-ca", "en"):
                fast = links.fast_link(subscriber, purpose, language)
                assert fast == links.link(subscriber, purpose, language=language)
                assert links.subscriber_from_token(fast.split("/")[-2], purpose) == subscriber


def test_long_lines_are_folded_inside_tags_so_every_part_travels_as_8bit():
    line = "<ul>" + "".join(
        f'<li><a href="https://exemple.org/{i}" style="color: #1d5c4a;">Annonce {i} à voir</a> — '
        f'<img alt="a <b> c" src="x.png"></li>'
        for i in range(40)
    )
    folded = rendering.fold_html(f"<p>court</p>\n{line}</ul>")
    assert max(len(row.encode()) for row in folded.split("\n")) < 200
    # Only whitespace inside start tags was added (a newline instead of the space before an attribute).
    assert re.sub(r"<(\w+)\n", r"<\1 ", re.sub(r"<(\w+)\n>", r"<\1>", folded)) == f"<p>court</p>\n{line}</ul>"
    assert 'alt="a <b> c"' in folded  # a tag-like text inside an attribute value is left alone
    text = rendering.fold_text(
        "court\n" + " ".join(["mutualisation"] * 100) + " https://exemple.org/" + "x" * 90
    )
    assert max(len(row) for row in text.split("\n")[:-1]) <= 78 and text.endswith("x" * 90)
    assert text.split() == ["court", *["mutualisation"] * 100, "https://exemple.org/" + "x" * 90]


def test_an_issue_with_long_lines_still_gets_fast_copies(issue, prepared):
    rendered = sending.rendered_for_send(prepared.pk, issue.pk, "fr-ca")
    for part in (rendered.html, rendered.text):
        assert max(len(row.encode()) for row in "".join(part[::2]).split("\n")) <= rendering.FOLD_AT
    assert sending.template_for_send(prepared.pk, issue.pk, "fr-ca").usable


def test_what_the_template_cannot_hold_goes_the_general_way(issue, prepared):
    delivery = Delivery.objects.filter(send=prepared).select_related("subscriber").first()
    template = sending.template_for_send(prepared.pk, issue.pk, delivery.language)
    personal = sending.personal_links(delivery.subscriber, delivery.language)
    delivery.email = '"o neil"@example.org'
    assert template.copy(delivery, personal) is None
    delivery.email = "annie@example.org"
    assert template.copy(delivery, {**personal, "unsubscribe_url": "https://a.example/x,y"}) is None
    assert template.copy(delivery, {**personal, "preferences_url": "https://a.example/" + "x" * 400}) is None


def test_the_smtp_backend_gets_fast_copies_and_rows_are_recorded_in_groups(
    issue, make_subscriber, smtp, settings
):
    settings.NEWSLETTER_BATCH_SIZE = 100
    settings.NEWSLETTER_RECORD_EVERY = 20
    for i in range(57):
        make_subscriber(f"lot{i:02d}@example.org")
    make_subscriber("o'neil@example.org")  # not a plain address: the general way
    send = Send.objects.create(issue=issue)
    total = sending.prepare(send.pk)
    assert messages.fast_path(get_connection()) is False  # closed: nothing to write bytes to yet
    for language in ("fr-ca", "en"):  # rendered once per send and language, before the batch
        sending.template_for_send(send.pk, issue.pk, language)
    with CaptureQueriesContext(db_connection) as queries:
        assert sending.send_batch(send.pk, worker="w") == total == 61
    updates = [
        q["sql"] for q in queries.captured_queries if q["sql"].startswith('UPDATE "newsletter_delivery"')
    ]
    assert len(updates) == 1 + 4  # the claim, then 20 + 20 + 20 + 1 rows
    assert len(queries.captured_queries) <= 16, [q["sql"][:60] for q in queries.captured_queries]
    assert Delivery.objects.filter(send=send, state="sent", attempts=1, sent_by="w").count() == 61
    received = {recipients[0]: message for recipients, message in smtp.messages}
    assert len(received) == 61 and "o'neil@example.org" in received
    for address, message in received.items():
        html = message.get_body(("html",)).get_content()
        text = message.get_body(("plain",)).get_content()
        unsubscribe = message["List-Unsubscribe"].strip().strip("<>")  # folded: a leading space
        assert unsubscribe in text and unsubscribe in html and message["To"] == address
        subscriber = links.subscriber_from_token(unsubscribe.split("/")[-2], "newsletter.unsubscribe")
        assert subscriber.email == address
