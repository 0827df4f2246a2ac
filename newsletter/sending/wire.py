"""Handing one prepared copy to an open SMTP session, with less work per message than `sendmail`.

`smtplib.SMTP.sendmail` dot-stuffs the whole message with a regular expression each time (RFC 5321
4.5.2) and waits for the server after MAIL, RCPT and DATA in turn. A copy cut from a `MessageTemplate`
is stuffed once per template instead (`stuff`, on the bytes around the markers: no recipient's value
can start a line), and when the server offers PIPELINING (RFC 2920: Postfix and the providers' relays
do) MAIL, RCPT and DATA leave in one write and their three answers are read together, so a message
costs two round trips instead of four. Answers are checked as `sendmail` checks them and raise the
same exceptions, so a refused recipient or message is handled as before.
"""

import smtplib


def stuff(part, at_start=False):
    """`part` of a message with every line that starts with a dot given a second one. `at_start`: the
    part begins a line (the message's first part)."""
    stuffed = part.replace(b"\n.", b"\n..")
    return b"." + stuffed if at_start and stuffed.startswith(b".") else stuffed


def _refused(smtp, code):
    """Leave the session usable after a refusal (RSET), or closed if the server is leaving (421)."""
    if code == 421:
        smtp.close()
    else:
        smtp._rset()


def send_stuffed(smtp, sender, recipient, data):
    """Send `data` (a whole message, already dot-stuffed, lines ending in CRLF) from `sender` to the
    single `recipient` over `smtp`, an open `smtplib.SMTP`. Raises like `sendmail`."""
    smtp.ehlo_or_helo_if_needed()
    size = f" SIZE={len(data)}" if smtp.has_extn("size") else ""
    commands = [
        f"MAIL FROM:{smtplib.quoteaddr(sender)}{size}",
        f"RCPT TO:{smtplib.quoteaddr(recipient)}",
        "DATA",
    ]
    expected = [(250,), (250, 251), (354,)]
    replies = []
    if smtp.has_extn("pipelining"):
        smtp.send("".join(f"{command}\r\n" for command in commands))
        replies = [smtp.getreply() for _ in commands]
    else:
        for command, codes in zip(commands, expected, strict=True):
            smtp.send(f"{command}\r\n")
            replies.append(smtp.getreply())
            if replies[-1][0] not in codes:
                break
    (mail, mail_text), *rest = replies
    if mail not in expected[0]:
        _refused(smtp, mail)
        raise smtplib.SMTPSenderRefused(mail, mail_text, sender)
    rcpt, rcpt_text = rest[0]
    if rcpt not in expected[1]:
        _refused(smtp, rcpt)
        raise smtplib.SMTPRecipientsRefused({recipient: (rcpt, rcpt_text)})
    code, text = rest[1]
    if code not in expected[2]:
        _refused(smtp, code)
        raise smtplib.SMTPDataError(code, text)
    smtp.send(data + (b".\r\n" if data.endswith(b"\r\n") else b"\r\n.\r\n"))
    code, text = smtp.getreply()
    if code != 250:
        _refused(smtp, code)
        raise smtplib.SMTPDataError(code, text)
