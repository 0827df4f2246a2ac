"""What events does when Wagtail publishes an event page (connected in EventsConfig.ready())."""

from django.db import transaction

from events import services


def promote_after_publish(sender, instance, **kwargs):
    """A capacity raised in the editor gives the new seats to the waiting list."""
    with transaction.atomic():
        services.promote_waiting(services.lock_event(instance.pk))
