"""Visitors write to a poster through the site: the poster's address is never shown."""

from django.db import transaction

from bulletin import emails
from bulletin.models import ContactMessage


def relay_message(post, sender_name, sender_email, body, sender_organisation=""):
    """Store the message and email it to the poster; replies go straight to the sender."""
    with transaction.atomic():
        message = ContactMessage.objects.create(
            post=post,
            sender_name=sender_name,
            sender_email=sender_email,
            sender_organisation=sender_organisation,
            body=body,
        )
        emails.relayed_message(message)
    return message
