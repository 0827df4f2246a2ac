"""Bounces and complaints reported by an email provider's webhook (django-anymail)."""

from anymail.signals import tracking
from django.dispatch import receiver

from newsletter import services


@receiver(tracking)
def record_provider_event(sender, event, esp_name, **kwargs):
    if not event.recipient:
        return
    if event.event_type == "bounced":
        services.register_bounce(event.recipient, permanent=True)
    elif event.event_type == "complained":
        services.register_complaint(event.recipient)
    elif event.event_type == "unsubscribed":
        services.unsubscribe_address(event.recipient)
