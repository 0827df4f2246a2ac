"""What the newsletter does when something happens elsewhere: bounces and complaints reported by an email
provider's webhook (django-anymail), and event registrants who ticked the newsletter box. Connected by
importing this module in NewsletterConfig.ready()."""

from anymail.signals import tracking
from django.dispatch import receiver

from events.signals import registration_created
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


@receiver(registration_created)
def subscribe_consenting_registrant(sender, registration, **kwargs):
    if registration.newsletter_consent:
        services.subscribe_from_event(registration)
