from celery.signals import task_postrun, task_prerun
from django.apps import AppConfig, apps
from django.core.signals import request_finished, request_started
from django.db.models.signals import post_delete, post_migrate, post_save
from django.urls import register_converter
from django.utils.translation import gettext_lazy as _
from wagtail.signals import page_published, page_unpublished, post_page_move

from website.converters import CONVERTERS


class WebsiteConfig(AppConfig):
    name = "website"
    label = "website"
    verbose_name = _("Site")

    def ready(self):
        from website import checks, organisation_contacts, privacy, signal_handlers  # noqa: F401

        privacy.register(organisation_contacts.CONTACTS)

        for name, converter in CONVERTERS.items():
            register_converter(converter, name)

        # post_migrate is sent app by app, and an app's permissions are created on its own signal: the
        # groups are made on the last app's (it holds nothing they need: Django's sessions today).
        last_app = [app for app in apps.get_app_configs() if app.models_module is not None][-1]
        post_migrate.connect(signal_handlers.create_groups, sender=last_app)

        # Each language's Locale is read once a request (website/i18n.py).
        request_started.connect(signal_handlers.request_started, dispatch_uid="i18n-locales-on")
        request_finished.connect(signal_handlers.request_finished, dispatch_uid="i18n-locales-off")

        # Stored public pages (website/page_cache.py) are dropped when what they show changes.
        for signal in (post_save, post_delete, page_published, page_unpublished, post_page_move):
            signal.connect(signal_handlers.content_changed, dispatch_uid=f"page-cache-{id(signal)}")

        # A worker keeps its database connection between tasks for CONN_MAX_AGE, as web processes do.
        task_prerun.connect(signal_handlers.task_boundary, dispatch_uid="db-before-task")
        task_postrun.connect(signal_handlers.task_boundary, dispatch_uid="db-after-task")
