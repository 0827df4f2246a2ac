from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    label = "events"
    verbose_name = _("Événements")

    def ready(self):
        from events.privacy import EventsSource
        from website.privacy import register

        register(EventsSource())
