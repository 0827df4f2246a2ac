from website.permissions import ensure_groups


def create_groups(sender, **kwargs):
    """After `migrate` (and after a test database is flushed): the named admin groups exist. Connected
    to the last app's post_migrate, once every app's permissions have been created."""
    ensure_groups()
