from functools import partial

from django.conf import settings
from django.db import close_old_connections, transaction

from website import i18n, page_cache
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
    # A row may name the only pages it shows on (a registration: its event's page), or none at all.
    scope = getattr(kwargs.get("instance"), "page_cache_scope", None)
    if scope is False:
        return
    if scope:
        transaction.on_commit(partial(page_cache.new_scope_version, scope), using=kwargs.get("using"))
        return
    chrome = meta.label not in settings.PAGE_CACHE_CONTENT_ONLY_MODELS
    transaction.on_commit(partial(page_cache.new_version, chrome=chrome), using=kwargs.get("using"))


def request_started(sender, **kwargs):
    i18n.remember_locales(True)


def request_finished(sender, **kwargs):
    i18n.remember_locales(False)


def task_boundary(sender=None, **kwargs):
    """Before and after each task, as Django does around each request: a connection that is broken or
    older than CONN_MAX_AGE is closed, a live one kept (health-checked before its next use with
    CONN_HEALTH_CHECKS). Celery's own closing around every task (a new PostgreSQL session per email) is
    held off by CELERY_DB_REUSE_MAX. A task run eagerly, inside a request or a test's transaction, is
    left alone, as Celery leaves it."""
    if not getattr(getattr(sender, "request", None), "is_eager", False):
        close_old_connections()
