from django.apps import AppConfig
from django.db.models.signals import m2m_changed
from django.utils.translation import gettext_lazy as _


class BulletinConfig(AppConfig):
    name = "bulletin"
    label = "bulletin"
    verbose_name = _("Babillard")

    def ready(self):
        # Imported here because Django requires it: models and what uses them exist only once apps load.
        from bulletin import signal_handlers
        from bulletin.models import Post
        from bulletin.privacy import BulletinSource
        from website.privacy import register

        register(BulletinSource())
        m2m_changed.connect(signal_handlers.reindex_post_regions, sender=Post.regions.through)
