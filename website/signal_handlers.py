from django.conf import settings
from django.db import transaction

from website import page_cache
from website.permissions import ensure_groups


def create_groups(sender, **kwargs):
    """After `migrate` (and after a test database is flushed): the named admin groups exist. Connected
    to the last app's post_migrate, once every app's permissions have been created."""
    ensure_groups()


def content_changed(sender, **kwargs):
    """A row that a public page may show was saved or deleted (post_save, post_delete), or a page was
    published, unpublished or moved: stored pages are out of date once the change commits (before
    that, a page rendered again would still read the old rows)."""
    if settings.PAGE_CACHE_SECONDS <= 0 or kwargs.get("raw"):
        return
    meta = sender._meta
    if meta.app_label not in settings.PAGE_CACHE_APPS or meta.label in settings.PAGE_CACHE_IGNORED_MODELS:
        return
    transaction.on_commit(page_cache.new_version, using=kwargs.get("using"))
