"""What one recipient of an issue gets, built two ways that give the same bytes.

`build_message` is the general way: a `website.mail.EmailMessage` (Django's MIME classes), which every
email backend can send (SMTP, django-anymail providers with their tracking options, the tests' locmem).

`MessageTemplate` is the fast way for SMTP: the same message is built once per send and language by
`build_message` itself, with markers in place of everything that differs between recipients (address,
links, delivery id, date, Message-ID), and serialised as Django's SMTP backend would; each recipient's
copy is then the bytes around the markers joined with their own values. It is used only when the
result is the slow way's to the byte: every part travels as 8bit (no line too long for mail even with
the longest value allowed), each marker sits once where it belongs, and the recipient's address and
values are plain ASCII within the lengths checked. Otherwise (or for another backend) `build_message`.
"""

import functools
import re
import secrets
from email import policy
from email.utils import formatdate, make_msgid

from django.conf import settings
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.mail.message import DNS_NAME, sanitize_address

from newsletter import rendering
from newsletter.links import fast_link
from newsletter.models import NewsletterIssuePage
from newsletter.sending import wire
from website.mail import EmailMessage

MAIL_LINE = 998  # bytes, RFC 5322
MAX_VALUE = 300  # the longest link (after HTML escaping) a template leaves room for
# An address Django's sanitize_address gives back unchanged: an ASCII dot-atom at a plain domain.
PLAIN_ADDRESS = re.compile(r"[A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\Z")
# Where Python may fold a header line: a link holding one goes the general way.
FOLDABLE = re.compile(r"[,;\s]")
HEADERS = {"to": "To", "date": "Date", "msgid": "Message-ID", "delivery": "X-Maillon-Delivery"}
HEADERS["header_unsub"] = "List-Unsubscribe"
MIME_POLICY = policy.compat32.clone(linesep="\r\n")  # what Django's messages are written with


def header(name, value):
    """A header line as the email package writes it (without its line end): folded past 78 columns."""
    line = f"{name}: {value}"
    return line if len(line) <= MIME_POLICY.max_line_length else MIME_POLICY.fold(name, value)[:-2]


def personal_links(subscriber, language):
    return {
        "unsubscribe_url": fast_link(subscriber, "newsletter.unsubscribe", language),
        "preferences_url": fast_link(subscriber, "newsletter.preferences", language),
    }


def compose(rendered, *, email, links, delivery_id, tracking, connection=None, html_links=None, extra=None):
    """The EmailMessage of one copy. `html_links` (default: `links`, escaped) are put in the HTML part;
    `extra` headers (Date, Message-ID) come first, as Django would place its own."""
    subject = rendered.subject
    text = rendering.join(rendered.text, links)
    html_body = rendering.join(rendered.html, html_links or rendering.escaped(links))
    message = EmailMessage(
        subject,
        text,
        to=[email],
        connection=connection,
        headers={
            **(extra or {}),
            "List-Unsubscribe": f"<{links['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "X-Maillon-Delivery": str(delivery_id),
        },
    )
    message.attach_alternative(html_body, "text/html")
    # Privacy by default (Law 25): providers track only when the editor turned it on for this issue.
    message.track_opens = message.track_clicks = bool(tracking)
    return message


def build_message(delivery, rendered, connection, issue, links=None):
    """The general way: one EmailMessage for `delivery`."""
    return compose(
        rendered,
        email=delivery.email,
        links=links or personal_links(delivery.subscriber, delivery.language),
        delivery_id=delivery.pk,
        tracking=issue.tracking_enabled,
        connection=connection,
    )


class MessageTemplate:
    """An issue's message in one language as bytes, cut at the markers of what differs per recipient."""

    def __init__(self, rendered):
        nonce = secrets.token_hex(8)
        self.markers = {
            name: f"maillon{nonce}{name}"
            for name in ("to", "date", "msgid", "delivery", "header_unsub", *rendering.SLOTS)
        }
        self.markers.update({f"html_{slot}": f"maillon{nonce}html{slot}" for slot in rendering.SLOTS})
        self.markers["to"] += "@maillon.invalid"
        message = self._marked_message(rendered)
        self.sender = sanitize_address(message.from_email, settings.DEFAULT_CHARSET)
        data = message.message().as_bytes(linesep="\r\n")
        self.usable = self._check(data, rendered)
        pattern = b"(" + b"|".join(re.escape(m.encode()) for m in self.markers.values()) + b")"
        names = {marker.encode(): name for name, marker in self.markers.items()}
        self.parts = [names[p] if i % 2 else p for i, p in enumerate(re.split(pattern, data))]
        for index in range(1, len(self.parts), 2):  # a header's whole line is the recipient's, to fold it
            name = HEADERS.get(self.parts[index])
            if name and self.parts[index - 1].endswith(f"\n{name}: ".encode()):
                self.parts[index - 1] = self.parts[index - 1][: -len(name) - 2]
            elif name:
                self.usable = False
        # The same parts as they travel after DATA (sent with `wire.send_stuffed`).
        self.wire_parts = [
            part if index % 2 else wire.stuff(part, at_start=index == 0)
            for index, part in enumerate(self.parts)
        ]

    def _marked_message(self, rendered):
        m = self.markers
        links = {slot: m[slot] for slot in rendering.SLOTS}
        message = compose(
            rendered,
            email=m["to"],
            links=links,
            html_links={slot: m[f"html_{slot}"] for slot in rendering.SLOTS},
            delivery_id=m["delivery"],
            tracking=False,
            extra={"Date": m["date"], "Message-ID": m["msgid"]},
        )
        # The header's link is a marker of its own: the same URL, but where no escaping applies.
        message.extra_headers["List-Unsubscribe"] = m["header_unsub"]
        return message

    def _check(self, data, rendered):
        """True if joining values into `data` gives what Django would write for them."""
        encodings = re.findall(rb"Content-Transfer-Encoding: ([\w-]+)", data)
        if set(encodings) - {b"7bit", b"8bit"}:
            return False  # a quoted-printable part would not hold the values as they are
        expected = {name: 1 for name in ("to", "date", "msgid", "delivery", "header_unsub")}
        for slot in rendering.SLOTS:
            expected[slot] = rendered.text[1::2].count(slot)
            expected[f"html_{slot}"] = rendered.html[1::2].count(slot)
        for name, count in expected.items():
            if data.count(self.markers[name].encode()) != count:
                return False
        room = MAX_VALUE - min(len(m) for m in self.markers.values())
        for line in data.split(b"\r\n"):
            markers = sum(line.count(m.encode()) for m in self.markers.values())
            if markers and len(line) + markers * room > MAIL_LINE:
                return False
        return True

    def copy(self, delivery, links, stuffed=False):
        """(envelope recipient, message bytes) of `delivery`'s copy, or None when only the general way
        is sure to be right for it. `stuffed`: the bytes as they travel after DATA (dot-stuffed)."""
        email = delivery.email
        if not (self.usable and PLAIN_ADDRESS.match(email) and len(email) <= MAX_VALUE):
            return None
        if FOLDABLE.search(links["unsubscribe_url"]):
            return None
        escaped = rendering.escaped(links)
        values = {
            "to": header("To", email),
            "date": header("Date", formatdate(localtime=settings.EMAIL_USE_LOCALTIME)),
            "msgid": header("Message-ID", make_msgid(domain=DNS_NAME)),
            "delivery": header("X-Maillon-Delivery", str(delivery.pk)),
            "header_unsub": header("List-Unsubscribe", f"<{links['unsubscribe_url']}>"),
            **links,
            **{f"html_{slot}": value for slot, value in escaped.items()},
        }
        if any(len(value) > MAX_VALUE or not value.isascii() for value in escaped.values()):
            return None
        if not all(value.isascii() for value in links.values()):
            return None
        parts = self.wire_parts if stuffed else self.parts
        return email, b"".join(
            values[part].encode() if index % 2 else part for index, part in enumerate(parts)
        )


@functools.lru_cache(maxsize=32)
def rendered_for_send(send_id, issue_id, language):
    """Within a send, an issue is rendered once per worker process and language (the board and events
    blocks are read at that moment)."""
    issue = NewsletterIssuePage.objects.get(pk=issue_id).specific
    return rendering.render_issue(issue, language)


@functools.lru_cache(maxsize=32)
def template_for_send(send_id, issue_id, language):
    """The template of a send in one language, made once per worker process."""
    return MessageTemplate(rendered_for_send(send_id, issue_id, language))


def fast_path(connection):
    """True if copies may be written as bytes for this connection: Django's own SMTP backend, whose
    connection is open (a provider's backend gets EmailMessages, with its tracking options)."""
    return type(connection) is SMTPBackend and connection.connection is not None
