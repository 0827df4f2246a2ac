from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BulletinConfig(AppConfig):
    name = "bulletin"
    label = "bulletin"
    verbose_name = _("Babillard")

    def ready(self):
        from bulletin.privacy import BulletinSource
        from website.privacy import register

        register(BulletinSource())
