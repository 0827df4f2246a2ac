"""The message every email of the site is built as (the outbox, the newsletter)."""

from email.header import Header
from email.message import Message

from django.core.mail import EmailMultiAlternatives


class EmailMessage(EmailMultiAlternatives):
    """Django 5.2 writes a long subject with accents as "Subject:" followed by a line break and
    encoded words: readers that unfold the header (Python's own parser among them) show it with a
    leading space. A header that knows its name starts on the subject's line and folds later."""

    def message(self):
        message = super().message()
        subject = str(self.subject)
        if not subject.isascii():
            del message["Subject"]
            # Past Django's __setitem__, which would encode the subject again as a plain string.
            Message.__setitem__(message, "Subject", Header(subject, "utf-8", header_name="Subject"))
        return message
