from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class WebsiteConfig(AppConfig):
    name = "website"
    label = "website"
    verbose_name = _("Site")

    def ready(self):
        from website import checks, signal_handlers  # noqa: F401 (checks register themselves)

        post_migrate.connect(signal_handlers.create_groups, sender=self)
