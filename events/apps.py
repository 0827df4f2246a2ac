from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    label = "events"
    verbose_name = _("Événements")

    def ready(self):
        from wagtail.signals import page_published

        from events.models import EventPage
        from events.privacy import EventsSource
        from events.signal_handlers import promote_after_publish
        from website.privacy import register

        register(EventsSource())
        page_published.connect(promote_after_publish, sender=EventPage)
