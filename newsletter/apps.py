from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsletterConfig(AppConfig):
    name = "newsletter"
    label = "newsletter"
    verbose_name = _("Infolettre")

    def ready(self):
        from newsletter import signal_handlers  # noqa: F401 (connects the receivers)
        from newsletter.privacy import NewsletterSource
        from website.privacy import register

        register(NewsletterSource())
