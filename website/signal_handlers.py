from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions

from website.permissions import ensure_groups


def create_groups(sender, using="default", verbosity=1, **kwargs):
    """After `migrate` (and after a test database is flushed): the named admin groups exist."""
    # post_migrate is sent app by app in INSTALLED_APPS order and `website` comes first: create the
    # other apps' permissions now (as Django would a moment later; it skips those that exist).
    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    ensure_groups()
